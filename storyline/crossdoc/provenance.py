"""Who copied whom: a provenance graph over stored articles.

Input: a ``Store`` (articles, article_links) and the outlet registry (``storyline.outlets``). Output: a
``ProvenanceGraph`` whose ``independent_origins(...)`` collapses copies, syndication and citations into
origins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from storyline.ingest.metadata import find_cited_outlets, outlet_from_text
from storyline.outlets import OutletRegistry, default_registry, outlet_key
from storyline.store import Store, schema

# Links that make the whole later article a copy of the earlier one; shared passages only copy a span.
WHOLE_COPY_LINKS = ("exact_duplicate", "near_duplicate", "cites")
PASSAGE_LINKS = ("shared_passage",)

# Phrases that hand a statement to another outlet or monitor; the registry's names fill the slot.
CITATION_CUES = ("according to", "told", "telling", "speaking to", "in an interview with", "reported by",
                 "quoted by", "cited by", "said in a statement to", "data from", "figures from", "source:")


CITATION_CUE_PATTERN = re.compile(
    r"(?i:\b(?:" + "|".join(re.escape(c) for c in CITATION_CUES) + r"))\s+(?:[Tt]he\s+)?")
MAX_OUTLET_WORDS = 7
# A capitalized word right after a cited name continues it, unless it is a date ("told Reuters Tuesday").
LONGER_NAME = re.compile(r" (?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|"
                         r"July|August|September|October|November|December)(?:[A-Z]|(?:of|for) [A-Z])")


def registry_citations(text: str, registry: OutletRegistry) -> set[str]:
    """Registry outlets named right after a citation cue ("according to the Syrian Observatory for Human
    Rights"). The whole capitalized name must be listed: "the Independent Electoral Commission" is not "The
    Independent". A cue scan plus dictionary lookups stays fast on long texts."""
    found = set()
    for cue in CITATION_CUE_PATTERN.finditer(text):
        name = cited_name(text[cue.end() : cue.end() + 80].split()[:MAX_OUTLET_WORDS])
        for candidate in (name, *name.split(" and ")) if name else ():  # "ACLED and Airwars"
            outlet = registry.by_key.get(outlet_key(candidate))
            if outlet is not None:
                found.add(outlet.name)
    return found


def cited_name(words: list[str]) -> str:
    """The name at the start of ``words``: capitalized words (and "for"/"of" inside), up to punctuation."""
    taken: list[str] = []
    for word in words:
        bare = word.rstrip(",.;:)'’\"")
        if not (bare[:1].isupper() or (taken and bare in ("for", "of", "and", "&"))):
            break
        taken.append(bare)
        if bare != word:
            break
    while taken and taken[-1] in ("for", "of", "and", "&"):
        taken.pop()
    return " ".join(taken)


def cited_sources(text: str, registry: OutletRegistry) -> set[str]:
    """Outlets and monitors an article hands facts to: credits ("(Reuters) -"), "told the Guardian",
    "according to SOHR"."""
    # "according to the Independent Electoral Commission" names a commission, not The Independent.
    names = {name for name, _start, end in find_cited_outlets(text) if not LONGER_NAME.match(text, end)}
    credit = outlet_from_text(text)
    if credit is not None:
        names.add(credit.value)
    names.update(registry_citations(text, registry))
    return {source_node(name, registry) for name in names}


def source_node(name: str, registry: OutletRegistry) -> str:
    """Graph node of an outlet or other origin: the registry's canonical name when listed."""
    outlet = registry.match(name)
    return "outlet:" + outlet_key(outlet.name if outlet else name)


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        root = node
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while node != root:  # path compression keeps later finds flat
            self.parent[node], node = root, self.parent.get(node, node)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True, slots=True)
class PassageCopy:
    """Article ``source_id`` copied ``source_span`` from article ``target_id``."""

    source_id: str
    target_id: str
    source_span: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class SourcedItem:
    """One piece of support: an article, optionally the span it sits in and who it is attributed to."""

    article_id: str
    span: tuple[int, int] | None = None
    attributed_to: str | None = None  # a speaker or agency name: two reports of one speaker share an origin


@dataclass
class ProvenanceGraph:
    """Articles and outlets joined by derivation edges (copy → original, article → cited outlet)."""

    registry: OutletRegistry
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from node, to node, kind)
    passages: list[PassageCopy] = field(default_factory=list)
    outlet_kinds: dict[str, str] = field(default_factory=dict)  # article id → registry kind
    whole: UnionFind = field(default_factory=UnionFind)

    def add_edge(self, source: str, target: str, kind: str) -> None:
        self.edges.append((source, target, kind))
        self.whole.union(source, target)

    def origin_of(self, item: SourcedItem) -> str:
        return self.whole.find("article:" + item.article_id)

    def origins(self, items: Iterable[SourcedItem]) -> int:
        """Independent origins behind the items: copies, shared passages and shared speakers collapse."""
        overlay = UnionFind()
        roots: list[str] = []
        for item in items:
            root = self.origin_of(item)
            roots.append(root)
            for copy in self.passages:
                if copy.source_id == item.article_id and span_inside(item.span, copy.source_span):
                    overlay.union(root, self.whole.find("article:" + copy.target_id))
            if item.attributed_to:
                overlay.union(root, source_node(item.attributed_to, self.registry))
        return len({overlay.find(root) for root in roots})

    def independent_origins(self, article_ids: Iterable[str]) -> int:
        """Origins behind whole articles (a shared passage counts as derivation at article level)."""
        return self.origins(SourcedItem(article_id) for article_id in article_ids)


def span_inside(span: tuple[int, int] | None, container: tuple[int, int] | None) -> bool:
    """Unknown spans count as inside: without offsets the whole article is treated as copied."""
    if span is None or container is None:
        return True
    return container[0] <= span[0] and span[1] <= container[1]


def build_provenance(store: Store, article_ids: Iterable[str] | None = None,
                     registry: OutletRegistry | None = None) -> ProvenanceGraph:
    """The provenance graph over the given articles (all stored articles by default)."""
    graph = ProvenanceGraph(registry or default_registry())
    a = schema.articles
    wanted = set(article_ids) if article_ids is not None else None
    where = (a.c.id.in_(wanted),) if wanted is not None else ()
    for row in store.rows(a, *where):
        node = "article:" + row["id"]
        graph.whole.find(node)
        if row["duplicate_of"]:
            graph.add_edge(node, "article:" + row["duplicate_of"], "duplicate_of")
        if row["outlet"]:
            # One outlet's reports share its newsroom: they are not independent confirmations of each other.
            graph.add_edge(node, source_node(row["outlet"], graph.registry), "published_by")
            outlet = graph.registry.match(row["outlet"]) or (row["url"] and graph.registry.match(row["url"]))
            if outlet:
                graph.outlet_kinds[row["id"]] = outlet.kind
        own = source_node(row["outlet"], graph.registry) if row["outlet"] else None
        for cited in cited_sources(row["raw_text"] or row["text"], graph.registry) - {own}:
            graph.add_edge(node, cited, "cites")
    for link in store.rows(schema.article_links):
        if wanted is not None and link["source_id"] not in wanted and link["target_id"] not in wanted:
            continue
        source, target = "article:" + link["source_id"], "article:" + link["target_id"]
        if link["kind"] in WHOLE_COPY_LINKS:
            graph.add_edge(source, target, link["kind"])
        elif link["kind"] in PASSAGE_LINKS:
            span = (link["source_start"], link["source_end"]) if link["source_start"] is not None else None
            graph.passages.append(PassageCopy(link["source_id"], link["target_id"], span))
    return graph
