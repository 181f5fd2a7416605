"""The analysis processes hand back finished work (database rows and dedupe signature), in input order, so
the main process only indexes and stores; a local run stores the same rows whatever the process count."""

from __future__ import annotations

import gc
from datetime import datetime

import numpy as np

from storyline.analysis_pool import prepare_in_processes, settle_heap
from storyline.ingest.dedupe import text_signature
from storyline.pipeline import STAGES, analyze_articles
from storyline.prepared import with_estimated_date
from storyline.records import Article
from storyline.runner import RunOptions, run_articles
from storyline.store import Store, schema
from storyline.store.rows import analysis_rows

REPORTS = [
    "Rescuers in Marvale said 9 miners were trapped on 3 March 2021 after a shaft flooded overnight.",
    'The governor of Tessin, Ada Krol, said "we will rebuild the school" after the fire destroyed it.',
    "Farmers near Oberlin reported that 200 cattle drowned when the levee broke, officials said.",
    "",  # an empty article is prepared too (no words: no signature values, no facts)
]


def _articles() -> list[Article]:
    # The first has no publication date: it is estimated on the worker from the date in its text.
    dated = [Article.from_text(t, published=datetime(2023, 5, 9), origin=f"mem:{i}") for i, t in enumerate(REPORTS)]
    return [Article.from_text(REPORTS[0], origin="mem:undated"), *dated[1:]]


def test_prepared_rows_and_signatures_equal_those_built_from_the_analysis(ctx) -> None:
    articles = _articles()
    prepared = list(prepare_in_processes(articles, ctx, STAGES, batch_size=2, n_process=1, dialect="sqlite"))
    assert [article.id for article, _ in prepared] == [article.id for article in articles]
    expected = list(analyze_articles([with_estimated_date(a) for a in articles], ctx))
    for (article, result), analysis in zip(prepared, expected, strict=True):
        wanted = analysis_rows(analysis, "sqlite")
        assert result.rows.tables == wanted.tables
        assert {k: v for k, v in result.rows.article.items()} == wanted.article
        signature = text_signature(article.text)
        assert result.signature.exact_key == signature.exact_key
        assert result.signature.grams == signature.grams
        if signature.minhash is not None:
            assert np.array_equal(result.signature.minhash, signature.minhash)
    undated = prepared[0][1].rows.article
    assert undated["published_source"] == "estimated"
    assert str(undated["published"]).startswith("2021-03-03")


def test_worker_processes_return_what_one_process_computes_in_input_order(ctx) -> None:
    articles = _articles() * 3  # more batches than workers, so results must be put back in order
    one = list(prepare_in_processes(articles, ctx, STAGES, batch_size=1, n_process=1, dialect="sqlite"))
    two = list(prepare_in_processes(articles, ctx, STAGES, batch_size=1, n_process=2, dialect="sqlite"))
    assert [a.id for a, _ in two] == [a.id for a in articles]
    assert [r.rows.tables for _, r in two] == [r.rows.tables for _, r in one]
    assert [r.signature.exact_key for _, r in two] == [r.signature.exact_key for _, r in one]


LONG_REPORT = (
    "Flood water reached the old quarter of Marvale on Sunday night, and by morning the river had cut the "
    "two roads that lead to the hospital. Volunteers carried patients to boats while the army built a "
    "temporary bridge near the grain silos. The mayor said 30 families had lost their homes and asked the "
    "province for tents, blankets and drinking water. Engineers warned that the dam upstream was close to its limit."
)


def test_local_run_stores_the_same_rows_with_one_or_two_processes_and_skips_exact_copies(tmp_path, ctx) -> None:
    del ctx  # loads the model once for the session
    texts = [*REPORTS[:3], LONG_REPORT, REPORTS[0].upper(), LONG_REPORT + " Rain continued."]
    articles = [Article.from_text(t, published=datetime(2023, 5, 9), origin=f"copy:{i}") for i, t in enumerate(texts)]
    stored = {}
    for processes in (1, 2):
        store = Store(tmp_path / f"p{processes}.db")
        summary = run_articles(articles, store, RunOptions(n_process=processes, batch_size=2))
        assert summary.analysed == 5  # the upper-cased copy has the same words: linked, not analysed
        assert summary.duplicates == 2  # and the extended report is a near duplicate (analysed)
        stored[processes] = {
            table.name: sorted(
                tuple(sorted((k, str(v)) for k, v in row.items() if k != "ingested_at")) for row in store.rows(table)
            )
            for table in (schema.articles, schema.article_links, *schema.EXTRACTED_TABLES)
        }
        copy = store.rows(schema.articles, schema.articles.c.id == articles[4].id)[0]
        assert copy["duplicate_of"] == articles[0].id
        assert not store.rows(schema.mentions, schema.mentions.c.article_id == articles[4].id)
        near = store.rows(schema.articles, schema.articles.c.id == articles[5].id)[0]
        assert near["duplicate_of"] == articles[3].id
        facts = [len(store.rows(t, t.c.article_id == articles[5].id)) for t in schema.EXTRACTED_TABLES]
        assert sum(facts) > 0  # a near duplicate is analysed: its own wording may add facts
        store.close()
    assert stored[1] == stored[2]


def test_settled_heap_is_frozen_and_still_collects_later_garbage() -> None:
    settle_heap()
    assert gc.get_freeze_count() > 0
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1  # objects made after the freeze are still collected
