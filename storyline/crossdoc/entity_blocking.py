"""Candidate pairs for fuzzy entity matching, so resolution cost grows with new names, not with all pairs.

Input: the resolver's nodes after exact-name merging. Nodes are grouped into distinct names (a name seen in
a thousand articles is compared once), names are blocked by phonetic keys, and each new name is compared
only with the closest earlier names sharing a not-too-common key. Output: pairs of name indices to compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

FUZZY_BUCKETS = frozenset({"actor", "place"})  # other buckets merge only by exact name or the alias table
MAX_CANDIDATES = 30  # earlier names compared in full with a new one: the closest spellings by a cheap score


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

    @property
    def representative(self) -> int:
        return self.members[0]


def distinct_names(
    nodes: Sequence[NamedNode], keys_of: Callable[[int], set[str]], spelling_of: Callable[[int], str]
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
        keys = frozenset(f"{nodes[indices[0]].bucket}:{key}" for i in indices for key in keys_of(i))
        fresh = any(not nodes[i].is_existing for i in indices)
        names.append(DistinctName(tuple(indices), keys, spelling_of(indices[0]), fresh))
    return sorted(names, key=lambda name: (name.fresh, name.representative))


def candidate_pairs(
    names: Sequence[DistinctName],
    max_block: int,
    max_candidates: int = MAX_CANDIDATES,
    *,
    outside_counts: Mapping[str, int] | None = None,
) -> Iterator[tuple[int, int]]:
    """(earlier, later) name indices sharing a blocking key held by at most ``max_block`` names.

    A key shared by more names than that cannot tell names apart, and comparing inside it would make each
    name cost more as the corpus grows. Each pair is produced once, and only if one side is fresh; a new
    name meeting more than ``max_candidates`` earlier names keeps the closest by token-set similarity (a C
    call per candidate, against a Python comparison), so its cost stays bounded. ``outside_counts`` adds
    the names of the store that were not loaded (only candidates of the new names are).
    """
    counts = Counter(key for name in names for key in name.keys)
    for key, outside in (outside_counts or {}).items():
        counts[key] += outside
    postings: dict[str, list[int]] = {}
    for later, name in enumerate(names):
        usable = sorted(key for key in name.keys if counts[key] <= max_block)  # sorted: same order every run
        if name.fresh:
            earlier = list(dict.fromkeys(e for key in usable for e in postings.get(key, ())))
            if len(earlier) > max_candidates:
                choices = {e: names[e].spelling for e in earlier}
                ranked = process.extract(name.spelling, choices, scorer=fuzz.token_set_ratio, limit=max_candidates)
                earlier = sorted(e for _, _, e in ranked)
            for e in earlier:
                yield e, later
        for key in usable:
            postings.setdefault(key, []).append(later)
