"""TIMEX3 normalization: turn one grammar match into a type and value, resolved against an anchor.

Input: a match of a ``timegrammar`` rule and an ``Anchor`` (DCT, clause tense, quarter under discussion).
Output: ``Normalized(type, value)`` or ``NotATime(reason)``; ``NORMALIZERS`` maps rule names to functions.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from storyline.nlp import timegrammar as g
from storyline.nlp.time_fiscal import normalize_half, normalize_period, normalize_quarter, quarter_value
from storyline.nlp.time_values import (
    Anchor,
    Normalized,
    Normalizer,
    NotATime,
    Result,
    duration_value,
    number_value,
    relative_step,
    unit_code,
    year_of,
)
from storyline.nlp.timecalendar import add_months, holiday_date, week_value, weekday_near

__all__ = ["NORMALIZERS", "RULE_RANK", "Anchor", "Normalized", "NotATime", "month_number"]

# News style leaves the year out of dates in the current year, so a yearless date is read in the DCT's
# year when it lies within these many days before/after the DCT (by clause tense; untensed mentions
# lean to the past, as news mostly reports what happened), else in the
# neighbouring year: past-tense deadlines may still lie a little ahead ("set Nov. 10 as the deadline").
SAME_YEAR_WINDOW: dict[str, tuple[int, int]] = {
    "past": (366, 31), "present": (270, 120), "": (270, 120), "future": (14, 366),
}  # fmt: skip


# The day a modified month stands for when picking its year: "early March" is nearer than "March".
MODIFIER_DAYS: dict[str, int] = {"early": 5, "beginning": 3, "start": 3, "mid": 15, "middle": 15, "late": 25, "end": 28}


def _modifier_day(modifier: str | None) -> int | None:
    words = re.findall(r"[a-z]+", (modifier or "").lower())
    return next((MODIFIER_DAYS[w] for w in words if w in MODIFIER_DAYS), None)


def _resolve_year(month: int, day: int | None, anchor: Anchor, rel: str | None = None) -> int | None:
    """Year of a month(-day) written without one, from the DCT, "last"/"next" and the clause tense."""
    if anchor.dct is None:
        return None
    dct, rel = anchor.dct, (rel or "").lower()
    step = relative_step(rel)
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
    year = year_of(match) or _resolve_year(month, day, anchor)
    return _day_value(year, month, day)


def _week_of(match: re.Match[str], anchor: Anchor) -> Result:
    """ "the week of March 6": the ISO week holding that day."""
    day = _calendar_date(match, anchor)
    if isinstance(day, NotATime) or day.value.startswith("X"):
        return day if isinstance(day, NotATime) else Normalized("DATE", "XXXX-WXX")
    return Normalized("DATE", week_value(date.fromisoformat(day.value)))


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
    if match["yrel"]:  # "June last year", "April next year", "January this year"
        step = relative_step(match["yrel"])
        year = anchor.dct.year + step if anchor.dct else None
    else:
        day = _modifier_day(match["mod"])
        year = year_of(match) or _resolve_year(month, day, anchor, match["rel"])
    return Normalized("DATE", f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}")


def _year(match: re.Match[str], anchor: Anchor) -> Result:
    return Normalized("DATE", match["year"])


def _spelled_year(match: re.Match[str], anchor: Anchor) -> Result:
    rest = number_value(match["rest"])
    if rest is None or rest < 10:
        return NotATime("not a spelled-out year")
    return Normalized("DATE", f"{19 if match['cent'].lower() == 'nineteen' else 20}{rest:02d}")


def _year_named(match: re.Match[str], anchor: Anchor) -> Result:
    return Normalized("DATE", match["year"] or "2000")


def _current_unit(match: re.Match[str], anchor: Anchor) -> Result:
    """ "for the year", "during the week": the DCT's year; the week is known only by its year."""
    unit = "year" if match["end"] is not None else match["unit"].lower()  # "by year-end": the DCT's year
    if anchor.dct is None:
        return Normalized("DATE", {"year": "XXXX", "month": "XXXX-XX"}.get(unit, "XXXX-WXX"))
    year = anchor.dct.year
    return Normalized(
        "DATE", {"year": f"{year:04d}", "month": f"{year:04d}-{anchor.dct.month:02d}"}.get(unit, f"{year:04d}-WXX")
    )


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
    return Normalized("DATE", f"{anchor.dct.year // 100 + relative_step(match['this']):02d}")


def _season(match: re.Match[str], anchor: Anchor) -> Result:
    season = g.SEASONS[match["season"].lower()]
    rel = (match["rel"] or "").lower()
    year = year_of(match)
    if year is None and not rel and not match["mod"] and season in {"FA", "SP"}:
        return NotATime("bare 'fall'/'spring' is usually not a season")
    if year is None and anchor.dct is not None:
        year = anchor.dct.year + (relative_step(rel) if rel != "this past" else 0)
    return Normalized("DATE", f"{year if year else 'XXXX'}-{season}")


def _holiday(match: re.Match[str], anchor: Anchor) -> Result:
    name = re.sub(r"\s+", " ", match["name"].lower())
    year = year_of(match) or (anchor.dct.year if anchor.dct else None)
    if year is None:
        return Normalized("DATE", "XXXX-XX-XX")
    day = holiday_date(name, year)
    if anchor.dct and not year_of(match):
        if day > anchor.dct and not anchor.future_tense:
            day = holiday_date(name, year - 1)
        elif day < anchor.dct and anchor.future_tense:
            day = holiday_date(name, year + 1)
    return Normalized("DATE", day.isoformat())


