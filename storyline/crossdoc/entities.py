"""Cross-article entity resolution: merge per-article entity keys into corpus-wide ``Entity`` records.

Input: ``EntityGroup``s (one per article × entity key, built from mentions) and optionally the entities
of an earlier run; output: a ``Resolution`` mapping every (article_id, entity_key) to one ``Entity``.
Merges come from the alias table, corpus-wide acronyms and blocked fuzzy matching of spelling variants.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path

from rapidfuzz import fuzz

from storyline.crossdoc.entity_blocking import DistinctName, candidate_pairs, distinct_names
from storyline.crossdoc.entity_nodes import EntityGroup, Node, Resolution, bucket_of, existing_node, group_node
from storyline.crossdoc.name_spelling import (
    compare_person_names,
    folded_spelling,
    significant_parts,
    transliterated,
)
from storyline.crossdoc.text_case import lowers_in_place
from storyline.nlp.entities import (
    AliasTable,
    alias_form,
    initials_fit,
    is_acronym,
    load_alias_table,
    looks_like_org,
    name_tokens,
)
from storyline.records import ArticleAnalysis, Entity, content_id

ORG_MATCH = 92  # token_sort_ratio for organisation names ("Democratic Syrian Forces")
PLACE_MATCH = 90  # ratio of place names written without spaces/hyphens ("Deir Ezzor" ~ "Deir ez-Zor")
MAX_BLOCK = 200  # a blocking key shared by more entities than this is too common to compare on
CONTEXT_STOPWORDS = frozenset(
    "that this with from have been were will would said says also their there they them which when where "
    "what about after before into over more than some other such only very most many while being".split()
)


class Components:
    """Union-find over node indices."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)  # the lower index (existing entities first) stays root
        return True


