"""A new name loads only the stored names it could merge with: of the many holders of a shared first name or
key, those a spelling comparison does not call plainly different; the merges stay those of loading every
entity (short surnames, ambiguous surnames, place spellings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.crossdoc.entity_blocking import MAX_CANDIDATES
from storyline.crossdoc.entity_index import mergeable_holders
from storyline.crossdoc.entity_nodes import EntityGroup, existing_node, group_node
from storyline.crossdoc.update import update_entities
from storyline.records import Entity
from storyline.store import Store, schema
from tests.unit.crossdoc.test_candidate_bound import K_SURNAMES, mention_partition
from tests.unit.crossdoc.test_entity_keys import article

# More "Omar K…" than a new name is compared with, so the store is crowded beyond the bound.
CROWD = K_SURNAMES[: MAX_CANDIDATES + 10]


def store_of(path: Path, people: list[tuple[str, str]]) -> Store:
    """One article per (name, label), resolved."""
    store = Store(path)
    for i, (name, label) in enumerate(people):
        store.save_analysis(article(f"p{i}", [(name, label, name)]))
    update_entities(store)
    return store


def bounded_and_full(
    tmp_path: Path, people: list[tuple[str, str]], new: list[tuple[str, str]]
) -> tuple[Store, int, Store]:
    """The same store resolved once through the index and once reading every entity; returns (index store,
    entities it read, reference store)."""
    bounded, full = store_of(tmp_path / "b.db", people), store_of(tmp_path / "f.db", people)
    for store in (bounded, full):
        store.save_analysis(article("new", [(name, label, name) for name, label in new]))
    _, read = update_entities(bounded)
    update_entities(full, all_candidates=True)
    return bounded, read, full


def entity_of(store: Store) -> dict[str, str]:
    return {r["entity_key"]: r["entity_id"] for r in store.rows(schema.mentions)}


@pytest.mark.parametrize("spelling", ["Omar Kasem", "Omar Qassem", "Omar Kassem"])
def test_a_crowded_first_name_loads_only_the_holder_it_can_merge_with(tmp_path: Path, spelling: str) -> None:
    people = [(f"Omar {s}", "PERSON") for s in CROWD] + [("Omar Kassem", "PERSON")]
    bounded, read, full = bounded_and_full(tmp_path, people, [(spelling, "PERSON")])
    assert read == 1  # forty "Omar K…" share the keys; only "Omar Kassem" is a spelling of the new name
    assert entity_of(bounded)[spelling] == entity_of(bounded)["Omar Kassem"]
    assert mention_partition(bounded) == mention_partition(full)


def test_a_bare_surname_loads_every_full_name_holding_it_and_stays_apart_when_ambiguous(tmp_path: Path) -> None:
    people = [(f"Omar {s}", "PERSON") for s in CROWD] + [("Omar Kassem", "PERSON"), ("Layla Kassem", "PERSON")]
    bounded, read, full = bounded_and_full(tmp_path, people, [("Kassem", "PERSON")])
    assert read == 2  # both people named Kassem, none of the other Omars
    ids = entity_of(bounded)
    assert ids["Kassem"] not in {ids["Omar Kassem"], ids["Layla Kassem"]}  # which Kassem? not decidable
    assert mention_partition(bounded) == mention_partition(full)


def test_a_lone_full_name_takes_its_bare_surname_and_a_place_its_other_spelling(tmp_path: Path) -> None:
    people = [(f"Omar {s}", "PERSON") for s in CROWD] + [("Deir ez-Zor", "GPE"), ("Dar Zarour", "GPE")]
    bounded, read, full = bounded_and_full(
        tmp_path, [*people, ("Kassem", "PERSON")], [("Omar Kassem", "PERSON"), ("Deir Ezzor", "GPE")]
    )
    assert read == 2  # the bare "Kassem" and "Deir ez-Zor"; not "Dar Zarour" (same key, another place)
    ids = entity_of(bounded)
    assert ids["Omar Kassem"] == ids["Kassem"]
    assert ids["Deir Ezzor"] == ids["Deir ez-Zor"] != ids["Dar Zarour"]
    assert mention_partition(bounded) == mention_partition(full)


def test_mergeable_holders_keeps_variants_subsets_and_unread_rows_only() -> None:
    stored = {
        e.id: existing_node(e)
        for e in (
            Entity("e1", "Omar Kassem", "PERSON", ()),
            Entity("e2", "Omar Kabir", "PERSON", ()),
            Entity("e3", "Kassem Trading Company", "ORG", ()),
            Entity("e4", "Omar", "PERSON", ()),
        )
    }
    fresh = {"Omar Qasem": [group_node(EntityGroup("a", "Omar Qasem", "PERSON", ("Omar Qasem",)))]}
    closest = {"Omar Qasem": {"e1", "e2", "e3", "e4", "e5"}}
    # e5 was not read as a row (left to resolution), e4 is a bare "Omar" the full name may stand for
    assert mergeable_holders(closest, stored, fresh) == {"e1", "e4", "e5"}
    assert mergeable_holders(closest, stored, {}) == {"e5"}  # no new node of that name: nothing to merge with
