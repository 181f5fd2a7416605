"""Which stored entities new entity groups could merge with, read through the persisted ``entity_keys`` table.

Input: the resolver nodes of new groups and the store. Output: the ids of stored entities sharing a lookup key
with a new node (a phonetic blocking key, a name form, an alias-table canonical name or an acronym: every way
``crossdoc.entities`` can merge two nodes), and how many stored names left unread hold each blocking key.
``stored_keys`` gives the rows an entity keeps in that table (written with the entity, in its transaction).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from storyline.crossdoc.entities import MAX_BLOCK, compare_nodes
from storyline.crossdoc.entity_blocking import COMMON_KEY, FUZZY_BUCKETS, MAX_CANDIDATES, pair_lookups
from storyline.crossdoc.entity_nodes import Node, existing_node
from storyline.crossdoc.name_spelling import folded_spelling
from storyline.nlp.entities import AliasTable, alias_form, is_acronym
from storyline.records import Entity
from storyline.store import Store
from storyline.store.queries import entities_by_id, entity_key_counts, entity_key_holders, keys_of_entities

FORM_PREFIX = "form:"  # every form an entity was written in, folded (exact-name lookups)
NAME_PREFIX = "name:"  # the names an entity is known by on their own (identity forms of its groups)
PAIR_PREFIX = "pair:"  # entities.node_pair_keys: narrower keys under a blocking key, read when it is common
# what resolution reads of a stored entity: its names, blocking keys and pair keys
RESOLVER_KEY_KINDS = (NAME_PREFIX, PAIR_PREFIX, *(f"{bucket}:" for bucket in sorted(FUZZY_BUCKETS)))


def blocking_keys(node: Node) -> frozenset[str]:
    """Bucket-prefixed blocking keys, exactly as entity_blocking.distinct_names prefixes them."""
    if node.bucket not in FUZZY_BUCKETS:
        return frozenset()
    return frozenset(f"{node.bucket}:{key}" for key in node.blocking_keys)


def is_blocking_key(key: str) -> bool:
    return key.split(":", 1)[0] in FUZZY_BUCKETS


def lookup_keys(node: Node, table: AliasTable) -> frozenset[str]:
    """Every key under which two nodes may be merged; two nodes sharing none are never merged."""
    keys = set(blocking_keys(node))
    for form in node.forms:
        folded = alias_form(form)
        keys.add(f"{FORM_PREFIX}{folded}")  # exact names, also across buckets (a person tagged as a place)
        if is_acronym(form):
            keys.add(f"acronym:{folded}")
        entry = table.lookup(form)
        if entry is not None:
            keys.add(f"canonical:{entry.canonical}")
    return frozenset(keys)


def pair_keys(node: Node) -> frozenset[str]:
    """Bucket-prefixed pair keys (entities.node_pair_keys), as entity_blocking.distinct_names prefixes them."""
    return frozenset(f"{node.bucket}:{key}" for key in node.pair_keys)


def stored_keys(entity: Entity, names: Iterable[str] | None, table: AliasTable) -> frozenset[str]:
    """The ``entity_keys`` rows of an entity: its lookup keys, pair keys and the names it is known by."""
    node = existing_node(entity, tuple(names) if names is not None else None)
    identity = {f"{NAME_PREFIX}{name}" for name in node.identity_forms}
    pairs = {f"{PAIR_PREFIX}{key}" for key in pair_keys(node)}
    return lookup_keys(node, table) | pairs | identity


def names_from_keys(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(k[len(NAME_PREFIX) :] for k in keys if k.startswith(NAME_PREFIX)))


def pairs_from_keys(keys: Iterable[str]) -> frozenset[str] | None:
    """A stored entity's pair keys without their prefixes ("pair:actor:bd&k" → "bd&k"), as ``Node.pair_keys``
    holds them; None when none are stored (an entity stored before they were, or not an actor: derive them)."""
    pairs = frozenset(k[len(PAIR_PREFIX) :].split(":", 1)[1] for k in keys if k.startswith(PAIR_PREFIX))
    return pairs or None


@dataclass(frozen=True)
class Candidates:
    """Stored entities to load for new nodes, and the stored holder counts of their blocking keys."""

    ids: frozenset[str]
    block_counts: Mapping[str, int]
    ranked: int = 0  # stored names read as rows to rank and compare with new names (not loaded as nodes)


def find_candidates(store: Store, nodes: Iterable[Node], table: AliasTable) -> Candidates:
    """Stored entities sharing a lookup key with any node.

    A blocking key held by more than MAX_BLOCK stored entities is skipped: resolution will not block on it.
    One held by more than COMMON_KEY is read through its narrower pair keys (entity_blocking.pair_lookups),
    exactly as candidate_pairs blocks on it, so a common first name does not pull every holder. Of the
    holders a node meets through blocking, only those candidate_pairs could compare are kept (see
    ``closest_by_name``), and of those only the ones a new node could merge with (``mergeable_holders``):
    the rows of the others are read, not their keys nor nodes. Of those holding a node's own name as a form,
    those known by that name on their own (``same_name_holders``); acronyms and alias-table names are read
    in full.
    """
    nodes = list(nodes)
    by_name: dict[tuple[str, frozenset[str], tuple[str, ...]], frozenset[str]] = {}  # one name recurs often
    wanted: dict[int, frozenset[str]] = {}
    for i, node in enumerate(nodes):
        name = (node.bucket, node.blocking_keys, tuple(node.forms))  # all that lookup_keys reads of a node
        found_keys = by_name.get(name)
        if found_keys is None:
            found_keys = by_name[name] = lookup_keys(node, table)
        wanted[i] = found_keys
    counts = entity_key_counts(store, {k for keys in wanted.values() for k in keys if is_blocking_key(k)})
    direct: set[str] = set()
    blocked: dict[int, set[str]] = {}  # node → the postings it meets spelling variants through
    for i, keys in wanted.items():
        pairs = pair_keys(nodes[i])
        for key in keys:
            held = counts.get(key, 0)
            if not is_blocking_key(key):
                direct.add(key)
            elif held <= MAX_BLOCK:  # a key above it is not blocked on: its holders are not read
                lookups = pair_lookups(key, held, pairs, COMMON_KEY)
                blocked.setdefault(i, set()).update(k if k == key else f"{PAIR_PREFIX}{k}" for k in lookups)
    named = {f"{FORM_PREFIX}{alias_form(f)}" for node in nodes for f in node.identity_forms}
    direct = {k for k in direct if not k.startswith(FORM_PREFIX)}
    holders = entity_key_holders(store, direct | named | set().union(*blocked.values()))
    found = {entity_id for key in direct for entity_id in holders.get(key, ())}
    found |= same_name_holders(store, {k: holders[k] for k in named if k in holders})
    met: dict[str, set[str]] = {}  # a new name (its widest form) → the stored entities it meets
    fresh: dict[str, dict[str, Node]] = {}  # and a new node of that name per label
    for i, postings in blocked.items():
        met.setdefault(nodes[i].widest, set()).update(e for key in postings for e in holders.get(key, ()))
        fresh.setdefault(nodes[i].widest, {}).setdefault(nodes[i].label, nodes[i])
    closest, read = closest_by_name(store, met)
    mergeable = mergeable_holders(closest, read, {widest: by_label.values() for widest, by_label in fresh.items()})
    return Candidates(frozenset(found | mergeable), counts, len(read))


def same_name_holders(store: Store, holders: Mapping[str, list[str]]) -> set[str]:
    """Of the stored entities holding a new node's own name as a form, those known by it on its own.

    Exact-name merging compares identity forms only: "Dobinei" within "Ahmed Dobinei"'s articles is a form of
    that entity, not a name it stands under, and a common surname is a form of very many entities. Entities
    stored before their names were kept are read whole."""
    ids = sorted({e for found in holders.values() for e in found})
    names = keys_of_entities(store, ids, (NAME_PREFIX,))
    folded = {e: {f"{FORM_PREFIX}{alias_form(n)}" for n in names_from_keys(keys)} for e, keys in names.items()}
    return {e for key, found in holders.items() for e in found if e not in folded or key in folded[e]}


def mergeable_holders(
    closest: Mapping[str, set[str]], existing: Mapping[str, Node], fresh: Mapping[str, Iterable[Node]]
) -> set[str]:
    """Of the stored entities each new name may be compared with (``closest``), those some new node of that
    name is not plainly "different" from (``entities.compare_nodes``, the verdict resolution would reach).

    A stored name is only ever merged by spelling with a new name it is compared with (two stored names
    were compared when the later arrived), so one no new name could merge with is left unloaded: most of
    a common key's holders are other people sharing a first name. ``existing``: the stored entities read
    as rows, as nodes; ``fresh``: a new name's nodes, one per label (the verdict depends on nothing else).
    Not loaded, such a name no longer takes one of a new name's MAX_CANDIDATES places in candidate_pairs:
    a farther stored name loaded for another new name may take it and be compared (and merge) instead."""
    kept: set[str] = set()
    for widest, ids in closest.items():
        for entity_id in ids - kept:
            node = existing.get(entity_id)
            # not readable as a row: load it and let resolution decide
            if node is None or any(compare_nodes(new, node) != "different" for new in fresh.get(widest, ())):
                kept.add(entity_id)
    return kept


def closest_by_name(store: Store, met: Mapping[str, set[str]]) -> tuple[dict[str, set[str]], dict[str, Node]]:
    """Per new name (its widest form), the stored entities it meets through blocking that it may be compared
    with; and every stored entity met, read as a row (id, name, aliases) and made a node, to rank them here and
    to compare them in ``mergeable_holders``.

    candidate_pairs compares a new name with its MAX_CANDIDATES closest earlier names by token-set similarity
    of their folded spellings; a stored entity below the MAX_CANDIDATES-th best distinct spelling among those a
    name meets here is below it among all the names it meets there too, so it is never compared: not loading
    it leaves every merge as it was (ties at the cut are kept). A name meeting no more than MAX_CANDIDATES
    keeps them all.
    """
    read = {e.id: existing_node(e) for e in entities_by_id(store, sorted({e for ids in met.values() for e in ids}))}
    kept: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    for widest, ids in met.items():
        if len(ids) <= MAX_CANDIDATES:
            kept[widest] = set(ids)
            continue
        for entity_id in ids - spelling.keys():
            if entity_id in read:
                spelling[entity_id] = folded_spelling(read[entity_id].widest)
        query = folded_spelling(widest)
        score = {s: fuzz.token_set_ratio(query, s) for s in {spelling[e] for e in ids if e in spelling}}
        cut = sorted(score.values(), reverse=True)[:MAX_CANDIDATES][-1]
        kept[widest] = {e for e in ids if e not in spelling or score[spelling[e]] >= cut}
    return kept, read


def outside_counts(block_counts: Mapping[str, int], loaded_keys: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """Per blocking key, the stored entities holding it that were not loaded (``block_counts``: stored holder
    counts of every blocking key of the loaded entities and the new nodes, see ``all_block_counts``)."""
    inside: Counter[str] = Counter()
    for keys in loaded_keys.values():
        inside.update(k for k in keys if is_blocking_key(k))
    return {
        key: block_counts[key] - inside[key]
        for key in inside.keys() | block_counts.keys()
        if block_counts.get(key, 0) > inside[key]
    }


def all_block_counts(
    store: Store, loaded_keys: Mapping[str, Iterable[str]], nodes: Iterable[Node], known: Mapping[str, int]
) -> dict[str, int]:
    """Stored holder counts of every blocking key of the loaded entities and the nodes."""
    keys = {k for ks in loaded_keys.values() for k in ks if is_blocking_key(k)}
    keys.update(k for node in nodes for k in blocking_keys(node))
    missing = keys - known.keys()
    return {**{k: v for k, v in known.items() if k in keys}, **entity_key_counts(store, missing)}
