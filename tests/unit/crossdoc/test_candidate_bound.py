"""A batch's working set follows the batch: a new name meeting many stored holders of a common key loads only
those resolution could compare it with, stored pair keys are read instead of derived again, and the merges
are those of loading every entity. Also: the bench corpus draws names from an open, Zipf-like vocabulary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from storyline.bench_crossdoc import synthetic_corpus
from storyline.crossdoc.entity_blocking import MAX_CANDIDATES
from storyline.crossdoc.entity_index import closest_by_name, pairs_from_keys, stored_keys
from storyline.crossdoc.entity_nodes import existing_node, node_pair_keys
from storyline.crossdoc.name_spelling import form_blocking_keys
from storyline.crossdoc.update import update_entities
from storyline.nlp.entities import load_alias_table
from storyline.records import Entity
from storyline.store import Store, schema
from tests.unit.crossdoc.test_entity_keys import article, partition

# Forty-five surnames sharing the initial K: "Omar K…" all agree on the pair key (Omar, K).
K_SURNAMES = [f"K{a}{b}{c}r" for a in "aeiou" for b in "bdlmnstvz" for c in "ai"][:45]


def crowded_store(path: Path) -> Store:
    """Forty-five stored "Omar K…" and one "Omar Kassem" (a separate article each)."""
    store = Store(path)
    for i, surname in enumerate([*K_SURNAMES, "Kassem"]):
        store.save_analysis(article(f"k{i}", [(f"Omar {surname}", "PERSON", f"Omar {surname}")]))
    update_entities(store)
    return store


def mention_partition(store: Store) -> set[frozenset[object]]:
    return partition(
        {(r["article_id"], r["entity_key"], r["label"]): r["entity_id"] for r in store.rows(schema.mentions)}
    )


@pytest.mark.parametrize("spelling", ["Omar Kasem", "Omar Qassem"])
def test_a_crowded_pair_key_loads_the_closest_holders_and_merges_as_a_full_load(tmp_path: Path, spelling: str) -> None:
    bounded, full = crowded_store(tmp_path / "bounded.db"), crowded_store(tmp_path / "full.db")
    new = article("new", [(spelling, "PERSON", spelling)])
    bounded.save_analysis(new)
    full.save_analysis(new)
    _, read = update_entities(bounded)
    _, read_all = update_entities(full, all_candidates=True)
    assert read < read_all  # the cut is real: not every "Omar K…" became a node (ties at the cut stay)
    entity_of = {r["entity_key"]: r["entity_id"] for r in bounded.rows(schema.mentions)}
    assert entity_of[spelling] == entity_of["Omar Kassem"]
    assert entity_of[spelling] != entity_of[f"Omar {K_SURNAMES[0]}"]
    assert mention_partition(bounded) == mention_partition(full)


def test_closest_holders_keeps_few_holders_whole_and_cuts_many_at_the_nth_best_spelling(tmp_path: Path) -> None:
    store = crowded_store(tmp_path / "c.db")
    ids = {r["name"]: r["id"] for r in store.rows(schema.entities)}
    few = {ids[f"Omar {s}"] for s in K_SURNAMES[:5]}
    many = set(ids.values())
    kept, read = closest_by_name(store, {"Omar Kasem": many, "Ali Kabar": few})
    assert read.keys() == many  # every holder met is read once, as a row
    assert kept["Ali Kabar"] == few  # under the cap: every holder stays
    assert ids["Omar Kassem"] in kept["Omar Kasem"]
    assert MAX_CANDIDATES <= len(kept["Omar Kasem"]) < len(many)
    kept_alone, _ = closest_by_name(store, {"Ali Kabar": few})
    assert kept_alone == {"Ali Kabar": few}


def test_tied_holders_at_the_cut_are_all_kept(tmp_path: Path) -> None:
    """A bare "Omar" is as close to every "Omar K…" (token sets): none may be dropped arbitrarily."""
    store = crowded_store(tmp_path / "t.db")
    every = {r["id"] for r in store.rows(schema.entities)}
    kept, _ = closest_by_name(store, {"Omar": every})
    assert kept == {"Omar": every}


def test_stored_pair_keys_read_back_equal_the_derived_ones() -> None:
    table = load_alias_table()
    for entity in (
        Entity("e1", "Abu Bakr al-Baghdadi", "PERSON", ("Baghdadi", "al-Baghdadi")),
        Entity("e2", "Nadia", "PERSON", ()),
        Entity("e3", "Deir ez-Zor", "GPE", ("Deir Ezzor",)),
    ):
        node = existing_node(entity)
        read = pairs_from_keys(stored_keys(entity, None, table))
        derived = frozenset(node_pair_keys(node))
        assert read == (derived or None)  # a place has none: derived again, still empty
        assert existing_node(entity, pairs=read).pair_keys == derived


def test_the_bench_corpus_draws_recurring_and_new_names_with_varied_keys() -> None:
    def people(model: str) -> set[str]:
        corpus = synthetic_corpus(1500, 3, model)
        return {m.entity_key for a, _ in corpus for m in a.mentions if m.label == "PERSON" and " " in m.entity_key}

    zipf, uniform = people("zipf"), people("uniform")
    firsts = Counter(name.split()[0] for name in zipf)
    assert firsts.most_common(1)[0][1] >= 10 * sorted(firsts.values())[len(firsts) // 2]  # a few names everywhere
    assert sum(1 for n in firsts.values() if n == 1) > len(firsts) / 3  # and a long tail of rare ones
    skeletons = {
        key: len({k for n in names for k in form_blocking_keys(n)}) for key, names in [("z", zipf), ("u", uniform)]
    }
    assert skeletons["z"] > 3 * skeletons["u"]  # the uniform pool shares a handful of two-letter keys
    with pytest.raises(ValueError, match="names must be one of"):
        next(synthetic_corpus(10, 1, "gaussian"))
