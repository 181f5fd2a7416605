"""Calendar arithmetic for the times stage: ISO weeks, quarters, movable holidays, and TIMEX3 value bounds.

Input: dates and TIMEX3 value strings. Output: dates, value strings, and ``(start, end, precision)``
triples (end exclusive) for calendar values; pure functions, no spaCy.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from storyline.records import DatePrecision

# Hours covered by a TIMEX3 part of day (night runs into the next morning).
DAY_PARTS: dict[str, tuple[int, int]] = {
    "MO": (6, 12),
    "AF": (12, 18),
    "EV": (18, 24),
    "NI": (20, 30),
    "DT": (8, 18),
}
# Meteorological seasons (northern hemisphere): first month and length in months.
SEASON_MONTHS: dict[str, int] = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def latest_quarter(dct: date) -> tuple[int, int]:
    """The last completed quarter: what "the latest quarter" means in an earnings report."""
    current = (dct.month - 1) // 3 + 1
    return (dct.year, current - 1) if current > 1 else (dct.year - 1, 4)


def weekday_near(dct: date, weekday: int, step: int, tense: str, this_week: bool) -> date:
    """The ``weekday`` (1 = Monday) meant relative to the DCT.

    Plain "Friday" in a past-tense clause is the most recent Friday on or before the DCT, in a
    future-tense one the next on or after it, otherwise the past one unless the next is much nearer;
    "last"/"next" skip the
    DCT's own weekday.
    """
    if this_week:
        return dct + timedelta(days=weekday - dct.isoweekday())
    back = (dct.isoweekday() - weekday) % 7
    forward = (weekday - dct.isoweekday()) % 7
    if step < 0:
        return dct - timedelta(days=back or 7)
    if step > 0:
        return dct + timedelta(days=forward or 7)
    if tense == "future" or (tense != "past" and forward * 2 < back):
        return dct + timedelta(days=forward)
    return dct - timedelta(days=back)


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday_shift) // 433
    month = (h + weekday_shift - 7 * m + 90) // 25
    return date(year, month, (h + weekday_shift - 7 * m + 33 * month + 19) % 32)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th ``weekday`` (1 = Monday) of a month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = add_months(date(year, month, 1), 1) - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def holiday_date(name: str, year: int) -> date:
    from storyline.nlp.timegrammar import HOLIDAYS

    if name in HOLIDAYS:
        return date(year, *HOLIDAYS[name])
    if name.startswith("thanksgiving"):
        return nth_weekday(year, 11, 4, 4)
    if name == "labor day":
        return nth_weekday(year, 9, 1, 1)
    if name == "memorial day":
        return nth_weekday(year, 5, 1, -1)
    if name == "good friday":
        return easter(year) - timedelta(days=2)
    return easter(year)


_VALUE_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), kind)
    for p, kind in (
        (r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)", "minute"),
        (r"(\d{4})-(\d\d)-(\d\d)T(\d\d)", "hour"),
        (r"(\d{4})-(\d\d)-(\d\d)T(MO|AF|EV|NI|DT)", "part"),
        (r"(\d{4})-(\d\d)-(\d\d)", "day"),
        (r"(\d{4})-W(\d\d)-WE", "weekend"),
        (r"(\d{4})-W(\d\d)", "week"),
        (r"(\d{4})-(\d\d)", "month"),
        (r"(\d{4})-Q([1-4])", "quarter"),
        (r"(\d{4})-H([12])", "half"),
        (r"(\d{4})-(SP|SU|FA|WI)", "season"),
        (r"(\d{4})", "year"),
        (r"(\d{3})", "decade"),
        (r"(\d{2})", "century"),
    )
)


def _month_span(year: int, month: int, months: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    return datetime.combine(first, datetime.min.time()), datetime.combine(
        add_months(first, months), datetime.min.time()
    )


def value_bounds(value: str) -> tuple[datetime, datetime, DatePrecision] | None:
    """First instant, exclusive end and precision of a calendar TIMEX3 value; None for X/REF values."""
    for pattern, kind in _VALUE_FORMS:
        match = pattern.fullmatch(value)
        if match:
            try:
                return _bounds(kind, match.groups())
            except ValueError:  # e.g. ISO week 53 in a 52-week year: no calendar bounds
                return None
    return None


def _bounds(kind: str, parts: tuple[str, ...]) -> tuple[datetime, datetime, DatePrecision]:
    if kind in {"minute", "hour", "part", "day"}:
        day = datetime(int(parts[0]), int(parts[1]), int(parts[2]))
        if kind == "day":
            return day, day + timedelta(days=1), DatePrecision.DAY
        if kind == "part":
            first, last = DAY_PARTS[parts[3]]
            return day + timedelta(hours=first), day + timedelta(hours=last), DatePrecision.HOUR
        start = day + timedelta(hours=int(parts[3]), minutes=int(parts[4]) if kind == "minute" else 0)
        step = timedelta(minutes=1) if kind == "minute" else timedelta(hours=1)
        return start, start + step, DatePrecision.MINUTE if kind == "minute" else DatePrecision.HOUR
    if kind in {"week", "weekend"}:
        monday = datetime.fromisocalendar(int(parts[0]), int(parts[1]), 1)
        if kind == "weekend":
            return monday + timedelta(days=5), monday + timedelta(days=7), DatePrecision.WEEK
        return monday, monday + timedelta(days=7), DatePrecision.WEEK
    year = int(parts[0])
    if kind == "month":
        return (*_month_span(year, int(parts[1]), 1), DatePrecision.MONTH)
    if kind == "quarter":
        return (*_month_span(year, 3 * int(parts[1]) - 2, 3), DatePrecision.QUARTER)
    if kind == "half":
        # No half-year precision exists; report the coarser YEAR rather than overclaim.
        return (*_month_span(year, 6 * int(parts[1]) - 5, 6), DatePrecision.YEAR)
    if kind == "season":
        return (*_month_span(year, SEASON_MONTHS[parts[1]], 3), DatePrecision.SEASON)
    if kind == "year":
        return datetime(year, 1, 1), datetime(year + 1, 1, 1), DatePrecision.YEAR
    if kind == "decade":
        return datetime(year * 10, 1, 1), datetime(year * 10 + 10, 1, 1), DatePrecision.DECADE
    return datetime(year * 100, 1, 1), datetime(year * 100 + 100, 1, 1), DatePrecision.CENTURY
