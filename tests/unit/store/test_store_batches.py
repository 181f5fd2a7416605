"""Batched writes: many articles per transaction, all or nothing, rows encoded once and read back typed."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone

import pytest

from storyline.errors import StoreError
from storyline.records import (
    Article,
    ArticleAnalysis,
    ArticleLink,
    Claim,
    Evidence,
    Mention,
    Quantity,
    Rejected,
)
from storyline.store import Store, schema
from storyline.store.rows import analysis_rows


def _analysis(text: str, origin: str, published: datetime | None = datetime(2021, 5, 6, 7, 8, 9)) -> ArticleAnalysis:
    article = Article.from_text(text, published=published, origin=origin)
    aid = article.id
    first_word_end = text.index(" ")
    return ArticleAnalysis(
        article=article,
        mentions=(
            Mention(Evidence(aid, 0, first_word_end), text[:first_word_end], "GPE", "k1"),
            # The same span reported twice (two stages can do that): stored once.
            Mention(Evidence(aid, 0, first_word_end), text[:first_word_end], "GPE", "k1"),
        ),
        quantities=(Quantity(Evidence(aid, 0, 1), text[0], 3, 5, 4, counted="people", negated=True),),
        claims=(
            Claim(
                Evidence(aid, 0, len(text)),
                text,
                "a spokesman",
                "nominal",
                cue="said",
                hedges=("reportedly", "about"),
                direct=False,
            ),
        ),
        rejections=(Rejected(origin, "ValueError: no places", "places.v1", aid),),
    )


TEXTS = [
    "Harbourton flooded after two nights of rain, a spokesman said.",
    "Millbrook shut its schools on Tuesday as the river kept rising.",
    "Eastvale asked for army help once the second levee gave way.",
]


def test_batch_round_trips_values_typed_and_links_within_the_batch(tmp_path):
    store = Store(tmp_path / "b.db")
    analyses = [_analysis(t, f"mem:{i}") for i, t in enumerate(TEXTS)]
    first, _, third = (a.article.id for a in analyses)
    batch = [analysis_rows(a, store.dialect) for a in analyses]
    link = ArticleLink(third, first, "near_duplicate", 0.85)  # points at an article of the same batch
    store.save_rows(batch, links=[link], duplicates={third: first}, run_id=None)

    assert store.count(schema.articles) == 3
    assert store.count(schema.mentions) == 3  # the repeated span once per article
    stored = {row["id"]: row for row in store.rows(schema.articles)}
    assert stored[first]["published"] == datetime(2021, 5, 6, 7, 8, 9)
    assert stored[third]["duplicate_of"] == first and stored[first]["duplicate_of"] is None
    assert stored[first]["segments"] == [[0, 0, len(TEXTS[0])]]
    claim = next(r for r in store.rows(schema.claims) if r["article_id"] == first)
    assert claim["hedges"] == ["reportedly", "about"] and claim["direct"] is False
    assert claim["said_on"] == datetime(2021, 5, 6, 7, 8, 9)
    quantity = next(r for r in store.rows(schema.quantities) if r["article_id"] == first)
    assert (quantity["low"], quantity["high"], quantity["negated"]) == (3, 5, True)
    assert [r["kind"] for r in store.rows(schema.article_links)] == ["near_duplicate"]
    assert sorted(r["stage"] for r in store.rows(schema.rejections)) == ["places.v1"] * 3


def test_aware_datetimes_are_stored_as_naive_utc(tmp_path):
    store = Store(tmp_path / "b.db")
    plus_two = timezone(timedelta(hours=2))
    analysis = _analysis(TEXTS[0], "mem:tz", published=datetime(2021, 1, 1, 1, 30, tzinfo=plus_two))
    store.save_rows([analysis_rows(analysis, store.dialect)])
    assert store.rows(schema.articles)[0]["published"] == datetime(2020, 12, 31, 23, 30)


def test_failed_batch_stores_nothing_and_rerun_adds_nothing_twice(tmp_path):
    store = Store(tmp_path / "b.db")
    batch = [analysis_rows(_analysis(t, f"mem:{i}"), store.dialect) for i, t in enumerate(TEXTS)]
    dangling = ArticleLink(batch[0].article_id, "0" * 32, "shared_passage", 0.3)  # target never stored
    with pytest.raises(StoreError, match="could not store 3 articles"):
        store.save_rows(batch, links=[dangling])
    assert store.count(schema.articles) == 0 and store.count(schema.mentions) == 0

    store.save_rows(batch)
    store.save_rows(batch)  # a resumed run redoing a committed batch
    assert store.count(schema.articles) == 3
    assert store.count(schema.mentions) == 3
    assert store.count(schema.claims) == 3


def test_rows_encoded_for_another_database_are_refused(tmp_path):
    store = Store(tmp_path / "b.db")
    rows = analysis_rows(_analysis(TEXTS[0], "mem:pg"), "postgresql+psycopg")
    with pytest.raises(StoreError, match="encoded for postgresql"):
        store.save_rows([rows])
    assert store.count(schema.articles) == 0


def test_insertion_order_is_strict_within_a_batch(tmp_path):
    # Rebuilding the dedupe index replays articles in insertion order: ties would make that order vary.
    store = Store(tmp_path / "b.db")
    texts = [f"Report number {i} from the northern district, where the road stayed closed." for i in range(40)]
    batch = [
        analysis_rows(ArticleAnalysis(Article.from_text(t, origin=f"mem:{i}")), store.dialect)
        for i, t in enumerate(texts)
    ]
    store.save_rows(batch)
    assert [article_id for article_id, _ in store.iter_article_texts()] == [r.article_id for r in batch]


def test_known_article_ids_spans_several_queries(tmp_path):
    store = Store(tmp_path / "b.db")
    texts = [f"Bulletin {i}: the ferry to the islands was cancelled again because of the storm." for i in range(6)]
    batch = [
        analysis_rows(ArticleAnalysis(Article.from_text(t, origin=f"mem:{i}")), store.dialect)
        for i, t in enumerate(texts)
    ]
    store.save_rows(batch[:3])
    stored = {r.article_id for r in batch[:3]}
    asked = [r.article_id for r in batch] + [f"{i:032x}" for i in range(1200)]  # more than one query's worth
    assert store.known_article_ids(asked) == stored
    assert store.known_article_ids([]) == set()


def test_article_rows_pickle_small_and_drop_facts_for_a_copy(tmp_path):
    store = Store(tmp_path / "b.db")
    rows = analysis_rows(_analysis(TEXTS[1], "mem:copy"), store.dialect)
    assert pickle.loads(pickle.dumps(rows)) == rows
    copy = rows.without_facts()
    assert copy.tables == () and copy.rejections == () and copy.article == rows.article
    store.save_rows([copy])
    assert store.count(schema.articles) == 1 and store.count(schema.claims) == 0
