"""Publication dates that a text's furniture states without a label: a date line under the headline,
a dateline with a year ("BEIRUT, Dec. 14, 2018 (Reuters) -") and the date in an article URL's path.

Input: raw text, or a URL. Output: ``PublishedDate`` with source "text:head-date", "text:dateline" or
"url:path" — or None: an event date in a sentence, a copyright year or an ambiguous 03/04/2019 is no date.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache

from storyline.ingest.metadata import PublishedDate, parse_published
from storyline.records import DatePrecision

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
_YEAR = r"(?:19|20)\d{2}"
_CLOCK = (
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:gmt|utc|bst|cet|cest|est|edt|et|ct|pt|pst|pdt|ist|[+-]\d{2}:?\d{2}))?"
)
# The shapes a page prints its date in: "14 December 2018", "Dec. 14, 2018", "2018-12-14T10:02", "14/12/2018".
DATE_SHAPES = (
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}",
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}",
    rf"{_YEAR}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?",
    rf"\d{{1,2}}[/.]\d{{1,2}}[/.]{_YEAR}",
)
DATE_EXPRESSION = (
    rf"(?i:(?:(?P<lead_clock>{_CLOCK}),?\s+)?(?:{_WEEKDAY}\s+)?(?P<date>{'|'.join(DATE_SHAPES)})"
    rf"(?:,?\s*(?:at\s+|[-|/•·]\s*)?(?P<clock>{_CLOCK}))?)"
)
# Words that may stand next to a date on its line without making the line a sentence.
DATE_LINE_FURNITURE = frozenset({
    "published", "updated", "posted", "first", "last", "modified", "on", "at", "date", "time", "gmt", "utc",
    "et", "edt", "est", "bst", "cet", "local", "min", "mins", "minute", "minutes", "read", "reading", "ago",
    "hour", "hours", "day", "days",
})  # fmt: skip
# Labels printed on a line of their own above the date.
LABEL_LINES = {
    "updated": "text:updated", "last updated": "text:updated", "modified": "text:updated",
    "last modified": "text:updated", "published": "text:published", "posted": "text:published",
    "first published": "text:published", "posted on": "text:published", "published on": "text:published",
}  # fmt: skip
# A date line is short; lines further down than this are the body, whose dates are events.
HEAD_LINES = 8
MAX_DATE_LINE_WORDS = 16
MAX_LEFTOVER_WORDS = 3
MAX_BYLINE_WORDS = 9
MIN_YEAR = 1990
_SEPARATORS = re.compile(r"\s*[|•·/—–]\s*|\s+-\s+|,\s+")
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_AMBIGUOUS_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.]")
_ISO_CLOCK = re.compile(r"\d[T ]\d{2}:\d{2}")
_DOTTED_CLOCK = re.compile(r"\b(\d{1,2})\.(\d{2})\b(?!\.\d)")
# "BEIRUT, Dec. 14, 2018 (Reuters) -", "WASHINGTON, 14 December 2018 /PRNewswire/ --": place in capitals first.
_DATELINE_HEAD = re.compile(r"^[ \t]*[A-Z][A-Z.'’ -]{1,30}(?:,[ \t]*[A-Z][A-Za-z.'’ -]{1,30})?,[ \t]*")
_DATELINE_TAIL = re.compile(r"[ \t]*(?:\([A-Za-z .&-]{2,40}\)|/[A-Za-z .&-]{2,40}/)?[ \t]*(?:-{1,2}|–|—|:)")


@lru_cache(maxsize=1)
def _date_expression() -> re.Pattern[str]:
    return re.compile(DATE_EXPRESSION)


def date_near_headline(raw: str) -> PublishedDate | None:
    """The first short line among the top lines that is a date (with year) and little else:
    "Friday 14 December 2018 10.35 GMT", "By Ann Smith | 14 March 2024", "Dec 14, 2018 · 3 min read"."""
    lines = [line.strip() for line in raw[:4000].splitlines() if line.strip()][:HEAD_LINES]
    for previous, line in zip(["", *lines], lines, strict=False):
        if len(line.split()) > MAX_DATE_LINE_WORDS:
            continue
        match = _date_expression().search(line)
        if match is None or not _only_furniture_around(line[: match.start()] + " | " + line[match.end() :]):
            continue
        # A label on the line above ("Updated" / date) says which date this is.
        label = LABEL_LINES.get(previous.lower().rstrip(" :"), "text:head-date")
        found = _published_from_match(match, label)
        if found is not None:
            return found
    return None


def date_from_dateline(raw: str) -> PublishedDate | None:
    """The date a wire dateline states with its year at the start of one of the top lines."""
    for line in raw[:4000].splitlines()[: HEAD_LINES * 2]:
        head = _DATELINE_HEAD.match(line)
        if head is None:
            continue
        match = _date_expression().match(line, head.end())
        if match is not None and _DATELINE_TAIL.match(line, match.end()):
            return _published_from_match(match, "text:dateline")
    return None


def _only_furniture_around(rest: str) -> bool:
    """True when what surrounds a date on its line is labels, a byline or a short place/section name."""
    leftover = 0
    for part in _SEPARATORS.split(rest):
        words = _WORDS.findall(part)
        if not words:
            continue
        if part.strip().lower().startswith("by ") and len(words) <= MAX_BYLINE_WORDS:
            continue  # "By Ann Smith, Middle East correspondent"
        # Other words only as a dateline place in capitals ("LONDON"): "Attack of 14 May 2019" is a heading.
        for word in words:
            if word.lower() in DATE_LINE_FURNITURE or word.isdigit():
                continue
            if not word.isupper():
                return False
            leftover += 1
    return leftover <= MAX_LEFTOVER_WORDS


def _published_from_match(match: re.Match[str], source: str) -> PublishedDate | None:
    date = match.group("date")
    numeric = _AMBIGUOUS_NUMERIC.match(date)
    if numeric and numeric.group(1) != numeric.group(2) and max(int(numeric.group(1)), int(numeric.group(2))) <= 12:
        return None  # 03/04/2019: 3 April or 4 March, the reader cannot tell either
    clock = match.group("clock") or match.group("lead_clock")
    value = _read_day(date)
    if value is not None:  # the common shapes without dateparser, which costs ~1 ms a call
        value = _with_clock(value, clock) if clock else value
    else:
        text = date + " " + _DOTTED_CLOCK.sub(r"\1:\2", clock) if clock else date
        found = parse_published(text, source) or (parse_published(date, source) if clock else None)
        value = found.value if found is not None else None
    if value is None or not _plausible(value):
        return None
    stated_clock = clock or _ISO_CLOCK.search(date)
    precision = DatePrecision.MINUTE if stated_clock and (value.hour or value.minute) else DatePrecision.DAY
    return PublishedDate(value, precision, source)


# strptime formats for the shapes in DATE_SHAPES once ordinals, commas and dots are gone.
WORD_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.I)
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_CLOCK_PARTS = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?\s*(?:([ap])\.?m\.?)?", re.I)


def _read_day(date: str) -> datetime | None:
    """The day a DATE_SHAPES match names ("14th Dec. 2018", "Sept 3, 2019", "14/12/2018", "2018-12-14T10:02")."""
    numeric = _NUMERIC_DAY.match(date)
    try:
        if numeric:
            first, second, year = (int(group) for group in numeric.groups())
            day, month = (second, first) if second > 12 else (first, second)  # 11/19/2019 is month-first
            return datetime(year, month, day)
        if date[:4].isdigit():
            return datetime.fromisoformat(date.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None
    words = " ".join(_ORDINAL.sub("", date).replace(",", " ").replace(".", " ").split())
    words = re.sub(r"(?i)\bsept\b", "Sep", words)
    for fmt in WORD_DATE_FORMATS:
        try:
            return datetime.strptime(words, fmt)
        except ValueError:
            continue
    return None


def _with_clock(day: datetime, clock: str) -> datetime:
    parts = _CLOCK_PARTS.match(clock)
    if parts is None:
        return day
    hour, minute = int(parts.group(1)), int(parts.group(2))
    meridiem = (parts.group(3) or "").lower()
    hour = hour % 12 + (12 if meridiem == "p" else 0) if meridiem else hour
    return day.replace(hour=hour, minute=minute) if hour < 24 and minute < 60 else day


def _plausible(value: datetime) -> bool:
    return MIN_YEAR <= value.year and value <= datetime.now() + timedelta(days=1)


# ---------------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------------

# News CMSs put the day in the path: /2018/12/14/slug, /2018-12-14/slug, /20181214/slug; /2018/12/ gives a month.
URL_DAY_SHAPES = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"[/_](?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?=[/_.]|$)"),
)
URL_MONTH_SHAPE = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>0?[1-9]|1[0-2])/")


def date_from_url(url: str, source: str = "url:path") -> PublishedDate | None:
    """The publication day (or month) a news URL's path states; None when the path states none."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url.strip(), flags=re.I).split("?", 1)[0]
    for shape in URL_DAY_SHAPES:
        match = shape.search(path)
        if match is not None:
            return _url_date(match, DatePrecision.DAY, source)
    match = URL_MONTH_SHAPE.search(path)
    return _url_date(match, DatePrecision.MONTH, source) if match is not None else None


def _url_date(match: re.Match[str], precision: DatePrecision, source: str) -> PublishedDate | None:
    day = int(match.group("d")) if precision is DatePrecision.DAY else 1
    try:
        value = datetime(int(match.group("y")), int(match.group("m")), day)
    except ValueError:  # 2018/02/31
        return None
    return PublishedDate(value, precision, source) if _plausible(value) else None
