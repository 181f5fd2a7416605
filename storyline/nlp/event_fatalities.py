"""An event's fatalities from the "killed" counts of its sentence: groups summed, repeats and subsets not.

Input: the article's quantities (``Quantity.state == "killed"``) and the sentence span. Output: summed
(low, high) bounds. "3 soldiers and 5 civilians were killed" → 8; "5 civilians … the five civilians killed"
→ 5 (one group reported twice); "12 people, including 3 soldiers" → 12 (a subset and a total are not added).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.nlp.doc_index import doc_text
from storyline.records import Quantity

if TYPE_CHECKING:
    from spacy.tokens import Span

# Counted words that name victims in general, not a group: such a count is a total over the groups.
GENERIC_VICTIMS = frozenset(
    "people persons person individuals victims lives others dead bodies casualties fatalities deaths".split()
)
# Words just before a count that make it a part of a count already given ("including 3 children").
SUBSET_BEFORE = re.compile(
    r"(?:\bincluding|\bamong them|\bamong whom|\bof whom|\bof them|\bmostly|\bmainly|\bincluded)\W*"
    r"(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)
# How far back (characters) to look for a subset cue before a count.
SUBSET_WINDOW = 40


@dataclass(frozen=True, slots=True)
class Bounds:
    low: float | None
    high: float | None  # None = unbounded ("at least 9")


def group_key(quantity: Quantity) -> str | None:
    """Who was counted ("civilians", "ISIS fighters"); None for a general total ("12 people", "the toll")."""
    counted = (quantity.counted or "").lower().strip()
    if not counted or counted in GENERIC_VICTIMS:
        return None
    return f"{(quantity.affiliation or '').lower()}|{singular_form(counted)}"


# Plural endings → singular, first match wins; "-ss", "-us", "-is" words are already singular ("bus").
PLURAL_ENDINGS = (("ies", "y"), ("men", "man"), ("ss", "ss"), ("us", "us"), ("is", "is"), ("s", ""))


def singular_form(word: str) -> str:
    """Crude singular, enough to see "soldier" and "soldiers" as one group."""
    for ending, replacement in PLURAL_ENDINGS:
        if word.endswith(ending):
            return word[: len(word) - len(ending)] + replacement
    return word


def bounds_of(quantity: Quantity) -> Bounds:
    return Bounds(0.0, 0.0) if quantity.negated else Bounds(quantity.low, quantity.high)


def is_subset(quantity: Quantity, text: str) -> bool:
    """A count right after "including", "among them", "mostly" … is part of an earlier count."""
    before = text[max(0, quantity.evidence.start - SUBSET_WINDOW) : quantity.evidence.start]
    return SUBSET_BEFORE.search(before) is not None


def larger(first: Bounds, second: Bounds) -> Bounds:
    """Of two reports of one group, the larger (a toll that rose), preferring a bounded one on ties."""

    def rank(bounds: Bounds) -> tuple[float, bool]:
        return (bounds.low if bounds.low is not None else -1.0, bounds.high is not None)

    return first if rank(first) >= rank(second) else second


def summed(parts: Iterable[Bounds]) -> Bounds:
    parts = list(parts)
    lows = [p.low for p in parts if p.low is not None]
    low = sum(lows) if lows else None
    high = None if any(p.high is None for p in parts) else sum(p.high for p in parts if p.high is not None)
    return Bounds(low, high)


def total_or_sum(total: Bounds | None, groups: Bounds | None) -> Bounds:
    """A general total and the per-group sum describe the same dead: keep the larger, never add them."""
    if total is None or groups is None:
        found = total or groups
        return found if found is not None else Bounds(None, None)
    return larger(total, groups)


def sentence_fatalities(quantities: Iterable[Quantity], sentence: Span) -> tuple[float | None, float | None]:
    """(low, high) killed in the sentence: distinct groups summed, one group counted once, subsets dropped;
    a negated count ("no one was killed") is 0; (None, None) when the sentence has no killed count."""
    text = doc_text(sentence.doc)  # Doc.text joins every token again on each access
    killed = {
        q.evidence.start: q
        for q in quantities
        if q.state == "killed" and sentence.start_char <= q.evidence.start < sentence.end_char
    }
    if not killed:
        return None, None
    kept = [q for q in killed.values() if not is_subset(q, text)] or list(killed.values())
    by_group: dict[str, Bounds] = {}
    totals: list[Bounds] = []
    for quantity in kept:
        key = group_key(quantity)
        if key is None:
            totals.append(bounds_of(quantity))
        else:
            by_group[key] = larger(by_group[key], bounds_of(quantity)) if key in by_group else bounds_of(quantity)
    total = None
    for bounds in totals:  # several totals are reports of one toll: the largest
        total = bounds if total is None else larger(total, bounds)
    groups = summed(by_group.values()) if by_group else None
    result = total_or_sum(total, groups)
    return result.low, result.high
