"""Article metadata from what was given, the HTML, or explicit statements in the text.

Inputs: raw text and metadata strings. Outputs: (value, source) pairs — source "metadata", "html",
"text:credit" or "text:first-line" — or None: a missing value is better than a weak guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from storyline.ingest.copyright_lines import NoHolder, copyright_holder
from storyline.records import DatePrecision


@dataclass(frozen=True, slots=True)
class Detected:
    """A metadata value and where it was found."""

    value: str
    source: str


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A publication date with its precision and where it was found."""

    value: datetime
    precision: DatePrecision
    source: str


# ---------------------------------------------------------------------------------------------------
# Outlets
# ---------------------------------------------------------------------------------------------------

# Spelling variants of agencies and outlets that appear in credits, mapped to one canonical name.
CANONICAL_OUTLETS: dict[str, str] = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "Associated Press",
    "the associated press": "Associated Press",
    "associated press": "Associated Press",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "upi": "UPI",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency",
    "bbc": "BBC",
    "cnn": "CNN",
}

# Outlets named often enough in news to be recognised after "told"/"according to" without a cue word.
KNOWN_OUTLETS: tuple[str, ...] = (
    "AFP",
    "Agence France-Presse",
    "Reuters",
    "Associated Press",
    "AP",
    "dpa",
    "EFE",
    "UPI",
    "Xinhua",
    "TASS",
    "RIA Novosti",
    "Interfax",
    "Sputnik",
    "RT",
    "Anadolu Agency",
    "Anadolu",
    "SANA",
    "IRNA",
    "Al Jazeera",
    "Al-Jazeera",
    "Al Arabiya",
    "Al-Arabiya",
    "Al-Monitor",
    "Asharq Al-Awsat",
    "Rudaw",
    "Kurdistan 24",
    "Hawar News",
    "ANHA",
    "BBC",
    "CNN",
    "NBC",
    "NBC News",
    "CBS",
    "CBS News",
    "ABC",
    "ABC News",
    "Fox News",
    "NPR",
    "PBS",
    "Bloomberg",
    "Politico",
    "Axios",
    "Vox",
    "Newsweek",
    "Time",
    "The Guardian",
    "Guardian",
    "The Observer",
    "The Times",
    "The Sunday Times",
    "The Telegraph",
    "Daily Telegraph",
    "The Independent",
    "Daily Mail",
    "Mail Online",
    "MailOnline",
    "The Sun",
    "Daily Mirror",
    "The Mirror",
    "Daily Express",
    "Sky News",
    "ITV News",
    "Channel 4 News",
    "Financial Times",
    "The Economist",
    "The New York Times",
    "New York Times",
    "The Washington Post",
    "Washington Post",
    "The Wall Street Journal",
    "Wall Street Journal",
    "Los Angeles Times",
    "USA Today",
    "The Atlantic",
    "The New Yorker",
    "Le Monde",
    "Le Figaro",
    "Der Spiegel",
    "Spiegel",
    "Die Welt",
    "Bild",
    "Haaretz",
    "The Jerusalem Post",
    "Jerusalem Post",
    "Times of Israel",
    "Hurriyet",
    "Daily Sabah",
    "Dawn",
    "The Hindu",
    "Times of India",
    "South China Morning Post",
    "Voice of America",
    "VOA",
    "Radio Free Europe",
    "Deutsche Welle",
    "DW",
    "France 24",
    "Euronews",
    "Middle East Eye",
)

# Verbs after an outlet's name that make the text cite it ("the Guardian adds", "Reuters reported").
CITING_VERBS = r"reported|reports|said|says|quoted|cited|revealed|added|adds|wrote|writes|claimed|claims"

# Words that make a capitalised name an outlet when they follow it ("Hawar news agency").
OUTLET_CUE_WORDS = (
    r"news agency|agency|newspaper|daily|weekly|magazine|broadcaster|television|TV|channel|radio|"
    r"website|news site|outlet|network|wire service"
)

_NAME = r"(?:[A-Z][\w'’.&-]*|al-[A-Z][\w'-]*)(?:[ -](?:[A-Z][\w'’.&-]*|al-[A-Z][\w'-]*|of|de|\d+)){0,5}"

