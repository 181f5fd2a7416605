"""Incremental cross-document updates on the realistic synthetic corpus (spelling variants, copies, varied
story sizes): batches give one batch's event clusters, the entity key index resolves like a full load, later
updates read only what the new articles touch, and PostgreSQL stores the same clusters as SQLite."""

from __future__ import annotations

import os
from collections.abc import Hashable, Mapping
from pathlib import Path

import pytest

from storyline.bench_crossdoc import _store_batch, synthetic_corpus
from storyline.crossdoc.update import update_entities, update_event_coreference, update_stories
from storyline.store import Store, schema

POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES_URL")
N_ARTICLES = 240


def partition(assigned: Mapping[Hashable, Hashable]) -> set[frozenset[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = {}
    for item, cluster in assigned.items():
        groups.setdefault(cluster, set()).add(item)
    return {frozenset(g) for g in groups.values()}


def ingest(store: Store, batches: int, *, all_candidates: bool = False) -> list[tuple[int, int]]:
    """Store the corpus in chronological batches, updating after each; (entities read, events read) per batch."""
    corpus = list(synthetic_corpus(N_ARTICLES, seed=5))
    size = -(-len(corpus) // batches)
    read = []
    for start in range(0, len(corpus), size):
        _store_batch(store, corpus[start : start + size])
        update_stories(store)
        entities_read = update_entities(store, all_candidates=all_candidates)[1]
        read.append((entities_read, update_event_coreference(store)))
    return read


def clusters(store: Store) -> dict[str, set[frozenset[Hashable]]]:
    mentions = store.rows(schema.mentions)
    events = store.rows(schema.events, schema.events.c.background.is_(False))
    return {
        "stories": partition({r["article_id"]: r["story_id"] for r in store.rows(schema.story_articles)}),
        "entities": partition({(r["article_id"], r["entity_key"]): r["entity_id"] for r in mentions}),
        "events": partition({r["id"]: r["coref_id"] for r in events}),
    }


@pytest.fixture(scope="module")
def batched(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, set[frozenset[Hashable]]], list]:
    store = Store(tmp_path_factory.mktemp("batched") / "s.db")
    read = ingest(store, 6)
    return clusters(store), read


def test_batches_give_the_stories_and_event_clusters_of_one_batch(tmp_path: Path, batched) -> None:  # noqa: ANN001
    one = Store(tmp_path / "one.db")
    ingest(one, 1)
    expected, (found, _) = clusters(one), batched
    assert found["stories"] == expected["stories"]
    assert found["events"] == expected["events"]
    assert len(expected["events"]) < sum(1 for _ in one.rows(schema.events)) < 10 * len(expected["events"])


def test_the_key_index_resolves_entities_like_a_full_load_while_reading_fewer(tmp_path: Path, batched) -> None:  # noqa: ANN001
    full = Store(tmp_path / "full.db")
    full_read = ingest(full, 6, all_candidates=True)
    found, indexed_read = batched
    assert found["entities"] == clusters(full)["entities"]
    assert sum(r for r, _ in indexed_read[1:]) < sum(r for r, _ in full_read[1:])


def test_later_updates_read_only_the_events_of_stories_new_articles_reach(batched) -> None:  # noqa: ANN001
    _, read = batched
    events_read = [events for _, events in read]
    assert all(n > 0 for n in events_read)
    assert events_read[-1] < sum(events_read)  # not every stored event again


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="STORYLINE_TEST_POSTGRES_URL not set (CI sets it)")
def test_postgres_batches_store_the_clusters_of_sqlite(batched) -> None:  # noqa: ANN001
    store = Store(POSTGRES_URL)
    schema.metadata.drop_all(store.engine)
    store = Store(POSTGRES_URL)
    ingest(store, 6)
    assert clusters(store) == batched[0]
