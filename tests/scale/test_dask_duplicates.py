"""With Dask, an exact copy is recognised from its text when it is read: it is stored with its link but
never analysed, exactly as the local engine does it."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.records import Article
from storyline.runner import RunOptions, run_articles
from storyline.store import Store, schema

pytest.importorskip("distributed")

STORIES = [
    "Firefighters in Oakridge contained a warehouse blaze on Tuesday after six hours, the fire chief "
    "Dana Whitfield said. Two workers were treated for smoke inhalation at the county hospital.",
    "The ferry between Port Elwin and Skara Island resumed on Wednesday after storms kept it in harbour "
    "for three days, the operator said, adding that extra sailings would run at the weekend.",
    "Teachers in the northern district of Valmor began a two-day strike on Thursday over pay, the union "
    "said. About 40 schools were closed and exams were postponed until next month.",
    "A landslide blocked the mountain road near Tessin on Friday, police said. No one was hurt, but "
    "dozens of villages were cut off until crews cleared the debris late in the evening.",
]


def _articles() -> list[Article]:
    when = datetime(2024, 5, 3)
    originals = [Article.from_text(text, published=when, origin=f"mem:{i}") for i, text in enumerate(STORIES)]
    # Same words, other case and spacing: a different article id, the same exact-duplicate key. The first
    # copy follows its original at once (still being analysed when the copy is read), the second comes last.
    copy_early = Article.from_text(STORIES[0].upper(), published=when, origin="mem:copy-early")
    copy_late = Article.from_text(STORIES[2].replace(" ", "  "), published=when, origin="mem:copy-late")
    return [originals[0], copy_early, *originals[1:], copy_late]


def _stored(store: Store) -> tuple[list, list, set]:
    links = sorted((r["source_id"], r["target_id"], r["kind"]) for r in store.rows(schema.article_links))
    duplicates = sorted((r["id"], r["duplicate_of"]) for r in store.rows(schema.articles) if r["duplicate_of"])
    with_mentions = {r["article_id"] for r in store.rows(schema.mentions)}
    return links, duplicates, with_mentions


def test_exact_copies_are_stored_linked_but_not_analysed(tmp_path):
    articles = _articles()
    originals = {article.id for article in articles if article.origin in {f"mem:{i}" for i in range(4)}}
    local_store, dask_store = Store(tmp_path / "local.db"), Store(tmp_path / "dask.db")
    local = run_articles(articles, local_store)
    remote = run_articles(articles, dask_store, RunOptions(engine="dask", workers=1, chunk_size=2))
    assert local.analysed == remote.analysed == len(STORIES)
    assert local.duplicates == remote.duplicates == 2
    assert dask_store.count(schema.articles) == len(articles)
    links, duplicates, with_mentions = _stored(dask_store)
    assert (links, duplicates, with_mentions) == _stored(local_store)
    assert links == sorted(
        [(articles[1].id, articles[0].id, "exact_duplicate"), (articles[-1].id, articles[3].id, "exact_duplicate")]
    )
    assert with_mentions == originals  # no facts stored twice for a copy