@dataclass
class Resolver:
    nodes: list[Node]
    table: AliasTable
    components: Components
    merges: list[tuple[str, str, str]] = field(default_factory=list)
    canonical: dict[int, str] = field(default_factory=dict)  # node → alias-table canonical name
    outside_counts: Mapping[str, int] = field(default_factory=dict)  # blocking key → names not loaded holding it

    def join(self, a: int, b: int, reason: str) -> None:
        if self.components.join(a, b):
            self.merges.append((self.nodes[a].widest, self.nodes[b].widest, reason))

    def by_alias_table(self) -> None:
        anchors: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            for form in node.forms:
                entry = self.table.lookup(form)
                if entry is None or bucket_of(entry.label) != node.bucket:
                    continue
                self.canonical[i] = entry.canonical
                anchor = anchors.setdefault(entry.canonical, i)
                self.join(anchor, i, f"alias table: {entry.canonical}")
                break

    def by_exact_name(self) -> None:
        """Same full name (or same acronym); a shared bare surname is left to ``by_spelling``."""
        seen: dict[tuple[str, str], int] = {}
        for i, node in enumerate(self.nodes):
            for form in node.identity_forms:
                first = seen.setdefault((node.bucket, alias_form(form)), i)
                if first != i:
                    self.join(first, i, "same name")
        people = {alias_form(f): i for i, n in enumerate(self.nodes) if n.label == "PERSON" for f in n.identity_forms}
        for i, node in enumerate(self.nodes):
            # NER tags "Maurice Cheeks" GPE in one article: a full personal name elsewhere settles it.
            if node.bucket == "place":
                for form in node.identity_forms:
                    if len(significant_parts(form)) > 1 and alias_form(form) in people:
                        self.join(people[alias_form(form)], i, "same full name of a person")

    def by_acronym(self) -> None:
        """Acronyms learned in any article ("SDF" with "Syrian Democratic Forces") apply everywhere."""
        expansions: dict[str, set[int]] = {}
        for i, node in enumerate(self.nodes):
            longs = [f for f in node.forms if not is_acronym(f)]
            for form in node.forms:
                if is_acronym(form) and any(initials_fit(form, long) for long in longs):
                    expansions.setdefault(alias_form(form), set()).add(i)
        for i, node in enumerate(self.nodes):
            if all(is_acronym(f) for f in node.forms):
                for form in node.forms:
                    roots = {self.components.root(j) for j in expansions.get(alias_form(form), ())}
                    if len(roots) == 1:
                        self.join(roots.pop(), i, f"acronym {form}")

    def blocking_keys(self, i: int) -> frozenset[str]:
        return self.nodes[i].blocking_keys

    def pair_keys(self, i: int) -> frozenset[str]:
        return self.nodes[i].pair_keys

    def spelling(self, i: int) -> str:
        return folded_spelling(self.nodes[i].widest)

    def by_spelling(self) -> None:
        """Fuzzy merges between distinct names sharing a block; a surname-only form joins a full name only
        when it is unambiguous. Pairs of two names from earlier runs are not compared again."""
        names = distinct_names(self.nodes, self.blocking_keys, self.spelling, self.pair_keys)
        for name in names:  # alike nodes that exact-name merging left apart (e.g. one-letter parts)
            for i in name.members[1:]:
                self.join(name.representative, i, "same name")
        subset_of: dict[int, set[int]] = {}  # short name → full names containing it
        for x, y in candidate_pairs(names, MAX_BLOCK, outside_counts=self.outside_counts):
            a, b = names[x].representative, names[y].representative
            if self.components.root(a) == self.components.root(b):
                continue
            verdict = compare_nodes(self.nodes[a], self.nodes[b])
            if verdict == "variant":
                self.join(a, b, "spelling variant")
            elif verdict in {"a_in_b", "b_in_a"}:
                short, full = (x, y) if verdict == "a_in_b" else (y, x)
                if self.nodes[names[full].representative].label == "PERSON":  # not "X and Y"
                    subset_of.setdefault(short, set()).add(full)
        words: dict[int, frozenset[str]] = {}  # full name → context words of all its articles, built once
        for short, fulls in subset_of.items():
            for f in fulls:
                if f not in words:
                    words[f] = frozenset(w for i in names[f].members for w in self.nodes[i].context)
            self.attach_short_name(names[short], [(names[f], words[f]) for f in fulls])

    def attach_short_name(self, short: DistinctName, fulls: list[tuple[DistinctName, frozenset[str]]]) -> None:
        """Join a short name's nodes to the one full name (component) they can stand for, if any."""
        contexts: dict[int, set[str]] = {}  # component root → context words of its matching full names
        for full, full_words in fulls:
            contexts.setdefault(self.components.root(full.representative), set()).update(full_words)
        if len(contexts) == 1:
            self.join(next(iter(contexts)), short.representative, "short form of the only matching full name")
            return
        for i in short.members:
            chosen = self.unambiguous_full_name(i, contexts)
            if chosen is not None:
                self.join(chosen, i, "short form of the only matching full name")

    def unambiguous_full_name(self, short: int, contexts: dict[int, set[str]]) -> int | None:
        """Two different people share the surname: only the article's context words can decide."""
        overlap = {root: len(self.nodes[short].context & words) for root, words in contexts.items()}
        ranked = sorted(overlap.values(), reverse=True)
        if ranked[0] > 0 and ranked[0] >= 2 * ranked[1] + 1:
            return max(overlap, key=overlap.__getitem__)
        return None


def compare_nodes(a: Node, b: Node) -> str:
    """ "variant", "a_in_b", "b_in_a" or "different" for two nodes in one block."""
    if a.bucket != b.bucket or a.bucket not in {"actor", "place"}:
        return "different"  # demonyms and events merge only by exact name or the alias table
    if a.bucket == "place":
        flat_a, flat_b = ("".join(name_tokens(n.widest)) for n in (a, b))
        return "variant" if fuzz.ratio(transliterated(flat_a), transliterated(flat_b)) >= PLACE_MATCH else "different"
    organisations = "PERSON" not in {a.label, b.label} or looks_like_org(a.widest) or looks_like_org(b.widest)
    if organisations:  # "Sun" is not short for "Sun Online": organisations need the same words
        score = fuzz.token_sort_ratio(" ".join(significant_parts(a.widest)), " ".join(significant_parts(b.widest)))
        return "variant" if score >= ORG_MATCH else "different"
    return compare_person_names(significant_parts(a.widest), significant_parts(b.widest))


