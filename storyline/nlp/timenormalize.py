"""TIMEX3 normalization: turn one grammar match into a type and value, resolved against an anchor.

Input: a match of a ``timegrammar`` rule and an ``Anchor`` (DCT, clause tense, quarter under discussion).
Output: ``Normalized(type, value)`` or ``NotATime(reason)``; ``NORMALIZERS`` maps rule names to functions.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.nlp import timegrammar as g
from storyline.nlp.timecalendar import add_months, holiday_date, latest_quarter, week_value, weekday_near


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a relative expression is resolved against."""

    dct: date | None
    tense: str = ""  # of the governing clause: "future", "past", "present" or "" (unknown)
    quarter: tuple[int, int] | None = None  # (year, quarter) last mentioned in the document

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
PAST_RELATIONS = {"last", "past", "the past", "the last", "previous", "the previous", "this past"}
NEXT_RELATIONS = {"next", "the next", "coming", "the coming", "following", "the following", "this coming"}
VAGUE_NUMBERS = frozenset({"several", "few", "a few", "many", "some", "dozens of", "couple of"})


def _number(word: str | None) -> int | None:
    """1 for "a", 24 for "twenty four", None for vague amounts ("several")."""
    if word is None:
        return 1
    text = re.sub(r"[\s-]+", " ", word.lower()).strip()
    if text in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return None
    if text in g.NUMBER_WORDS:
        return g.NUMBER_WORDS[text]
    parts = text.split(" ")
    if all(p in g.NUMBER_WORDS for p in parts):
        return sum(g.NUMBER_WORDS[p] for p in parts)
    return None


def _unit(word: str) -> tuple[str, int]:
    stem = word.lower().rstrip("s")
    return g.UNIT_CODES["century" if stem.startswith("centur") else stem]


def duration_value(amount: int | None, unit_word: str) -> str:
    """P2W, PT45M, P10Y (decade); X for vague amounts."""
    code, factor = _unit(unit_word)
    quantity = "X" if amount is None else str(amount * factor)
    return f"PT{quantity}{code[1]}" if code.startswith("T") else f"P{quantity}{code}"


def _year_of(match: re.Match[str], key: str = "year") -> int | None:
    text = match.groupdict().get(key)
    return int(text) if text else None


def _relative_step(rel: str | None) -> int:
    rel = re.sub(r"\s+", " ", (rel or "").lower())
    if rel in PAST_RELATIONS:
        return -1
    if rel in NEXT_RELATIONS:
        return 1
    return 0


# News style leaves the year out of dates in the current year, so a yearless date is read in the DCT's
# year when it lies within these many days before/after the DCT (by clause tense; untensed mentions
# lean to the past, as news mostly reports what happened), else in the
# neighbouring year: past-tense deadlines may still lie a little ahead ("set Nov. 10 as the deadline").
SAME_YEAR_WINDOW: dict[str, tuple[int, int]] = {
    "past": (366, 31), "present": (270, 120), "": (270, 120), "future": (0, 366),
}  # fmt: skip


def _resolve_year(month: int, day: int | None, anchor: Anchor, rel: str | None = None) -> int | None:
    """Year of a month(-day) written without one, from the DCT, "last"/"next" and the clause tense."""
    if anchor.dct is None:
        return None
    dct, rel = anchor.dct, (rel or "").lower()
    step = _relative_step(rel)
    if rel == "this":
        return dct.year
    if day is None and step:
        # "last November": the latest November strictly before the DCT's month ("next" mirrors it).
        return dct.year + (0 if (month - dct.month) * step > 0 else step)
    last_day = calendar.monthrange(dct.year, month)[1]
    offset = (date(dct.year, month, min(day or 15, last_day)) - dct).days
    if step:
        return dct.year + (0 if offset * step > 0 else step)
    behind, ahead = SAME_YEAR_WINDOW[anchor.tense]
    if -behind <= offset <= ahead:
        return dct.year
    return dct.year - 1 if offset > 0 else dct.year + 1


def _day_value(year: int | None, month: int, day: int) -> Result:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: "Feb. 29" stays valid without a year
    except ValueError:
        return NotATime(f"no day {day} in month {month}")
    return Normalized("DATE", f"{year:04d}-{month:02d}-{day:02d}" if year else f"XXXX-{month:02d}-{day:02d}")


def month_number(word: str) -> int:
    return g.MONTHS[word.lower().rstrip(".")]


def _calendar_date(match: re.Match[str], anchor: Anchor) -> Result:
    month, day = month_number(match["month"]), int(re.sub(r"\D", "", match["day"]))
    year = _year_of(match) or _resolve_year(month, day, anchor)
    return _day_value(year, month, day)


