"""Reporting-period normalizers: quarters, halves and "the year-ago period" of earnings-style prose.

Input: a ``timegrammar`` match (rules quarter, half, period, year_ago_adj) and an ``Anchor`` whose
``quarter`` is the quarter under discussion. Output: ``Normalized`` values such as 1998-Q3 or 1989-H2.
"""

from __future__ import annotations

import re

from storyline.nlp import timegrammar as g
from storyline.nlp.time_values import Anchor, Normalized, NotATime, Result, relative_step, year_of
from storyline.nlp.timecalendar import latest_quarter

# Qualifiers that move a quarter or period one year back from the one under discussion.
YEAR_BACK = re.compile(r"year-ago|year-earlier|last\s+year's", re.IGNORECASE)
# A quarter named this way is a comparison, not the new topic: "the year-earlier quarter".
SHIFTED_QUARTER = re.compile(r"year-ago|year-earlier|last\s+year's|comparable|\bago$|\blast\s+year$", re.IGNORECASE)


def quarter_value(year: int | None, quarter: int | None) -> Normalized:
    return Normalized("DATE", f"{year if year else 'XXXX'}-Q{quarter if quarter else 'X'}")


def context_quarter(anchor: Anchor) -> tuple[int, int] | None:
    if anchor.quarter:
        return anchor.quarter
    return latest_quarter(anchor.dct) if anchor.dct else None


def _shifted_back(match: re.Match[str]) -> bool:
    """ "year-ago", "last year's", or a trailing "a year ago"/"last year" (group ``back``)."""
    return bool(YEAR_BACK.search(match.group()) or match.groupdict().get("back"))


def sets_quarter_topic(match: re.Match[str]) -> bool:
    """Whether a quarter becomes the one under discussion: a numbered or "latest"/"current" one does;
    comparisons ("the year-earlier quarter") and references to the topic ("the 1988 quarter") do not."""
    surface = match.group()
    if SHIFTED_QUARTER.search(surface):
        return False
    return bool(match.groupdict().get("ord") or re.search(r"latest|current", surface, re.IGNORECASE))


def _unnumbered_quarter(qualifiers: str, anchor: Anchor) -> tuple[int, int] | None:
    """ "the quarter" is the one under discussion; "the latest quarter" the last completed one."""
    if "current" in qualifiers and anchor.dct:
        return anchor.dct.year, (anchor.dct.month - 1) // 3 + 1
    if anchor.quarter and "latest" not in qualifiers:
        return anchor.quarter
    return latest_quarter(anchor.dct) if anchor.dct else None


def normalize_quarter(match: re.Match[str], anchor: Anchor) -> Result:
    surface = match.group().lower()
    qualifiers = " ".join(re.findall(r"next year's|current|latest", surface))
    if not (match["the"] or match["ord"] or match["qrel"] or match["year0"]):
        return NotATime("bare 'quarter'")
    named_year = year_of(match) or year_of(match, "year0")
    if match["ord"] is None:
        context = _unnumbered_quarter(qualifiers, anchor)
        year, quarter = context if context else (None, None)
        year = named_year or year  # "the 1988 quarter": the quarter under discussion, in 1988
    else:
        quarter = g.ORDINALS[match["ord"].lower()]
        year = named_year
        if year is None and anchor.dct:
            current = (anchor.dct.month - 1) // 3 + 1
            year = anchor.dct.year + relative_step(match["yrel"]) if match["yrel"] else anchor.dct.year
            if not match["yrel"] and quarter > current and not anchor.future_tense:
                year -= 1
    if year and not named_year and _shifted_back(match):
        year -= 1
    if year and anchor.dct and "next year's" in qualifiers:
        year = anchor.dct.year + 1
    return quarter_value(year, quarter)


def normalize_half(match: re.Match[str], anchor: Anchor) -> Result:
    half = 1 if match["ord"].lower() == "first" else 2
    year = year_of(match) or (anchor.dct.year + relative_step(match["yrel"]) if anchor.dct else None)
    return Normalized("DATE", f"{year if year else 'XXXX'}-H{half}")


def normalize_period(match: re.Match[str], anchor: Anchor) -> Result:
    """ "the year-ago period", "year-earlier", "the 1988 period": the quarter under discussion, shifted."""
    context = context_quarter(anchor)
    if context is None:
        return Normalized("DATE", "XXXX-QX")
    year, quarter = context
    named_year = year_of(match) if "year" in match.groupdict() else None
    if named_year:
        return quarter_value(named_year, quarter)
    return quarter_value(year - 1 if _shifted_back(match) else year, quarter)
