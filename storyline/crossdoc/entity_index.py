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

from storyline.crossdoc.entities import MAX_BLOCK
from storyline.crossdoc.entity_blocking import COMMON_KEY, FUZZY_BUCKETS, pair_lookups
from storyline.crossdoc.entity_nodes import Node, existing_node
from storyline.nlp.entities import AliasTable, alias_form, is_acronym
from storyline.records import Entity
from storyline.store import Store
from storyline.store.queries import entity_key_counts, entity_key_holders

NAME_PREFIX = "name:"  # the names an entity is known by on their own (identity forms of its groups)
PAIR_PREFIX = "pair:"  # entities.node_pair_keys: narrower keys under a blocking key, read when it is common
RESOLVER_KEY_KINDS = (NAME_PREFIX, *(f"{bucket}:" for bucket in sorted(FUZZY_BUCKETS)))  # what resolution reads


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
        keys.add(f"form:{folded}")  # exact names, also across buckets (a person tagged as a place)
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


@dataclass(frozen=True)
class Candidates:
    """Stored entities to load for new nodes, and the stored holder counts of their blocking keys."""

    ids: frozenset[str]
    block_counts: Mapping[str, int]


def find_candidates(store: Store, nodes: Iterable[Node], table: AliasTable) -> Candidates:
    """Stored entities sharing a lookup key with any node.

    A blocking key held by more than MAX_BLOCK stored entities is skipped: resolution will not block on it.
    One held by more than COMMON_KEY is read through its narrower pair keys (entity_blocking.pair_lookups),
    exactly as candidate_pairs blocks on it, so a common first name does not pull every holder.
    """
    nodes = list(nodes)
    wanted: dict[int, frozenset[str]] = {i: lookup_keys(node, table) for i, node in enumerate(nodes)}
    counts = entity_key_counts(store, {k for keys in wanted.values() for k in keys if is_blocking_key(k)})
    read: set[str] = set()
    for i, keys in wanted.items():
        pairs = pair_keys(nodes[i])
        for key in keys:
            held = counts.get(key, 0)
            if not is_blocking_key(key):
                read.add(key)
            elif held <= MAX_BLOCK:  # a key above it is not blocked on: its holders are not read
                read.update(k if k == key else f"{PAIR_PREFIX}{k}" for k in pair_lookups(key, held, pairs, COMMON_KEY))
    found = {entity_id for holders in entity_key_holders(store, read).values() for entity_id in holders}
    return Candidates(frozenset(found), counts)


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