def _iso(match: re.Match[str], anchor: Anchor) -> Result:
    result = _day_value(int(match["y"]), int(match["m"]), int(match["d"]))
    if isinstance(result, Normalized) and match["hh"]:
        return Normalized("TIME", f"{result.value}T{match['hh']}:{match['mm']}")
    return result


def _slash(match: re.Match[str], anchor: Anchor) -> Result:
    year = int(match["y"])
    year = year + (1900 if year >= 50 else 2000) if year < 100 else year
    return _day_value(year, int(match["a"]), int(match["b"]))  # US order: month/day/year


def _month(match: re.Match[str], anchor: Anchor) -> Result:
    month = month_number(match["month"])
    year = _year_of(match) or _resolve_year(month, None, anchor, match["rel"])
    return Normalized("DATE", f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}")


def _year(match: re.Match[str], anchor: Anchor) -> Result:
    return Normalized("DATE", match["year"])


def _spelled_year(match: re.Match[str], anchor: Anchor) -> Result:
    rest = _number(match["rest"])
    if rest is None or rest < 10:
        return NotATime("not a spelled-out year")
    return Normalized("DATE", f"{19 if match['cent'].lower() == 'nineteen' else 20}{rest:02d}")


def _decade(match: re.Match[str], anchor: Anchor) -> Result:
    if match["dec"]:
        return Normalized("DATE", match["dec"][:3])
    if match["short"]:
        return Normalized("DATE", ("19" if int(match["short"]) >= 30 else "20") + match["short"][0])
    words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
    tens = words.index(match["word"].lower().split()[-1].split("-")[-1]) + 2
    return Normalized("DATE", f"19{tens}")


def _century(match: re.Match[str], anchor: Anchor) -> Result:
    if match["n"]:
        return Normalized("DATE", f"{int(match['n']) - 1:02d}")
    if anchor.dct is None:
        return Normalized("DATE", "XX")
    return Normalized("DATE", f"{anchor.dct.year // 100 + _relative_step(match['this']):02d}")


def _quarter_value(year: int | None, quarter: int | None) -> Normalized:
    return Normalized("DATE", f"{year if year else 'XXXX'}-Q{quarter if quarter else 'X'}")


def _context_quarter(anchor: Anchor) -> tuple[int, int] | None:
    if anchor.quarter:
        return anchor.quarter
    return latest_quarter(anchor.dct) if anchor.dct else None


