"""Shared vocabulary of time normalization: the anchor a match is resolved against, the result types,
and the small value builders (numbers, units, durations) every normalizer uses.

Input: words from grammar matches. Output: ``Anchor``, ``Normalized``/``NotATime`` and TIMEX3 fragments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from storyline.nlp import timegrammar as g


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a relative expression is resolved against."""

    dct: date | None
    tense: str = ""  # of the governing clause: "future", "past", "present" or "" (unknown)
    quarter: tuple[int, int] | None = None  # (year, quarter) last mentioned in the document
    # The last fully dated year mentioned before the expression: anaphoric "that year" and
    # "the following year" count from the narrative's time, not from the article date.
    narrative_year: int | None = None

    @property
    def future_tense(self) -> bool:
        return self.tense == "future"


@dataclass(frozen=True, slots=True)
class Normalized:
    timex_type: str
    value: str


@dataclass(frozen=True, slots=True)
class NotATime:
    """A grammar match rejected by normalization, with the reason (kept for debugging, never emitted)."""

    reason: str


Result = Normalized | NotATime
Normalizer = Callable[[re.Match[str], Anchor], Result]

# "last"/"next" and their synonyms, as written before a unit or a day name.
PAST_RELATIONS = {"last", "past", "the past", "the last", "previous", "the previous", "this past", "prior"}
NEXT_RELATIONS = {"next", "the next", "coming", "the coming", "following", "the following", "this coming"}
VAGUE_NUMBERS = frozenset({"several", "few", "a few", "many", "some", "dozens of"})
# "5 1/2", "two and a half": the fraction added to the whole number.
FRACTIONS: dict[str, float] = {"1/2": 0.5, "1/4": 0.25, "3/4": 0.75, "and a half": 0.5}
# Smaller units a fractional amount is written in: 2.5 years is P2Y6M, 5.5 hours PT5H30M.
SUBUNITS: dict[str, tuple[str, int]] = {
    "Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("TH", 24), "TH": ("TM", 60), "TM": ("TS", 60),
}  # fmt: skip


def number_value(word: str | None) -> int | float | None:
    """1 for "a", 24 for "twenty four", 5.5 for "5 1/2", None for vague amounts ("several")."""
    if word is None:
        return 1
    text = re.sub(r"[\s-]+", " ", word.lower()).strip()
    fraction = next((v for f, v in FRACTIONS.items() if text.endswith(" " + f)), 0.0)
    if fraction:
        text = re.sub(r"\s+(?:1/2|1/4|3/4|and a half)$", "", text)
    whole = _whole_number(text)
    if whole is None:
        return None
    return whole + fraction if fraction else whole


def _whole_number(text: str) -> int | float | None:
    if text in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    if text in g.NUMBER_WORDS:
        return g.NUMBER_WORDS[text]
    total, current = 0, 0
    for part in text.split(" "):
        if part in g.MULTIPLIERS:
            current = max(current, 1) * g.MULTIPLIERS[part]
            total, current = (total + current, 0) if g.MULTIPLIERS[part] >= 1000 else (total, current)
        elif part in g.NUMBER_WORDS and isinstance(g.NUMBER_WORDS[part], int):
            current += int(g.NUMBER_WORDS[part])
        elif part != "and":
            return None
    return total + current or None


def unit_code(word: str) -> tuple[str, int]:
    stem = word.lower().rstrip("s")
    return g.UNIT_CODES["century" if stem.startswith("centur") else stem]


def duration_value(amount: float | None, unit_word: str) -> str:
    """P2W, PT45M, P10Y (decade), P2Y6M (2 1/2 years); X for vague amounts."""
    code, factor = unit_code(unit_word)
    if amount is None:
        return f"PTX{code[1]}" if code.startswith("T") else f"PX{code}"
    amount *= factor
    whole, rest = int(amount), amount - int(amount)
    parts = [(whole, code)]
    if rest and code in SUBUNITS:
        sub_code, per = SUBUNITS[code]
        parts.append((round(rest * per), sub_code))
    elif rest:
        return f"PTX{code[1]}" if code.startswith("T") else f"PX{code}"
    dates = "".join(f"{n}{c}" for n, c in parts if not c.startswith("T") and n)
    times = "".join(f"{n}{c[1]}" for n, c in parts if c.startswith("T") and n)
    return "P" + dates + (f"T{times}" if times else "") if dates or times else f"P0{code.lstrip('T')}"


def year_of(match: re.Match[str], key: str = "year") -> int | None:
    text = match.groupdict().get(key)
    return int(text) if text else None


def relative_step(rel: str | None) -> int:
    rel = re.sub(r"\s+", " ", (rel or "").lower())
    if rel in PAST_RELATIONS:
        return -1
    if rel in NEXT_RELATIONS:
        return 1
    return 0
