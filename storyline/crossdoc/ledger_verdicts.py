"""How the ledger judges numbers from different articles: agree, refine, superseded, conflict or deny.

Input: ``LedgerMember``s of one group (bounds, publication dates, negation, stance). Output: a verdict and
a short reason. Open bounds are infinite; measures compare with a rounding tolerance, counts exactly.
"""

from __future__ import annotations

from datetime import datetime
from math import inf, isfinite
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline.crossdoc.ledger import LedgerMember

# Non-overlapping figures this far apart are more often two scopes (an incident, a whole campaign) than a
# disagreement: the verdict stays "conflict" but the reason says so, for the analyst to check.
SCOPE_RATIO = 10.0


def overlaps(a: tuple[float, float], b: tuple[float, float], tolerance: float) -> bool:
    return a[0] <= b[1] * (1 + tolerance) and b[0] <= a[1] * (1 + tolerance)


def bounds(member: LedgerMember) -> tuple[float, float]:
    low = member.low if member.low is not None else -inf
    high = member.high if member.high is not None else inf
    return low, high


def numeric_verdict(members: list[LedgerMember], cumulative: bool, tolerance: float) -> tuple[str, str]:
    """agree / refine / superseded / conflict / deny for numbers, with a short reason."""
    if any(m.negated for m in members) and not all(m.negated for m in members):
        return "deny", "one report says none"
    if any(m.stance == "deny" for m in members) and not all(m.stance == "deny" for m in members):
        return "deny", "one source denies the figure"
    spans = [bounds(m) for m in members]
    # Two values in one article are two facts (e.g. two incidents), not a disagreement between sources.
    clashes = [(i, j) for i in range(len(spans)) for j in range(i + 1, len(spans))
               if members[i].article_id != members[j].article_id
               and not overlaps(spans[i], spans[j], tolerance)]
    if not clashes and cumulative and rises_over_time(members):
        return "superseded", "later reports give a higher lower bound"
    if not clashes:
        if all(same_bound(s[0], spans[0][0], tolerance) and same_bound(s[1], spans[0][1], tolerance)
               for s in spans):
            return "agree", "same value"
        narrower = any(a[0] >= b[0] and a[1] <= b[1] and a != b for a in spans for b in spans)
        return ("refine", "a narrower range inside another") if narrower else ("agree", "ranges overlap")
    if cumulative and all(later_is_higher(members[i], members[j]) for i, j in clashes):
        return "superseded", "a later report gives a higher figure"
    if all(scope_apart(spans[i], spans[j]) for i, j in clashes):
        return "conflict", f"incompatible values over {SCOPE_RATIO:g}× apart: check they count the same scope"
    return "conflict", "incompatible values"


def scope_apart(a: tuple[float, float], b: tuple[float, float]) -> bool:
    low, high = (a, b) if a[1] < b[0] else (b, a)
    return low[1] > 0 and isfinite(high[0]) and high[0] / low[1] >= SCOPE_RATIO


def rises_over_time(members: list[LedgerMember]) -> bool:
    """Dated lower bounds never fall and end higher than they started ("at least 40" → "52")."""
    dated = sorted((m for m in members if m.published is not None), key=lambda m: m.published or datetime.min)
    if len({m.published for m in dated}) < 2:
        return False
    lows = [bounds(m)[0] for m in dated]
    never_falls = all(later_is_not_lower(a, b) for a in dated for b in dated)
    return never_falls and lows[-1] > lows[0]


def later_is_not_lower(a: LedgerMember, b: LedgerMember) -> bool:
    if a.published is None or b.published is None or a.published >= b.published:
        return True
    return bounds(b)[0] >= bounds(a)[0]


def same_bound(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    return isfinite(a) and isfinite(b) and abs(a - b) <= tolerance * max(abs(a), abs(b))


def later_is_higher(a: LedgerMember, b: LedgerMember) -> bool:
    if a.published is None or b.published is None or a.published == b.published:
        return False
    early, late = (a, b) if a.published < b.published else (b, a)
    return bounds(late)[0] >= bounds(early)[1]
