"""Enumerations of places: "Alberta, Manitoba, Ontario and New Brunswick" names places of one kind.

Input: the article text, its toponyms in text order, each one's gazetteer candidates and current pick; output:
the picks with a list member moved to the kind (feature code) and country that most other members were
resolved to, when it has a candidate of that kind ("Washington" among US states is the state, not the capital).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from storyline.nlp.gazetteer import GazetteerEntry
from storyline.nlp.place_context import Toponym, prior

# What may stand between two members of one enumeration: a comma, a semicolon, "and", "or", "&".
LIST_SEPARATOR = re.compile(r"\s*(?:[,;]|,?\s+(?:and|or|&))\s*")
# Kinds a member may be moved to: areas, whose lists are homogeneous; a list of towns often mixes in
# a state or a country ("Paris, Lyon and Belgium"), so towns never pull a member.
LIST_KINDS = frozenset({"A.PCLI", "A.ADM1"})
# Kinds whose members must also share the country (US states with US states); countries need not.
SAME_COUNTRY_KINDS = frozenset({"A.ADM1"})
MIN_LIST_SIZE = 3  # two names joined by "and" are too weak a cue ("Washington and Moscow")
MIN_AGREEING = 2  # other members that agree on a kind before a member follows them


def enumerations(text: str, toponyms: Sequence[Toponym]) -> list[list[int]]:
    """Runs of toponym indexes separated only by list punctuation, MIN_LIST_SIZE or longer."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, topo in enumerate(toponyms):
        if current and LIST_SEPARATOR.fullmatch(text[toponyms[current[-1]].end : topo.start]):
            current.append(index)
            continue
        if len(current) >= MIN_LIST_SIZE:
            runs.append(current)
        current = [index]
    if len(current) >= MIN_LIST_SIZE:
        runs.append(current)
    return runs


def list_kind(picks: Sequence[GazetteerEntry | None]) -> tuple[str, str | None] | None:
    """The (feature code, country) that a clear majority of the given picks share, if an area kind."""
    kinds = Counter(
        (p.feature_code, p.country_code if p.feature_code in SAME_COUNTRY_KINDS else None)
        for p in picks
        if p is not None
    )
    if not kinds:
        return None
    (kind, count) = kinds.most_common(1)[0]
    if kind[0] not in LIST_KINDS or count < MIN_AGREEING or count * 2 <= len(picks):
        return None
    return kind


def member_of_kind(
    topo: Toponym, entries: Sequence[GazetteerEntry], kind: tuple[str, str | None]
) -> GazetteerEntry | None:
    code, country = kind
    fitting = [e for e in entries if e.feature_code == code and (country is None or e.country_code == country)]
    return max(fitting, key=lambda e: prior(e, topo.query)) if fitting else None


def with_list_kinds(
    text: str,
    toponyms: Sequence[Toponym],
    candidates: Sequence[Sequence[GazetteerEntry]],
    chosen: Sequence[GazetteerEntry | None],
) -> list[GazetteerEntry | None]:
    """Each enumeration member takes the kind its fellow members agree on (votes read from the picks
    before any move, so the order of the list does not matter)."""
    moved = list(chosen)
    for run in enumerations(text, toponyms):
        for index in run:
            if toponyms[index].is_demonym:
                continue
            kind = list_kind([chosen[other] for other in run if other != index and not toponyms[other].is_demonym])
            pick = chosen[index]
            if kind is None or (pick is not None and pick.feature_code == kind[0]):
                continue
            fitting = member_of_kind(toponyms[index], candidates[index], kind)
            if fitting is not None:
                moved[index] = fitting
    return moved
