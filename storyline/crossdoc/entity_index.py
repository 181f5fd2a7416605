"""Which stored entities new entity groups could merge with, so an update does not load every entity.

Input: the stored entities (read once per process and store, then kept up to date by each update) and the
resolver nodes of new groups. Output: the ids of stored entities sharing a lookup key with a new node (a
phonetic blocking key, a name form, an alias-table canonical name or an acronym: every way
``crossdoc.entities`` can merge two nodes), and how many stored names hold each blocking key.
"""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from storyline.crossdoc.entities import MAX_BLOCK, Node, existing_node, node_blocking_keys
from storyline.crossdoc.entity_blocking import FUZZY_BUCKETS
from storyline.nlp.entities import AliasTable, alias_form, is_acronym
from storyline.records import Entity
from storyline.store import Store, schema
from storyline.store.queries import iter_entities


def blocking_keys(node: Node) -> frozenset[str]:
    """Bucket-prefixed blocking keys, exactly as entity_blocking.distinct_names prefixes them."""
    if node.bucket not in FUZZY_BUCKETS:
        return frozenset()
    return frozenset(f"{node.bucket}:{key}" for key in node_blocking_keys(node))


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


@dataclass
class EntityKeyIndex:
    """Lookup key → stored entity ids, and blocking key → how many stored entities hold it."""

    table: AliasTable
    postings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    keys_of: dict[str, frozenset[str]] = field(default_factory=dict)  # entity id → its lookup keys
    block_counts: Counter[str] = field(default_factory=Counter)

    def add(self, entity: Entity) -> None:
        """Index an entity (again, if an update gave it new aliases)."""
        self.remove(entity.id)
        node = existing_node(entity)
        keys = lookup_keys(node, self.table)
        self.keys_of[entity.id] = keys
        for key in keys:
            self.postings[key].add(entity.id)
        self.block_counts.update(blocking_keys(node))

    def remove(self, entity_id: str) -> None:
        keys = self.keys_of.pop(entity_id, None)
        if keys is None:
            return
        for key in keys:
            self.postings[key].discard(entity_id)
            if not self.postings[key]:
                del self.postings[key]
            if key in self.block_counts:
                self.block_counts[key] -= 1
                if self.block_counts[key] <= 0:
                    del self.block_counts[key]

    def candidates(self, nodes: Iterable[Node]) -> set[str]:
        """Stored entities sharing a lookup key with any of these nodes.

        A blocking key already held by more than MAX_BLOCK stored entities is skipped: resolution will not
        block on it, so its holders need not be read (outside_counts still counts them).
        """
        found: set[str] = set()
        for node in nodes:
            for key in lookup_keys(node, self.table):
                if self.block_counts.get(key, 0) <= MAX_BLOCK:
                    found.update(self.postings.get(key, ()))
        return found

    def outside_counts(self, loaded: Iterable[str], nodes: Iterable[Node]) -> Mapping[str, int]:
        """Per blocking key of the loaded entities and new nodes, the stored entities holding it that were
        not loaded."""
        inside: Counter[str] = Counter()
        for entity_id in loaded:
            inside.update(k for k in self.keys_of.get(entity_id, ()) if k in self.block_counts)
        wanted = set(inside).union(*(blocking_keys(node) for node in nodes))
        return {key: self.block_counts[key] - inside[key] for key in wanted if self.block_counts[key] > inside[key]}

    def __len__(self) -> int:
        return len(self.keys_of)


# One index per open store, built on the first update of a process and kept current by later ones.
_INDEXES: weakref.WeakKeyDictionary[Store, EntityKeyIndex] = weakref.WeakKeyDictionary()


def index_for(store: Store, table: AliasTable) -> EntityKeyIndex:
    """The store's key index; rebuilt from the entity rows when another writer changed their number."""
    index = _INDEXES.get(store)
    if index is not None and index.table is table and len(index) == store.count(schema.entities):
        return index
    index = EntityKeyIndex(table)
    for row in iter_entities(store):
        index.add(Entity(row["id"], row["name"], row["label"], tuple(row["aliases"])))
    _INDEXES[store] = index
    return index