# Explicit credits, tried in this order (group "outlet" holds the name). A credit is the outlet
# crediting itself or the agency whose copy it runs — not a source it quotes.
CREDIT_PATTERNS: tuple[tuple[str, str], ...] = (
    # A trailer line "Source: Daily Mail" / "Source - AFP" at the end of the text.
    (
        "source-line",
        r"(?im)^[ \t]*(?:source|sources|via)[ \t]*[:\-–—][ \t]*(?P<outlet>[^\n]{2,60}?)[ \t.]*\Z",
    ),
    # Datelines: "BEIRUT (Reuters) -", "Beirut, Dec 14 (AFP) –", "(AP) —".
    (
        "dateline",
        r"(?m)^[^\n]{0,60}?\((?P<outlet>AFP|Reuters|AP|dpa|EFE|UPI|Xinhua|TASS|ANSA|"
        r"Anadolu|Sputnik|CNN|BBC)\)[ \t]*[-–—:]",
    ),
    # A byline crediting a wire: "By Ann Smith | Reuters", "By Ann Smith, Associated Press".
    (
        "byline",
        r"(?m)^[ \t]*By [A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|and|&|de|van|al-[A-Z][\w'-]*)){0,5}"
        r"[ \t]*[|,/–—-][ \t]*(?:The )?(?P<outlet>AFP|Agence France-Presse|Reuters|Associated Press|AP|dpa|"
        r"EFE|UPI|Xinhua|TASS|ANSA|Anadolu Agency|Anadolu|Sputnik|Bloomberg)[ \t]*$",
    ),
    # Standalone copyright lines: "©AFP", "(c) Reuters 2018", "Copyright 2018 The Associated Press"
    # (the whole line: ``copyright_holder`` reads the name out of it).
    ("copyright", r"(?im)^[ \t]*(?P<outlet>(?:Â?©|\(c\)|copyright\b)[^\n]{1,160}?)[ \t]*$"),
)


# Patterns where the text cites another outlet as its source (provenance, not authorship).
@lru_cache(maxsize=1)
def _cited_patterns() -> tuple[re.Pattern[str], ...]:
    # "the Observer" as well as "The Observer": the article is matched separately below.
    names = set(KNOWN_OUTLETS) | {name.removeprefix("The ") for name in KNOWN_OUTLETS}
    known = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    the = r"(?:[Tt]he )?"
    return (
        re.compile(
            rf"\b(?i:told|telling|tells|speaking to|in an interview with|according to|reported by|"
            rf"quoted by|cited by|wrote in) {the}(?P<outlet>{known})(?![\w-])"
        ),
        re.compile(
            rf"\b(?i:told|telling|speaking to|according to|reported by|quoted by|cited by|"
            rf"in an interview with) {the}(?P<outlet>{_NAME}) (?:{OUTLET_CUE_WORDS})\b"
        ),
        re.compile(rf"\b{the}(?P<outlet>{known}) (?:{CITING_VERBS})\b"),
        re.compile(rf"\b{the}(?P<outlet>{_NAME}) (?:{OUTLET_CUE_WORDS}) (?:{CITING_VERBS})\b"),
    )


@lru_cache(maxsize=1)
def _compiled_credits() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern)) for kind, pattern in CREDIT_PATTERNS)


def canonical_outlet(name: str) -> str:
    """ "agence france-presse" → "AFP"; other names are trimmed of quotes, articles and punctuation."""
    trimmed = name.strip().strip("\"'“”‘’.,;:()[]").strip()
    return CANONICAL_OUTLETS.get(trimmed.lower(), trimmed)


# Credits and date lines are looked for in the first HEAD_CHARS (bylines, datelines) and the last
# TAIL_CHARS (trailers) of the raw text, where pages print them.
HEAD_CHARS = 2000
TAIL_CHARS = 600
FOOTER_CHARS = 2500  # a copy-pasted page's footer (copyright notice) sits below its link lists
# Credit lines this long are captions ("©AFP – Army vehicles of …"), which credit a photo, not the text.
MAX_CREDIT_WORDS = 8


def outlet_from_text(raw: str) -> Detected | None:
    """The outlet an explicit credit names (trailer line, dateline, copyright line), else None."""
    tail = raw[-TAIL_CHARS:]
    for kind, pattern in _compiled_credits():
        if kind == "copyright":  # the last notice that names a publication (footers also credit photos)
            lines = (m.group("outlet") for m in reversed(list(pattern.finditer(raw[-FOOTER_CHARS:]))))
            holder = next((h for h in map(copyright_holder, lines) if not isinstance(h, NoHolder)), None)
            if holder is not None:
                return Detected(holder, "text:credit")
            continue
        match = pattern.search((tail if kind == "source-line" else raw[:HEAD_CHARS]).rstrip())
        if match is None:
            continue
        name = canonical_outlet(match.group("outlet"))
        if name and len(name.split()) <= MAX_CREDIT_WORDS and not name.lower().startswith("http"):
            return Detected(name, "text:credit")
    return None


def find_cited_outlets(text: str) -> list[tuple[str, int, int]]:
    """Outlets the text cites ("told the Guardian", "according to Reuters"): (name, start, end) spans."""
    found: dict[tuple[int, int], str] = {}
    for pattern in _cited_patterns():
        for match in pattern.finditer(text):
            span = match.span("outlet")
            if not any(s <= span[0] < e or span[0] <= s < span[1] for s, e in found):
                found[span] = canonical_outlet(match.group("outlet"))
    return sorted(((name, s, e) for (s, e), name in found.items()), key=lambda item: item[1])


# ---------------------------------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------------------------------

MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 200
_SENTENCE_END = re.compile(r"[.:;,]['\"’”]?$")


