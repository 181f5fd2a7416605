"""run_articles stores in batches: a crash loses at most one batch, a rerun redoes it without duplicates,
and copies found by the dedupe index are linked to articles still waiting in the same batch."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.errors import StoreError
from storyline.records import Article
from storyline.runner import RunOptions, run_articles
from storyline.store import Store, schema

REPORTS = [
    "Police in Port Elsin said 14 people were detained on Saturday after a march turned violent.",
    "The mayor of Dunmore, Clara Vey, said 3 bridges would stay closed until engineers inspected them.",
    "Fishermen in Kessary reported that 40 boats were damaged when the storm reached the harbour.",
    "A court in Valmont sentenced 2 former ministers to prison for taking bribes, prosecutors said.",
    "Health officials in Orrin counted 120 new cases of cholera last week, the ministry said.",
]


def _articles(texts: list[str]) -> list[Article]:
    return [Article.from_text(t, published=datetime(2022, 4, 2), origin=f"mem:{i}") for i, t in enumerate(texts)]


def _facts(store: Store) -> dict[str, list[str]]:
    return {t.name: sorted(r["id"] for r in store.rows(t)) for t in (schema.articles, *schema.EXTRACTED_TABLES)}


class _CrashAfterFirstBatch(Store):
    """A store whose second write fails, as if the process were killed after one commit."""

    writes = 0

    def save_rows(self, batch, **kwargs):  # noqa: ANN001, ANN003, ANN201 - same signature as Store
        self.writes += 1
        if self.writes > 1:
            raise StoreError("disk unplugged")
        return super().save_rows(batch, **kwargs)


def test_crash_loses_at_most_one_batch_and_rerun_completes_without_duplicates(tmp_path, ctx):
    clean = Store(tmp_path / "clean.db")
    run_articles(_articles(REPORTS), clean, RunOptions(store_batch=2))

    crashing = _CrashAfterFirstBatch(tmp_path / "crash.db")
    with pytest.raises(StoreError, match="disk unplugged"):
        run_articles(_articles(REPORTS), crashing, RunOptions(store_batch=2))
    partial = crashing.count(schema.articles)  # the first batch: 2 articles, or 1 if a second passed
    assert 1 <= partial <= 2
    assert crashing.rows(schema.runs)[0]["status"] == "interrupted"

    resumed = Store(tmp_path / "crash.db")
    summary = run_articles(_articles(REPORTS), resumed, RunOptions(store_batch=2))
    assert (summary.stored, summary.skipped) == (len(REPORTS) - partial, partial)
    assert _facts(resumed) == _facts(clean)


def test_copy_waiting_for_its_original_in_the_same_batch_is_linked_not_reanalysed(tmp_path, ctx):
    store = Store(tmp_path / "dup.db")
    original = REPORTS[0]
    copy = original.upper().replace("  ", " ")  # same words, other case: an exact duplicate
    articles = _articles([original, copy, REPORTS[1]])
    summary = run_articles(articles, store, RunOptions(store_batch=64))
    assert (summary.stored, summary.duplicates) == (2, 1)
    by_id = {row["id"]: row for row in store.rows(schema.articles)}
    assert by_id[articles[1].id]["duplicate_of"] == articles[0].id
    links = store.rows(schema.article_links)
    assert [(r["source_id"], r["target_id"], r["kind"]) for r in links] == [
        (articles[1].id, articles[0].id, "exact_duplicate")
    ]
    mentioned = {row["article_id"] for row in store.rows(schema.mentions)}
    assert articles[0].id in mentioned and articles[1].id not in mentioned


def test_an_article_repeated_in_the_input_is_stored_once(tmp_path, ctx):
    store = Store(tmp_path / "rep.db")
    articles = _articles(REPORTS[:2])
    summary = run_articles([articles[0], articles[1], articles[0]], store, RunOptions())
    assert (summary.stored, summary.skipped) == (2, 1)
    assert store.count(schema.articles) == 2
