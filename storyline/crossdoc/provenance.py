"""Who copied whom: the outlet registry and a provenance graph over stored articles.

Input: a ``Store`` (articles, article_links) and ``storyline/data/outlets.tsv``. Output: a
``ProvenanceGraph`` whose ``independent_origins(...)`` collapses copies, syndication and citations into
origins.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from storyline.errors import StorylineError
from storyline.ingest.metadata import find_cited_outlets, outlet_from_text
from storyline.store import Store, schema

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "data" / "outlets.tsv"
REGISTRY_COLUMNS = ("name", "aliases", "domains", "country", "kind", "basis")
OUTLET_KINDS = ("wire", "public broadcaster", "state-controlled", "commercial", "party/partisan-affiliated",
                "ngo/monitor")

# Links that make the whole later article a copy of the earlier one; shared passages only copy a span.
WHOLE_COPY_LINKS = ("exact_duplicate", "near_duplicate", "cites")
PASSAGE_LINKS = ("shared_passage",)

# Phrases that hand a statement to another outlet or monitor; the registry's names fill the slot.
CITATION_CUES = ("according to", "told", "telling", "speaking to", "in an interview with", "reported by",
                 "quoted by", "cited by", "said in a statement to", "data from", "figures from", "source:")


class OutletRegistryError(StorylineError):
    """The outlet registry file is malformed: names the file, line and reason."""


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    country: str | None
    kind: str
    basis: str


def outlet_key(name: str) -> str:
    """Lookup form of a name: lowercase, no leading "the", no punctuation ("The Guardian" → "guardian")."""
    lowered = re.sub(r"[^\w&/]+", " ", name.casefold()).strip()
    return re.sub(r"^the ", "", lowered)


def domain_of(text: str) -> str | None:
    """The host of a URL or bare domain ("https://www.bbc.co.uk/news" → "bbc.co.uk"), None if not one."""
    candidate = text.strip().lower()
    if "://" not in candidate:
        if " " in candidate or "." not in candidate:
            return None
        candidate = "http://" + candidate
    host = urlparse(candidate).hostname or ""
    return host.removeprefix("www.") or None


@dataclass
class OutletRegistry:
    """Outlets by lookup key (name and aliases) and by domain."""

    outlets: list[Outlet] = field(default_factory=list)
    by_key: dict[str, Outlet] = field(default_factory=dict)
    by_domain: dict[str, Outlet] = field(default_factory=dict)

    def add(self, outlet: Outlet) -> None:
        # Later files override earlier ones, so a user's extra file can correct a shipped row.
        self.outlets.append(outlet)
        for name in (outlet.name, *outlet.aliases):
            self.by_key[outlet_key(name)] = outlet
        for domain in outlet.domains:
            self.by_domain[domain.lower().removeprefix("www.")] = outlet

    def match(self, name_or_domain: str) -> Outlet | None:
        """The registered outlet for a name, alias, domain or URL; None when the registry does not list it."""
        found = self.by_key.get(outlet_key(name_or_domain))
        if found is not None:
            return found
        host = domain_of(name_or_domain)
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.partition(".")[2] if host.count(".") > 1 else ""  # news.sky.com → sky.com
        return None


def read_registry_file(path: Path, registry: OutletRegistry) -> None:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise OutletRegistryError(f"{path}: cannot read outlet registry: {exc.strerror}") from exc
    with handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != REGISTRY_COLUMNS:
            expected = ", ".join(REGISTRY_COLUMNS)
            raise OutletRegistryError(f"{path}:1: header must be the tab-separated columns {expected}")
        for line_number, row in enumerate(reader, start=2):
            if not row or not row[0].strip() or row[0].startswith("#"):
                continue
            registry.add(parse_registry_row(row, f"{path}:{line_number}"))


def parse_registry_row(row: list[str], where: str) -> Outlet:
    if len(row) != len(REGISTRY_COLUMNS):
        expected = len(REGISTRY_COLUMNS)
        raise OutletRegistryError(f"{where}: expected {expected} tab-separated columns, got {len(row)}")
    name, aliases, domains, country, kind, basis = (cell.strip() for cell in row)
    if kind not in OUTLET_KINDS:
        raise OutletRegistryError(f"{where}: kind {kind!r} is not one of {', '.join(OUTLET_KINDS)}")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise OutletRegistryError(f"{where}: country {country!r} is not an ISO 3166 alpha-2 code")
    split = lambda cell: tuple(part.strip() for part in cell.split("|") if part.strip())  # noqa: E731
    return Outlet(name, split(aliases), split(domains), country or None, kind, basis)


def load_outlet_registry(extra_path: str | Path | None = None) -> OutletRegistry:
    """The shipped registry, extended (and overridden row by row) by ``extra_path`` in the same format."""
    registry = OutletRegistry()
    read_registry_file(REGISTRY_PATH, registry)
    if extra_path is not None:
        read_registry_file(Path(extra_path), registry)
    return registry


@lru_cache(maxsize=1)
def default_registry() -> OutletRegistry:
    return load_outlet_registry()


def match_outlet(name_or_domain: str) -> Outlet | None:
    """Look a name, alias, domain or URL up in the shipped registry; None when it is not listed."""
    return default_registry().match(name_or_domain)


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