def resolve_entities(
    groups: Iterable[EntityGroup],
    existing: Iterable[Entity] = (),
    *,
    table: AliasTable | None = None,
    aliases_path: Path | None = None,
    outside_counts: Mapping[str, int] | None = None,
    group_nodes: Sequence[Node] | None = None,
    existing_names: Mapping[str, tuple[str, ...]] | None = None,
    existing_pairs: Mapping[str, frozenset[str]] | None = None,
) -> Resolution:
    """Merge entity groups across articles (and onto ``existing`` entities from earlier runs).

    ``existing`` may be only the stored entities the groups could merge with (crossdoc.entity_index);
    ``outside_counts`` then says how many stored names left out hold each blocking key, so a key too common
    to block on is judged on the whole store, as when every entity is loaded. ``group_nodes`` are the
    groups' nodes when the caller built them already (their cached name parts are reused).
    ``existing_names``: entity id → the identity forms stored for it (see ``Node.identity_forms``);
    ``existing_pairs``: entity id → its stored pair keys, unprefixed (see ``Node.pair_keys``).
    """
    built = list(group_nodes) if group_nodes is not None else [group_node(g) for g in groups]
    names, pairs = existing_names or {}, existing_pairs or {}
    nodes = [existing_node(e, names.get(e.id), pairs.get(e.id)) for e in existing] + built
    resolver = Resolver(nodes, table or load_alias_table(aliases_path), Components(len(nodes)))
    resolver.outside_counts = outside_counts or {}
    resolver.by_alias_table()
    resolver.by_exact_name()
    resolver.by_acronym()
    resolver.by_spelling()
    return build_resolution(resolver)


def build_resolution(resolver: Resolver) -> Resolution:
    members: dict[int, list[int]] = {}
    for i in range(len(resolver.nodes)):
        members.setdefault(resolver.components.root(i), []).append(i)
    entities, by_key, by_group, superseded, names = [], {}, {}, {}, {}
    used: set[str] = set()
    for indices in members.values():  # components holding an earlier run's entity come first (lowest roots)
        entity = component_entity(
            [resolver.nodes[i] for i in indices],
            [resolver.canonical[i] for i in indices if i in resolver.canonical],
        )
        if entity.id in used:  # two components chose one name (kept apart, e.g. an ambiguous surname)
            first_key = min(
                (node.group.article_id + node.group.entity_key for i in indices if (node := resolver.nodes[i]).group),
                default=str(indices[0]),
            )
            entity = replace(entity, id=content_id(entity.label, entity.name, first_key))
        used.add(entity.id)
        entities.append(entity)
        names[entity.id] = frozenset(f for i in indices for f in resolver.nodes[i].identity_forms)
        for i in indices:
            node = resolver.nodes[i]
            if node.group is not None:
                group = node.group
                by_group[(group.article_id, group.entity_key, group.label)] = entity
                if node.bucket == "actor" or (group.article_id, group.entity_key) not in by_key:
                    by_key[(group.article_id, group.entity_key)] = entity  # a speaker key names an actor
            elif node.existing is not None and node.existing.id != entity.id:
                superseded[node.existing.id] = entity.id
    return Resolution(tuple(entities), by_key, tuple(resolver.merges), superseded, by_group, names)


PLACE_LABELS = ("GPE", "LOC", "FAC")
ORGANISATION_LABELS = ("ORG", "GROUP")


