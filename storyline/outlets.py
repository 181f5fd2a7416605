"""The outlet registry: who publishes what, from which country, of which kind, and on what basis.

Input: ``storyline/data/outlets.tsv`` (and optionally a user's file in the same format, whose rows override
the shipped ones). Output: ``Outlet`` records looked up by name, alias, domain or URL. Kept free of the
database layer so that ingest (publisher names from pages) and provenance (kinds, copies) share one table.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from storyline.errors import StorylineError

REGISTRY_PATH = Path(__file__).resolve().parent / "data" / "outlets.tsv"
REGISTRY_COLUMNS = ("name", "aliases", "domains", "country", "kind", "basis")
OUTLET_KINDS = ("wire", "public broadcaster", "state-controlled", "commercial", "party/partisan-affiliated",
                "ngo/monitor")

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
