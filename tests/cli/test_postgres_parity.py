"""The same corpus gives the same results on SQLite and on a real PostgreSQL server.

CI starts PostgreSQL (.ci/start_postgres.sh) and sets STORYLINE_TEST_POSTGRES_URL; without it the test is
skipped locally, never silently in CI (.ci/run fails if the server cannot start).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storyline.runner import run_corpus
from storyline.store import Store, schema

FIXTURES = Path(__file__).parent.parent / "fixtures" / "articles"
POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES_URL")


def _snapshot(store: Store) -> dict[str, list[tuple]]:
    keep = {
        "articles": ("id", "title", "outlet", "published", "text"),
        "mentions": ("id", "article_id", "start_char", "end_char", "label", "entity_key", "entity_id"),
        "places": ("id", "geonames_id", "precision"),
        "times": ("id", "value"),
        "quantities": ("id", "low", "high", "state"),
        "claims": ("id", "speaker", "stance"),
        "events": ("id", "sub_event_type"),
        "article_links": ("id", "kind"),
        "entities": ("id", "name"),
    }
    snap = {}
    for name, columns in keep.items():
        table = schema.metadata.tables[name]
        snap[name] = sorted(tuple(row[c] for c in columns) for row in store.rows(table))
    snap["story_sizes"] = sorted(r["n_articles"] for r in store.rows(schema.stories))
    return snap


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="STORYLINE_TEST_POSTGRES_URL not set (CI sets it)")
def test_postgres_matches_sqlite(tmp_path):
    sqlite_store = Store(tmp_path / "parity.db")
    pg_store = Store(POSTGRES_URL)
    schema.metadata.drop_all(pg_store.engine)
    pg_store = Store(POSTGRES_URL)
    try:
        run_corpus([FIXTURES], sqlite_store)
        run_corpus([FIXTURES], pg_store)
        sqlite_snapshot, pg_snapshot = _snapshot(sqlite_store), _snapshot(pg_store)
        assert sqlite_snapshot["articles"], "nothing was stored"
        for name in sqlite_snapshot:
            assert pg_snapshot[name] == sqlite_snapshot[name], name
        # Reruns add nothing on PostgreSQL either.
        summary = run_corpus([FIXTURES], pg_store)
        assert summary.stored == 0 and summary.skipped == len(sqlite_snapshot["articles"])
    finally:
        schema.metadata.drop_all(pg_store.engine)
        pg_store.close()