def component_label(nodes: list[Node], forms: Counter[str]) -> str:
    """NER often calls a name PERSON once (a headline, a sentence start): a person label wins unless place
    labels outnumber it ("Burkina Faso" 3 × GPE, 1 × PERSON) or the name reads as an organisation ("Sahel
    Relief Network"), which takes the organisation label its articles gave it."""
    labels = Counter(n.label for n in nodes)
    organisation = any(looks_like_org(f) for f in forms)
    if organisation and any(labels[name] for name in ORGANISATION_LABELS):
        return max(ORGANISATION_LABELS, key=lambda name: labels[name])
    people, places = labels.get("PERSON", 0), sum(labels[name] for name in PLACE_LABELS)
    if people and places <= people and not organisation and any(n.bucket == "actor" for n in nodes):
        return "PERSON"
    return labels.most_common(1)[0][0]


def component_entity(nodes: list[Node], canonicals: list[str]) -> Entity:
    """One Entity per component: an earlier run's entity keeps its id; else the table's or the most
    frequent full name is canonical."""
    forms: Counter[str] = Counter()
    for node in nodes:
        forms.update(node.forms)
    label = component_label(nodes, forms)
    previous = next((n.existing for n in nodes if n.existing is not None), None)
    if previous is not None:
        name, label, entity_id = previous.name, previous.label, previous.id
    else:
        name = Counter(canonicals).most_common(1)[0][0] if canonicals else most_frequent_full_form(forms)
        entity_id = content_id(label, name)
    aliases = tuple(sorted({f for f in forms if f != name}))
    return Entity(id=entity_id, name=name, label=label, aliases=aliases)


def most_frequent_full_form(forms: Counter[str]) -> str:
    full = [f for f in forms if len(significant_parts(f)) >= 2] or list(forms)
    order = {f: i for i, f in enumerate(forms)}  # ties go to the form seen first (input order)
    return max(full, key=lambda f: (forms[f], len(significant_parts(f)), -order[f]))


_CONTEXT_WORD = re.compile(r"[a-z]{4,}")


def groups_from_analysis(analysis: ArticleAnalysis, window: int = 80, keep: int = 20) -> tuple[EntityGroup, ...]:
    """One EntityGroup per (entity key, label) of an analysed article, with nearby content words."""
    text = analysis.article.text
    lowered = text.lower() if lowers_in_place(text) else None  # once, not once per mention window
    # Per group: its surface forms in first-seen order, and its context words (counted once per group:
    # the same order as counting per mention). Containers are made per group, not per mention.
    forms: dict[tuple[str, str], dict[str, None]] = {}
    context: dict[tuple[str, str], list[str]] = {}
    skipped: dict[str, frozenset[str]] = {}  # stopwords and a surface form's own words; forms recur: once each
    for mention in analysis.mentions:
        key = (mention.entity_key, mention.label)
        words = context.get(key)
        if words is None:
            words = context[key] = []
            forms[key] = {}
        forms[key][mention.text] = None
        start, end = max(0, mention.evidence.start - window), mention.evidence.end + window
        around = lowered[start:end] if lowered is not None else text[start:end].lower()
        skip = skipped.get(mention.text)
        if skip is None:
            skip = skipped[mention.text] = CONTEXT_STOPWORDS.union(name_tokens(mention.text))
        words += [w for w in _CONTEXT_WORD.findall(around) if w not in skip]
    article_id = analysis.article.id
    return tuple(
        EntityGroup(article_id, key, label, tuple(forms[(key, label)]), _most_common_words(words, keep))
        for (key, label), words in context.items()
    )


def _most_common_words(words: list[str], keep: int) -> tuple[str, ...]:
    # Counter.most_common(keep) orders like a stable sort by count (ties in first-seen order); the C sort
    # is cheaper than its heap on these small counters.
    ranked = sorted(Counter(words).items(), key=itemgetter(1), reverse=True)
    return tuple(word for word, _ in ranked[:keep])
