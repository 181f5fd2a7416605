"""Count candidates tidied before the ledger groups and judges them: a count told without its state or its side
joins the one matching stated/sided group, and an article that repeats its own figure (or restates it in
generic words) speaks once. Input and output: lists of ledger Candidates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.crossdoc.ledger_keys import GENERIC_HEADS
from storyline.crossdoc.ledger_verdicts import bounds, overlaps

if TYPE_CHECKING:
    from storyline.crossdoc.ledger import Candidate


def attach_stateless(candidates: list[Candidate]) -> list[Candidate]:
    """A count without a state ("500 SDF fighters") joins the one stated group of the same thing whose
    every value it matches; generic stateless counts ("thousands of people") are too vague and are dropped."""
    stated: dict[str, dict[str, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
    for c in candidates:
        if c.state:
            stated[c.key.rsplit("|", 1)[0]][c.key].append(c)
    out = []
    for c in candidates:
        if c.state:
            out.append(c)
            continue
        targets = stated.get(c.key.rsplit("|", 1)[0], {})
        if len(targets) == 1:
            key, group = next(iter(targets.items()))
            if all(overlaps(bounds(c.member), bounds(g.member), 0.0) for g in group):
                out.append(replace(c, key=key, what=group[0].what))
                continue
        if c.key.split("|")[1] not in GENERIC_HEADS:
            out.append(c)
    return out


def attach_unaffiliated(candidates: list[Candidate]) -> list[Candidate]:
    """A stated count without a side ("at least 900 jihadists were killed") joins the one group of the same
    thing and state with a side ("killed Islamic State fighters") whose every value it matches, so one toll
    told with and without its side is one fact; with no single match it stays a group of its own."""
    sided: dict[tuple[str, str], dict[str, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
    for c in candidates:
        _, head, affiliation, state = c.key.split("|")
        if affiliation and state:
            sided[(head, state)][c.key].append(c)
    out = []
    for c in candidates:
        _, head, affiliation, state = c.key.split("|")
        matching = [(key, group) for key, group in sided.get((head, state), {}).items()
                    if all(overlaps(bounds(c.member), bounds(g.member), 0.0) for g in group)]
        if not affiliation and state and len(matching) == 1:
            key, group = matching[0]
            c = replace(c, key=key, what=group[0].what)
        out.append(c)
    return out


def without_restatements(candidates: list[Candidate]) -> list[Candidate]:
    """One article, one voice per figure: drop a count an article repeats (same thing, same figure, later in
    the text) and a generic count ("two people were killed") that restates, in the same state, the exact
    figure of a specific one ("two militants died")."""
    specific = {(c.member.article_id, c.state, c.member.low, c.member.high)
                for c in candidates if c.state and c.key.split("|")[1] not in GENERIC_HEADS}
    seen: set[tuple[str, str, float | None, float | None]] = set()
    out = []
    for c in sorted(candidates, key=lambda c: (c.member.article_id, c.member.evidence.start)):
        said = (c.member.article_id, c.key, c.member.low, c.member.high)
        generic = c.state and c.key.split("|")[1] in GENERIC_HEADS
        if said in seen or generic and (c.member.article_id, c.state, c.member.low, c.member.high) in specific:
            continue
        seen.add(said)
        out.append(c)
    return out