def _quarter(match: re.Match[str], anchor: Anchor) -> Result:
    qualifiers = " ".join(
        re.findall(r"year-ago|year-earlier|last year's|next year's|current|latest", match.group().lower())
    )
    if not (match["the"] or match["ord"] or match["qrel"]):
        return NotATime("bare 'quarter'")
    ordinal = match["ord"]
    if ordinal is None:
        # "the quarter" is the one under discussion; "the latest quarter" the last completed one.
        if "current" in qualifiers and anchor.dct:
            context: tuple[int, int] | None = (anchor.dct.year, (anchor.dct.month - 1) // 3 + 1)
        elif anchor.quarter and "latest" not in qualifiers:
            context = anchor.quarter
        else:
            context = latest_quarter(anchor.dct) if anchor.dct else None
        year, quarter = context if context else (None, None)
    else:
        quarter = g.ORDINALS[ordinal.lower()]
        year = _year_of(match) or _year_of(match, "year0")
        if year is None and anchor.dct:
            current = (anchor.dct.month - 1) // 3 + 1
            year = anchor.dct.year + _relative_step(match["yrel"]) if match["yrel"] else anchor.dct.year
            if not match["yrel"] and quarter > current and not anchor.future_tense:
                year -= 1
    if year and ("year-ago" in qualifiers or "year-earlier" in qualifiers or "last year's" in qualifiers):
        year -= 1
    if year and anchor.dct and "next year's" in qualifiers:
        year = anchor.dct.year + 1
    return _quarter_value(year, quarter)


def _half(match: re.Match[str], anchor: Anchor) -> Result:
    half = 1 if match["ord"].lower() == "first" else 2
    year = _year_of(match) or (anchor.dct.year + _relative_step(match["yrel"]) if anchor.dct else None)
    return Normalized("DATE", f"{year if year else 'XXXX'}-H{half}")


def _year_ago_quarter(match: re.Match[str], anchor: Anchor) -> Result:
    """ "the year-ago period", "year-earlier": the quarter under discussion, one year back."""
    context = _context_quarter(anchor)
    if context is None:
        return Normalized("DATE", "XXXX-QX")
    year, quarter = context
    backwards = "ago" in match.group().lower() or "earlier" in match.group().lower()
    return _quarter_value(year - 1 if backwards else year, quarter)


def _season(match: re.Match[str], anchor: Anchor) -> Result:
    season = g.SEASONS[match["season"].lower()]
    rel = (match["rel"] or "").lower()
    year = _year_of(match)
    if year is None and not rel and not match["mod"] and season in {"FA", "SP"}:
        return NotATime("bare 'fall'/'spring' is usually not a season")
    if year is None and anchor.dct is not None:
        year = anchor.dct.year + (_relative_step(rel) if rel != "this past" else 0)
    return Normalized("DATE", f"{year if year else 'XXXX'}-{season}")


def _holiday(match: re.Match[str], anchor: Anchor) -> Result:
    name = re.sub(r"\s+", " ", match["name"].lower())
    year = _year_of(match) or (anchor.dct.year if anchor.dct else None)
    if year is None:
        return Normalized("DATE", "XXXX-XX-XX")
    day = holiday_date(name, year)
    if anchor.dct and not _year_of(match):
        if day > anchor.dct and not anchor.future_tense:
            day = holiday_date(name, year - 1)
        elif day < anchor.dct and anchor.future_tense:
            day = holiday_date(name, year + 1)
    return Normalized("DATE", day.isoformat())


def _weekend(match: re.Match[str], anchor: Anchor) -> Result:
    if anchor.dct is None:
        return Normalized("DATE", "XXXX-WXX-WE")
    rel = re.sub(r"\s+", " ", match["rel"].lower())
    step = _relative_step(rel)
    if rel in {"the", "over the", "that"} and not anchor.future_tense:
        step = -1 if anchor.dct.isoweekday() <= 3 else 0  # early in the week "the weekend" is the last one
    return Normalized("DATE", week_value(anchor.dct + timedelta(weeks=step)) + "-WE")


def _weekday(match: re.Match[str], anchor: Anchor) -> Result:
    weekday = g.WEEKDAYS[match["wd"].lower()]
    part = g.PARTS_OF_DAY.get((match["part"] or "").lower())
    if match["plural"]:
        return Normalized("SET", f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""))
    if anchor.dct is None:
        return Normalized("DATE", f"XXXX-WXX-{weekday}")
    rel = re.sub(r"\s+", " ", (match["rel"] or "").lower())
    day = weekday_near(anchor.dct, weekday, _relative_step(rel), anchor.tense, rel == "this")
    return Normalized("TIME", f"{day.isoformat()}T{part}") if part else Normalized("DATE", day.isoformat())


def _day_word(match: re.Match[str], anchor: Anchor) -> Result:
    word = match["word"].lower()
    offset = {"yesterday": -1, "tomorrow": 1, "overnight": -1}.get(word, 0)
    part = g.PARTS_OF_DAY.get((match["part"] or match["part0"] or "").lower()) or g.PARTS_OF_DAY.get(word)
    if anchor.dct is None:
        return Normalized("TIME" if part else "DATE", "XXXX-XX-XX" + (f"T{part}" if part else ""))
    day = (anchor.dct + timedelta(days=offset)).isoformat()
    return Normalized("TIME", f"{day}T{part}") if part else Normalized("DATE", day)


def _part_of_day(match: re.Match[str], anchor: Anchor) -> Result:
    part = g.PARTS_OF_DAY[match["part"].lower()]
    rel = match["rel"].lower()
    if anchor.dct is None or rel == "that":
        return Normalized("TIME", f"XXXX-XX-XXT{part}")
    offset = -1 if rel == "last" else 0
    return Normalized("TIME", f"{(anchor.dct + timedelta(days=offset)).isoformat()}T{part}")


def _clock_day(word: str | None, anchor: Anchor) -> str:
    if anchor.dct is None:
        return "XXXX-XX-XX"
    lowered = (word or "today").lower()
    if lowered in g.WEEKDAYS:
        return weekday_near(anchor.dct, g.WEEKDAYS[lowered], 0, anchor.tense, False).isoformat()
    return (anchor.dct + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(lowered, 0))).isoformat()


def _clock(match: re.Match[str], anchor: Anchor) -> Result:
    hour = int(match["hour"])
    if not 1 <= hour <= 12:
        return NotATime(f"hour {hour} with a.m./p.m.")
    hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    day = _clock_day(match["wd"], anchor)
    if match["month"]:
        calendar = _calendar_date(match, anchor)
        if isinstance(calendar, NotATime):
            return calendar
        day = calendar.value
    return Normalized("TIME", f"{day}T{hour:02d}:{match['minute'] or '00'}")