def _weekend(match: re.Match[str], anchor: Anchor) -> Result:
    if anchor.dct is None:
        return Normalized("DATE", "XXXX-WXX-WE")
    rel = re.sub(r"\s+", " ", match["rel"].lower())
    step = relative_step(rel)
    if rel in {"the", "over the", "that"} and not anchor.future_tense:
        step = -1 if anchor.dct.isoweekday() <= 3 else 0  # early in the week "the weekend" is the last one
    return Normalized("DATE", week_value(anchor.dct + timedelta(weeks=step)) + "-WE")


def _weekday(match: re.Match[str], anchor: Anchor) -> Result:
    weekday = g.WEEKDAYS[match["wd"].lower()]
    part = g.PARTS_OF_DAY.get((match["part"] or "").lower())
    if match["plural"] or match["parts"]:  # "Tuesdays", "Tuesday nights": every such day
        return Normalized("SET", f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""))
    if anchor.dct is None:
        return Normalized("DATE", f"XXXX-WXX-{weekday}")
    rel = re.sub(r"\s+", " ", (match["rel"] or "").lower())
    day = weekday_near(anchor.dct, weekday, relative_step(rel), anchor.tense, rel == "this")
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
    code, factor = unit_code(unit)
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
    amount = number_value(match["num"])
    if amount is None:
        return Normalized("DATE", "PAST_REF" if direction < 0 else "FUTURE_REF")
    unit = match["unit"].lower()
    if anchor.dct is None:
        return Normalized("DATE", "XXXX")
    if unit == "year" and amount == 1 and anchor.quarter and direction < 0:
        return quarter_value(anchor.quarter[0] - 1, anchor.quarter[1])
    if amount != int(amount):  # "a year and a half ago": count in the next smaller unit
        unit, amount = {"year": ("month", amount * 12), "day": ("hour", amount * 24)}.get(unit, (unit, amount))
    value = _shifted(anchor.dct, unit, round(amount) * direction)
    return Normalized("TIME" if "T" in value else "DATE", value)


# Relations that point into the narrative, not to the article date: "that year", "the following year".
ANAPHORIC_RELATIONS = frozenset({"that", "the following", "the previous", "the same"})


def _relative_unit(match: re.Match[str], anchor: Anchor) -> Result:
    rel = re.sub(r"\s+", " ", match["rel"].lower())
    unit = match["unit"].lower()
    anaphoric = rel in ANAPHORIC_RELATIONS
    if anaphoric and unit == "year" and anchor.narrative_year:
        # "later that year", "the following year": counted from the year the narrative is in.
        return Normalized("DATE", f"{anchor.narrative_year + relative_step(rel):04d}")
    if anchor.dct is None or rel == "that":
        return Normalized("DATE", {"week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX"))
    step, dct = relative_step(rel), anchor.dct
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
    if match["month"]:  # "each July"
        return Normalized("SET", f"XXXX-{month_number(match['month']):02d}")
    return Normalized("SET", duration_value(number_value(match["num"]), match["unit"]))


def _set_adverb(match: re.Match[str], anchor: Anchor) -> Result:
    return Normalized("SET", g.SET_ADVERBS[match["word"].lower()])


def _reference(match: re.Match[str], anchor: Anchor) -> Result:
    return Normalized("DATE", g.REFERENCE_WORDS[re.sub(r"\s+", " ", match.group().lower())])


def _duration(match: re.Match[str], anchor: Anchor) -> Result:
    unit = match["unit"].lower()
    rel = (match["drel"] or "").lower()
    surface = re.sub(r"\s+", " ", match.group().lower())
    if surface in g.REFERENCE_WORDS:  # "these days"
        return Normalized("DATE", g.REFERENCE_WORDS[surface])
    if match["num2"]:  # "two to three weeks": a range of unknown length
        return Normalized("DURATION", duration_value(None, unit))
    if match["num"] or match["half"]:
        amount = number_value(match["num"])
        amount = amount + 0.5 if amount is not None and match["half"] else amount
        return Normalized("DURATION", duration_value(amount, unit))
    if match["plural"]:
        if rel == "recent" and unit == "year":
            return Normalized("DATE", "PAST_REF")
        if rel == "future":
            return Normalized("DATE", "FUTURE_REF")
        return Normalized("DURATION", duration_value(None, unit))
    if match["the"] and unit in {"year", "week", "month"}:
        if unit == "week" and not rel:
            return Normalized("DATE", "XXXX-WXX")
        return Normalized("DURATION", duration_value(1, unit))
    return NotATime(f"bare '{unit}'")


NORMALIZERS: dict[str, Normalizer] = {
    "iso": _iso, "slash": _slash, "month_day": _calendar_date, "day_month": _calendar_date,
    "month": _month, "week_of": _week_of, "year_named": _year_named, "current_unit": _current_unit,
    "clock": _clock, "noon": _noon, "decade": _decade, "century": _century,
    "year": _year, "spelled_year": _spelled_year, "quarter": normalize_quarter, "half": normalize_half,
    "period": normalize_period, "year_ago_adj": normalize_period, "season": _season,
    "holiday": _holiday, "weekend": _weekend, "weekday": _weekday, "day_word": _day_word,
    "part_of_day": _part_of_day, "ago": _ago, "relative_unit": _relative_unit,
    "set_every": _set_every, "set_adverb": _set_adverb, "duration": _duration, "reference": _reference,
}  # fmt: skip
RULE_RANK = {name: rank for rank, (name, _) in enumerate(g.RULES)}
