"""Candidate pairs for fuzzy entity matching, so resolution cost grows with new names, not with all pairs.

Input: the resolver's nodes after exact-name merging. Nodes are grouped into distinct names (a name seen in
a thousand articles is compared once), names are blocked by phonetic keys, and each new name is compared
only with the closest earlier names sharing a not-too-common key. Output: pairs of name indices to compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

FUZZY_BUCKETS = frozenset({"actor", "place"})  # other buckets merge only by exact name or the alias table
MAX_CANDIDATES = 30  # earlier names compared in full with a new one: the closest spellings by a cheap score
# A key held by more names than this (a frequent first name, "Forces") pairs a multi-part name only with names
# also agreeing on another part's initial (its pair keys), or with one-part names: the rest cannot be variants.
COMMON_KEY = 24


class NamedNode(Protocol):
    """What blocking needs to know of a resolver node."""

    @property
    def label(self) -> str: ...

    @property
    def bucket(self) -> str: ...

    @property
    def widest(self) -> str: ...

    @property
    def is_existing(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class DistinctName:
    """Nodes that compare alike: same label and same widest form (exact-name merging already joined them)."""

    members: tuple[int, ...]  # node indices, first one is the representative
    keys: frozenset[str]  # blocking keys of all members' forms, prefixed by the bucket
    spelling: str  # folded name parts, for ranking candidates cheaply
    fresh: bool  # some member comes from the new articles (not only from an earlier run)
    pairs: frozenset[str] = frozenset()  # pair keys of all members' forms ("actor:bd&k"), prefixed likewise

    @property
    def representative(self) -> int:
        return self.members[0]

    def lookups(self, key: str, held: int, common: int) -> list[str]:
        return pair_lookups(key, held, self.pairs, common)


def pair_lookups(key: str, held: int, pairs: Iterable[str], common: int = COMMON_KEY) -> list[str]:
    """Postings a fresh name reads for one usable blocking key held by ``held`` names: the key itself, or when
    it is common (entities.node_pair_keys) the pair keys agreeing on another part of the name, else (a
    one-part name) the names holding the very same part; and in both cases the one-part names under the
    key ("actor:bd&": a bare "Bada" may be short for this name, or a spelling of it)."""
    if held <= common:
        return [key]
    agreeing = sorted(p for p in pairs if p.startswith(f"{key}&") and not p.endswith("&"))
    if not agreeing:
        agreeing = sorted(p for p in pairs if p.startswith(f"{key}="))
    return [*agreeing, f"{key}&"] if agreeing else [key]


def distinct_names(
    nodes: Sequence[NamedNode],
    keys_of: Callable[[int], Iterable[str]],
    spelling_of: Callable[[int], str],
    pairs_of: Callable[[int], Iterable[str]] = lambda _: (),
) -> list[DistinctName]:
    """Distinct names of the fuzzy-matchable buckets, names known from earlier runs first.

    Earlier-run names first lets ``candidate_pairs`` skip pairs of two old names outright: they were compared
    when the later of them arrived, so resolution only pays for what is new.
    """
    members: dict[tuple[str, str], list[int]] = {}
    for i, node in enumerate(nodes):
        if node.bucket in FUZZY_BUCKETS:
            members.setdefault((node.label, node.widest), []).append(i)
    names = []
    for indices in members.values():
        bucket = nodes[indices[0]].bucket
        keys = frozenset(f"{bucket}:{key}" for i in indices for key in keys_of(i))
        pairs = frozenset(f"{bucket}:{key}" for i in indices for key in pairs_of(i))
        fresh = any(not nodes[i].is_existing for i in indices)
        names.append(DistinctName(tuple(indices), keys, spelling_of(indices[0]), fresh, pairs))
    return sorted(names, key=lambda name: (name.fresh, name.representative))


def candidate_pairs(
    names: Sequence[DistinctName],
    max_block: int,
    max_candidates: int = MAX_CANDIDATES,
    *,
    outside_counts: Mapping[str, int] | None = None,
    common: int = COMMON_KEY,
) -> Iterator[tuple[int, int]]:
    """(earlier, later) name indices sharing a blocking key held by at most ``max_block`` names.

    A key shared by more names than that cannot tell names apart, and comparing inside it would make each
    name cost more as the corpus grows. Each pair is produced once, and only if one side is fresh; a new
    name meeting more than ``max_candidates`` earlier names keeps the closest by token-set similarity (a C
    call per candidate, against a Python comparison), so its cost stays bounded. ``outside_counts`` adds
    the names of the store that were not loaded (only candidates of the new names are). A key held by more
    than ``common`` names is read through its pair keys (``DistinctName.lookups``).
    """
    counts = Counter(key for name in names for key in name.keys)
    for key, outside in (outside_counts or {}).items():
        counts[key] += outside
    postings: dict[str, list[int]] = {}
    for later, name in enumerate(names):
        usable = sorted(key for key in name.keys if counts[key] <= max_block)  # sorted: same order every run
        if name.fresh:
            lookups = [k for key in usable for k in name.lookups(key, counts[key], common)]
            earlier = list(dict.fromkeys(e for key in lookups for e in postings.get(key, ())))
            if len(earlier) > max_candidates:
                choices = {e: names[e].spelling for e in earlier}
                ranked = process.extract(name.spelling, choices, scorer=fuzz.token_set_ratio, limit=max_candidates)
                earlier = sorted(e for _, _, e in ranked)
            for e in earlier:
                yield e, later
        for key in (*usable, *name.pairs):
            postings.setdefault(key, []).append(later)