def _noon(match: re.Match[str], anchor: Anchor) -> Result:
    clock = "24:00" if match["word"].lower() == "midnight" else "12:00"
    return Normalized("TIME", f"{_clock_day(match['wd'], anchor)}T{clock}")


def _shifted(dct: date, unit: str, amount: int) -> str:
    """DCT moved by amount units, written at that unit's granularity."""
    code, factor = _unit(unit)
    amount *= factor
    if code == "Y":
        return f"{dct.year + amount:04d}"
    if code in {"M", "Q"}:
        return add_months(dct, amount * (3 if code == "Q" else 1)).strftime("%Y-%m")
    if code == "W":
        return (dct + timedelta(weeks=amount)).isoformat()
    if code == "D":
        return (dct + timedelta(days=amount)).isoformat()
    return dct.isoformat() + "T" + ("XX:XX" if code == "TS" else "XX")


def _ago(match: re.Match[str], anchor: Anchor) -> Result:
    direction = -1 if match["dir"].lower() in {"ago", "earlier", "before now"} else 1
    amount = _number(match["num"])
    if amount is None:
        return Normalized("DATE", "PAST_REF" if direction < 0 else "FUTURE_REF")
    unit = match["unit"].lower()
    if anchor.dct is None:
        return Normalized("DATE", "XXXX")
    if unit == "year" and amount == 1 and anchor.quarter and direction < 0:
        return _quarter_value(anchor.quarter[0] - 1, anchor.quarter[1])
    value = _shifted(anchor.dct, unit, amount * direction)
    return Normalized("TIME" if "T" in value else "DATE", value)


def _relative_unit(match: re.Match[str], anchor: Anchor) -> Result:
    rel = re.sub(r"\s+", " ", match["rel"].lower())
    unit = match["unit"].lower()
    if anchor.dct is None or rel == "that":
        return Normalized("DATE", {"week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX"))
    step, dct = _relative_step(rel), anchor.dct
    if unit == "week":
        return Normalized("DATE", week_value(dct + timedelta(weeks=step)))
    if unit == "month":
        return Normalized("DATE", add_months(dct, step).strftime("%Y-%m"))
    if unit == "decade":
        return Normalized("DATE", f"{dct.year // 10 + step:03d}")
    if unit == "century":
        return Normalized("DATE", f"{dct.year // 100 + step:02d}")
    return Normalized("DATE", f"{dct.year + step:04d}")


def _set_every(match: re.Match[str], anchor: Anchor) -> Result:
    if match["wd"]:
        return Normalized("SET", f"XXXX-WXX-{g.WEEKDAYS[match['wd'].lower()]}")
    return Normalized("SET", duration_value(_number(match["num"]), match["unit"]))


def _set_adverb(match: re.Match[str], anchor: Anchor) -> Result:
    return Normalized("SET", g.SET_ADVERBS[match["word"].lower()])


def _reference(match: re.Match[str], anchor: Anchor) -> Result:
    return Normalized("DATE", g.REFERENCE_WORDS[re.sub(r"\s+", " ", match.group().lower())])


def _duration(match: re.Match[str], anchor: Anchor) -> Result:
    unit = match["unit"].lower()
    rel = (match["drel"] or "").lower()
    if match["num"]:
        return Normalized("DURATION", duration_value(_number(match["num"]), unit))
    if match["plural"]:
        if rel == "recent" and unit == "year":
            return Normalized("DATE", "PAST_REF")
        return Normalized("DURATION", duration_value(None, unit))
    if match["the"] and unit in {"year", "week", "month"}:
        if unit == "week" and not rel:
            return Normalized("DATE", "XXXX-WXX")
        return Normalized("DURATION", duration_value(1, unit))
    return NotATime(f"bare '{unit}'")


NORMALIZERS: dict[str, Normalizer] = {
    "iso": _iso, "slash": _slash, "month_day": _calendar_date, "day_month": _calendar_date,
    "month": _month, "clock": _clock, "noon": _noon, "decade": _decade, "century": _century,
    "year": _year, "spelled_year": _spelled_year, "quarter": _quarter, "half": _half,
    "period": _year_ago_quarter, "year_ago_adj": _year_ago_quarter, "season": _season,
    "holiday": _holiday, "weekend": _weekend, "weekday": _weekday, "day_word": _day_word,
    "part_of_day": _part_of_day, "ago": _ago, "relative_unit": _relative_unit,
    "set_every": _set_every, "set_adverb": _set_adverb, "duration": _duration, "reference": _reference,
}  # fmt: skip
RULE_RANK = {name: rank for rank, (name, _) in enumerate(g.RULES)}