def title_from_text(raw: str) -> Detected | None:
    """The first line of a plain text when it reads like a headline (short, no final full stop)."""
    lines = [line.strip() for line in raw.strip().splitlines()]
    if len(lines) < 2 or not lines[0]:
        return None
    first = lines[0]
    words = first.split()
    if not 2 <= len(words) <= MAX_TITLE_WORDS or len(first) > MAX_TITLE_CHARS:
        return None
    if _SENTENCE_END.search(first) or not (first[0].isupper() or first[0].isdigit() or first[0] in "\"'“‘"):
        return None
    if not any(len(line.split()) > len(words) or line.endswith((".", "”", '"')) for line in lines[1:]):
        return None  # nothing that reads like body text follows: not a headline over an article
    return Detected(first, "text:first-line")


# ---------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------

# ISO-like forms whose precision we can read off the shape, before falling back to dateparser.
ISO_SHAPES: tuple[tuple[str, str, DatePrecision], ...] = (
    (r"\d{4}", "%Y", DatePrecision.YEAR),
    (r"\d{4}-\d{2}", "%Y-%m", DatePrecision.MONTH),
    (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d", DatePrecision.DAY),
)
# dateparser's "period" → our precision.
PERIOD_PRECISION: dict[str, DatePrecision] = {
    "time": DatePrecision.MINUTE,
    "day": DatePrecision.DAY,
    "week": DatePrecision.WEEK,
    "month": DatePrecision.MONTH,
    "year": DatePrecision.YEAR,
}


@lru_cache(maxsize=1)
def _date_parser() -> Any:  # dateparser.date.DateDataParser (untyped)
    from dateparser.date import DateDataParser

    # Absolute dates only: a relative "yesterday" in metadata would silently become the run's date.
    return DateDataParser(
        languages=["en"],
        settings={"PARSERS": ["timestamp", "absolute-time"], "RETURN_AS_TIMEZONE_AWARE": False},
    )


def parse_published(value: object, source: str) -> PublishedDate | None:
    """A publication date from metadata ("2018-12-14", "2018-12", "Dec 14, 2018 10:30", datetime)."""
    if isinstance(value, datetime):
        return PublishedDate(value.replace(tzinfo=None), DatePrecision.DAY, source)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for shape, fmt, precision in ISO_SHAPES:
        if re.fullmatch(shape, text):
            try:
                return PublishedDate(datetime.strptime(text, fmt), precision, source)
            except ValueError:
                return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return PublishedDate(parsed.replace(tzinfo=None), DatePrecision.MINUTE, source)
    except ValueError:
        pass
    data = _date_parser().get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    precision = PERIOD_PRECISION.get(data.period or "day", DatePrecision.DAY)
    if precision is DatePrecision.DAY and (data.date_obj.hour or data.date_obj.minute):
        precision = DatePrecision.MINUTE  # dateparser reports "day" even when a clock time was given
    return PublishedDate(data.date_obj.replace(tzinfo=None), precision, source)


# "Published: March 12, 2019", "Updated: Dec 14, 2018 10:02 GMT", "Posted on 12/14/2018": a short line
# (or a "|"-separated part of one) stating when the article appeared. Label → source; published first.
DATE_LINE_LABELS: tuple[tuple[str, str], ...] = (
    (r"first published|published|posted|date published", "text:published"),
    (r"last updated|updated|last modified|modified", "text:updated"),
)
_DATE_PART = r"(?P<date>[^|\n]{6,45}?)[ \t]*(?:\||$)"
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A stated date starts with a number, a month or a weekday ("Published in 2019, the report …" is prose).
_DATE_START = re.compile(r"(?i)(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)")


@lru_cache(maxsize=1)
def _compiled_date_lines() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(rf"(?im)(?:^|\|)[ \t]*(?:{labels})(?: on| at)?[ \t]*[:\-–]?[ \t]*{_DATE_PART}"), source)
        for labels, source in DATE_LINE_LABELS
    )


def published_from_text(raw: str) -> PublishedDate | None:
    """The date a "Published …"/"Updated …" line states near the top or bottom of the text; a published
    line wins over an updated one. Dates without a year or with day and month interchangeable
    ("03/04/2019") are skipped: the reader cannot tell which day is meant either."""
    regions = (raw[:HEAD_CHARS], raw[-TAIL_CHARS:]) if len(raw) > HEAD_CHARS else (raw,)
    for pattern, source in _compiled_date_lines():
        for region in regions:
            for match in pattern.finditer(region):
                found = _stated_date(match.group("date"), source)
                if found is not None:
                    return found
    return None


def _stated_date(text: str, source: str) -> PublishedDate | None:
    if not _YEAR.search(text) or not _DATE_START.match(text):
        return None
    numeric = _NUMERIC_DATE.search(text)
    if numeric and numeric.group(1) != numeric.group(2) and max(int(numeric.group(1)), int(numeric.group(2))) <= 12:
        return None
    return parse_published(text.strip().rstrip(".,;"), source)
