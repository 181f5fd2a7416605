"""Rows encoded on Dask workers for PostgreSQL store the same values as a local run into SQLite, and a
second Dask run (index rebuilt from worker-computed signatures) skips everything and adds no link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline.runner import RunOptions, run_corpus
from storyline.store import Store, schema

FIXTURES = Path(__file__).parent.parent / "fixtures" / "articles"
POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES_URL")
COLUMNS = {
    "articles": ("id", "published", "published_precision", "segments", "duplicate_of", "word_count"),
    "claims": ("id", "said_on", "hedges", "direct"),
    "events": ("id", "event_date", "background", "fatalities_low"),
    "times": ("id", "start_at", "end_at"),
    "places": ("id", "latitude", "is_demonym"),
    "article_links": ("id", "source_start", "target_end"),
}


def _typed(store: Store) -> dict[str, list[tuple]]:
    return {
        name: sorted((tuple(row[c] for c in columns) for row in store.rows(schema.metadata.tables[name])), key=repr)
        for name, columns in COLUMNS.items()
    }


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="STORYLINE_TEST_POSTGRES_URL not set (CI sets it)")
def test_dask_rows_for_postgres_match_local_sqlite(tmp_path):
    pytest.importorskip("distributed")
    local = Store(tmp_path / "local.db")
    pg_store = Store(POSTGRES_URL)
    schema.metadata.drop_all(pg_store.engine)
    pg_store = Store(POSTGRES_URL)
    try:
        run_corpus([FIXTURES], local)
        run_corpus([FIXTURES], pg_store, RunOptions(engine="dask", workers=2, chunk_size=4))
        expected, got = _typed(local), _typed(pg_store)
        assert expected["articles"], "nothing was stored"
        for name in COLUMNS:
            assert got[name] == expected[name], name
        rerun = run_corpus([FIXTURES], pg_store, RunOptions(engine="dask", workers=2, chunk_size=4))
        assert rerun.stored == 0 and rerun.skipped == len(expected["articles"])
        assert _typed(pg_store)["article_links"] == expected["article_links"]
    finally:
        schema.metadata.drop_all(pg_store.engine)
        pg_store.close()
