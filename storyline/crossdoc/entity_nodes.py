"""The records cross-article entity resolution works on: an ``EntityGroup`` (one entity key of one article),
a ``Node`` (a group or a stored entity while resolving, with its blocking keys) and the ``Resolution`` it
produces. ``crossdoc.entities`` merges nodes; ``crossdoc.entity_index`` reads stored entities as nodes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from storyline.crossdoc.name_spelling import form_blocking_keys, form_pair_keys, significant_parts, skeleton
from storyline.nlp.entities import is_acronym, label_family, name_tokens
from storyline.records import Entity


@dataclass(frozen=True, slots=True)
class EntityGroup:
    """All mentions of one entity key in one article: the unit cross-article resolution merges."""

    article_id: str
    entity_key: str
    label: str
    surface_forms: tuple[str, ...]
    context_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """Each (article_id, entity_key) → its Entity; ``merges`` says why nodes were joined."""

    entities: tuple[Entity, ...]
    by_key: dict[tuple[str, str], Entity]
    merges: tuple[tuple[str, str, str], ...] = ()  # (name, name, reason)
    superseded: dict[str, str] = field(default_factory=dict)  # old entity id → id it was merged into
    # (article_id, entity_key, label) → Entity: one key NER labelled twice in an article ("Kongoussi" as a
    # person and as a town) may name two entities; ``by_key`` then holds the actor's.
    by_group: dict[tuple[str, str, str], Entity] = field(default_factory=dict)
    names: dict[str, frozenset[str]] = field(default_factory=dict)  # entity id → names it is known by alone


@dataclass
class Node:
    """A group or an existing entity while resolving."""

    label: str
    forms: Counter[str]
    context: frozenset[str]
    group: EntityGroup | None = None
    existing: Entity | None = None
    names: tuple[str, ...] | None = None  # a stored entity's identity forms, as its groups had them
    known_pairs: frozenset[str] | None = None  # a stored entity's pair keys as stored (None: derive them)

    @property
    def is_existing(self) -> bool:
        return self.existing is not None

    @cached_property
    def bucket(self) -> str:
        return bucket_of(self.label)

    @cached_property
    def identity_forms(self) -> list[str]:
        """Forms that name this node on their own: forms not contained in a fuller one, and acronyms.

        A stored entity keeps those of the groups it was built from: the union of its forms would hide a
        short name one article used alone under a longer one another used ("Sahel Defence Movement" under
        "of the Sahel Defence Movement"), and a later article's short name would no longer meet it."""
        if self.names is not None:
            return list(self.names)
        parts = {f: frozenset(significant_parts(f)) for f in self.forms}
        return [f for f in self.forms if is_acronym(f) or not any(parts[f] < other for other in parts.values())]

    @cached_property
    def widest(self) -> str:
        return max(self.forms, key=lambda f: (len(significant_parts(f)), self.forms[f], f))

    @cached_property
    def blocking_keys(self) -> frozenset[str]:
        return frozenset(node_blocking_keys(self))

    @cached_property
    def pair_keys(self) -> frozenset[str]:
        # A stored entity's keys are read, not derived again from every alias it gathered.
        return self.known_pairs if self.known_pairs is not None else frozenset(node_pair_keys(self))


def node_blocking_keys(node: Node) -> set[str]:
    """Phonetic keys under which a node meets its possible spelling variants."""
    if node.bucket == "place":
        return {skeleton("".join(name_tokens(node.widest)))[:4]}
    return {key for form in node.forms for key in form_blocking_keys(form)}


def node_pair_keys(node: Node) -> set[str]:
    """Narrower keys under each blocking key of an actor's name parts, for when that key is common: the
    initial of each other part of the form ("bd&k": a variant of a multi-part name keeps its parts'
    initials), nothing for a one-part name ("bd&"), and the folded part itself ("bd=bada": a bare name is
    short for the full names holding that very part)."""
    if node.bucket != "actor":
        return set()  # places block on one key of the whole name: nothing to narrow
    keys = set()
    widest = [p for p in significant_parts(node.widest) if len(p) > 2]
    if len(widest) == 1:  # compared as a one-part name (a full name's bare surname alias is not one)
        keys.add(f"{skeleton(widest[0])}&")
    for form in node.forms:
        keys.update(form_pair_keys(form))
    return keys


def existing_node(entity: Entity, names: tuple[str, ...] | None = None, pairs: frozenset[str] | None = None) -> Node:
    """An entity of an earlier run as a resolver node: its name weighs more than its aliases; ``names`` are
    its stored identity forms and ``pairs`` its stored pair keys, unprefixed (None: derive them from its
    forms, for entities stored before they were kept)."""
    forms = Counter({entity.name: 3, **{a: 1 for a in entity.aliases}})
    return Node(entity.label, forms, frozenset(), existing=entity, names=names, known_pairs=pairs)


def group_node(group: EntityGroup) -> Node:
    forms = Counter({group.entity_key: 1, **{s: 1 for s in group.surface_forms}})
    return Node(group.label, forms, frozenset(group.context_words), group=group)


# What a group node derives from its label and forms alone (not from its article or context words).
_DERIVED_FROM_NAME = ("bucket", "widest", "blocking_keys", "pair_keys")


def group_nodes(groups: Iterable[EntityGroup]) -> list[Node]:
    """``group_node`` of each group; groups with the same label and forms (one name recurring across
    articles) share the keys derived from them, computed once instead of once per article."""
    first_of: dict[tuple[str, tuple[tuple[str, int], ...]], Node] = {}
    nodes = []
    for group in groups:
        node = group_node(group)
        twin = first_of.setdefault((node.label, tuple(node.forms.items())), node)
        if twin is not node:
            for name in _DERIVED_FROM_NAME:
                setattr(node, name, getattr(twin, name))
            node.identity_forms = list(twin.identity_forms)  # a list: each node gets its own
        nodes.append(node)
    return nodes


def bucket_of(label: str) -> str:
    """Labels that may name one entity: NER mixes PERSON/ORG/GROUP for actors, GPE/LOC/FAC for places."""
    family = label_family(label)
    return "actor" if family in {"agent", "org"} else family
