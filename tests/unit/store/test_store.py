"""The store writes one article atomically, ignores reruns, and round-trips records through rows."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.records import (
    Article,
    ArticleAnalysis,
    Claim,
    DatePrecision,
    Evidence,
    Mention,
    Quantity,
    Rejected,
    TimeRef,
)
from storyline.store import Store, schema
from storyline.store.dialects import WAL_CHECKPOINT_PAGES


def _analysis(text: str = "Rebels killed 12 soldiers near Aleppo, the army said.") -> ArticleAnalysis:
    article = Article.from_text(text, published=datetime(2020, 3, 4), origin="mem:1", outlet="Example Wire")
    aid = article.id
    return ArticleAnalysis(
        article=article,
        mentions=(Mention(Evidence(aid, 31, 37), "Aleppo", "GPE", "Aleppo"),),
        quantities=(Quantity(Evidence(aid, 14, 16), "12", 12, 12, 12, counted="soldiers", state="killed"),),
        times=(TimeRef(Evidence(aid, 0, 0), "", "DATE", "2020-03-04", datetime(2020, 3, 4), None, DatePrecision.DAY),),
        claims=(Claim(Evidence(aid, 0, 37), text[:37], "the army", "nominal", cue="said"),),
        rejections=(Rejected("mem:1", "ValueError: boom", "events.v1", aid),),
    )


def test_save_is_atomic_and_idempotent(tmp_path):
    store = Store(tmp_path / "s.db")
    analysis = _analysis()
    store.save_analysis(analysis)
    assert store.has_article(analysis.article.id)
    store.save_analysis(analysis)  # a rerun inserts nothing twice
    assert store.count(schema.articles) == 1
    assert store.count(schema.mentions) == 1
    assert store.count(schema.quantities) == 1
    claim = store.rows(schema.claims)[0]
    assert claim["said_on"] == datetime(2020, 3, 4)  # defaults to the article date
    assert store.rows(schema.rejections)[0]["stage"] == "events.v1"


def test_evidence_points_into_stored_text(tmp_path):
    store = Store(tmp_path / "s.db")
    analysis = _analysis()
    store.save_analysis(analysis)
    article = store.rows(schema.articles)[0]
    for row in store.rows(schema.mentions) + store.rows(schema.quantities):
        assert article["text"][row["start_char"] : row["end_char"]] == row["text"]


def test_sqlite_uses_wal(tmp_path):
    store = Store(tmp_path / "s.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_sqlite_checkpoints_the_wal_rarely_and_keeps_rows_across_reopen(tmp_path):
    # The WAL is copied back every 32 MB, not every 4 MB; what was committed is there on reopening.
    store = Store(tmp_path / "s.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == WAL_CHECKPOINT_PAGES > 1000
    store.save_analysis(ArticleAnalysis(Article.from_text("Rain fell on the coast.", origin="t")))
    store.close()
    assert Store(tmp_path / "s.db").count(schema.articles) == 1


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=200), st.integers(0, 10**9), st.none() | st.integers(0, 10**9))
def test_quantity_round_trip(tmp_path_factory, text, low, high):
    store = Store(tmp_path_factory.mktemp("db") / "q.db")
    article = Article.from_text(text, origin="prop")
    quantity = Quantity(Evidence(article.id, 0, len(text)), text, low, high)
    store.save_analysis(ArticleAnalysis(article=article, quantities=(quantity,)))
    row = store.rows(schema.quantities)[0]
    stored_text = text.replace("\x00", "\ufffd")  # NUL cannot be stored in PostgreSQL; length is kept
    assert (row["low"], row["high"], row["text"]) == (low, high, stored_text)
    assert store.rows(schema.articles)[0]["text"] == stored_text
    assert len(stored_text) == len(text)
