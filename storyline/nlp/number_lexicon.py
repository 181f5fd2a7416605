"""Number lexicon: the word tables the number grammar (``storyline.nlp.numbers``) reads.

Spelled numbers, scales, vague amounts with their bounds, approximators, units, label/month/time words and
the tokenizer regexes; each table keyed for a one-lookup match by first word. No parsing happens here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

# Kinds a caller should treat as amounts; every other kind is a number that is not a quantity.
AMOUNT_KINDS = frozenset({"count", "measure"})


def phrase_table(spec: dict[str, str]) -> dict[tuple[str, ...], str]:
    """{"value": "spelling|other spelling"} → {("other", "spelling"): "value"} (tables stay readable)."""
    return {tuple(sp.split()): value for value, spellings in spec.items() for sp in spellings.split("|")}


SMALL_WORDS = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
TENS_WORDS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
SCALE_WORDS = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Abbreviated scales written after digits ("2.3bn", "$25m", "5k").
SCALE_SUFFIXES = {"bn": 10**9, "b": 10**9, "mn": 10**6, "m": 10**6, "k": 10**3, "tn": 10**12}

# Vague amounts → inclusive bounds. "dozens" is two dozen up to (not including) a gross; "hundreds",
# "thousands" … start at two of the unit and stay below the next order of magnitude; "scores" is two
# score (40) up to just under two hundred; "several" is 3–9 and "a few" 2–5, as in usage guides.
VAGUE_AMOUNTS: dict[tuple[str, ...], tuple[float, float]] = {
    ("tens", "of", "thousands"): (20_000, 99_999),
    ("hundreds", "of", "thousands"): (200_000, 999_999),
    ("tens", "of", "millions"): (20 * 10**6, 10**8 - 1),
    ("hundreds", "of", "millions"): (2 * 10**8, 10**9 - 1),
    ("several", "hundred"): (300, 999),
    ("several", "thousand"): (3_000, 9_999),
    ("a", "few", "hundred"): (200, 500),
    ("a", "few", "thousand"): (2_000, 5_000),
    ("a", "few", "dozen"): (24, 60),
    ("a", "handful"): (2, 6),
    ("a", "couple"): (2, 3),
    ("a", "few"): (2, 5),
    ("dozens",): (24, 143),
    ("scores",): (40, 199),
    ("hundreds",): (200, 999),
    ("thousands",): (2_000, 9_999),
    ("millions",): (2 * 10**6, 10**7 - 1),
    ("billions",): (2 * 10**9, 10**10 - 1),
    ("tens",): (20, 99),
    ("several",): (3, 9),
}

# Approximators and the bound rule each applies (see ``apply_approximator``).
APPROXIMATORS = phrase_table(
    {
        "min": "at least|no fewer than|no less than|a minimum of",
        "above": "more than|over|upwards of|in excess of|just over",
        "nearly": "nearly|almost|close to|just under",
        "about": "about|around|some|roughly|approximately|an estimated|estimated|circa|approx|~",
        "max": "up to|as many as|at most|a maximum of|no more than",
        "below": "fewer than|less than|under|below",
    }
)
UNITS = phrase_table(
    {
        "sq_mi": "square miles|square mile|sq miles|sq mile|sq mi",
        "km2": "square kilometres|square kilometers|square kilometre|square kilometer|sq km|km2|km²",
        "km": "km|kms|kilometres|kilometers|kilometre|kilometer",
        "mi": "miles|mile",
        "m": "metres|meters|metre|meter",
        "ha": "hectares|hectare|ha",
        "acre": "acres|acre",
        "t": "tonnes|tons",
        "kg": "kg|kilograms",
        "percent": "%|percent|per cent",
        "USD": "us dollars|dollars|dollar",
        "EUR": "euros|euro",
        "GBP": "pounds",
        "second": "seconds",
        "minute": "minutes|minute",
        "hour": "hours|hour",
        "day": "days|day",
        "week": "weeks|week",
        "month": "months|month",
        "year": "years|year",
        "decade": "decades|decade",
    }
)
CURRENCY_PREFIXES = {"$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR"}

# Words that make the following number a label, not an amount ("Section 3", "Resolution 2254").
LABEL_WORDS = frozenset(
    "section article resolution route highway page chapter no number flight room paragraph clause platform "
    "gate line level phase category grade vol volume version item rule road street avenue building block "
    "bus apartment floor exit junction kilometre km mile box code district".split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
TIME_SUFFIXES = frozenset({"am", "pm", "a.m.", "p.m.", "gmt", "utc", "hrs", "o'clock", "local"})
# "1.2m people" is 1.2 million, "300m from the gate" is 300 metres: the word after "m" decides.
MILLION_NOUNS = frozenset(
    "people residents refugees children voters users viewers visitors migrants civilians households "
    "homes barrels tonnes doses jobs cases pounds dollars euros".split()
)
# "two-thirds", "three quarters": fractions, not counts.
FRACTION_WORDS = frozenset("third thirds quarter quarters fifth fifths tenths half".split())
# "no" is a number (zero) only before nouns that are counted in the news, not in "no longer".
ZERO_NOUNS = frozenset(
    "one casualties injuries deaths fatalities victims people civilians soldiers troops fighters survivors "
    "arrests bodies children dead injured wounded lives passengers staff residents police officers".split()
)

# Word alternatives come first because most tokens are words (speed); the order matters only within
# each group, as no word alternative can match where a digit one does ("+" or a digit opens those).
TOKEN_RE = re.compile(
    r"[ap]\.m\.|o'clock|us\$|[A-Za-z]+"
    r"|\+?\d[\d ()-]{8,}\d"  # phone-like run: one token the grammar never reads as a number
    r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}"  # numeric dates
    r"|\d{1,2}:\d{2}"  # clock times
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|[$£€%~]|[-–—]|\S",
    re.IGNORECASE,
)
DIGITS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
# Cheap test: does this text hold anything the grammar could read?
PREFILTER_RE = re.compile(
    r"\d|\b(?:"
    + "|".join(
        list(SMALL_WORDS)
        + list(TENS_WORDS)
        + list(SCALE_WORDS)
        + [
            "dozens?",
            "scores",
            "hundreds",
            "thousands",
            "millions",
            "several",
            "handful",
            "few",
            "couple",
            "no",
            "nobody",
            "none",
            "tens",
        ]
    )
    + r")\b",
    re.IGNORECASE,
)


def index_by_first_word(table: Mapping[tuple[str, ...], object]) -> dict[str, list[tuple[str, ...]]]:
    """Keys grouped by first word, longest first, so a lookup tries only a handful of keys."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for key in sorted(table, key=len, reverse=True):
        index.setdefault(key[0], []).append(key)
    return index


FIRST_WORD_INDEX = {id(t): index_by_first_word(t) for t in (VAGUE_AMOUNTS, APPROXIMATORS, UNITS)}
# Words a number phrase can start with; any other token is skipped without trying the grammar.
STARTER_WORDS = frozenset(
    {k[0] for k in VAGUE_AMOUNTS}
    | {k[0] for k in APPROXIMATORS}
    | set(SMALL_WORDS)
    | set(TENS_WORDS)
    | set(SCALE_WORDS)
    | set(CURRENCY_PREFIXES)
    | {"a", "half", "between", "no", "nobody", "none", "dozen"}
)


class Token(NamedTuple):
    """A word of the number grammar (a tuple: built for every word of every article, so it must be cheap)."""

    text: str
    low: str  # lowercased
    start: int
    end: int


# Token's own constructor is a Python-level function; tuple.__new__ builds the same tuple without it.
_new_token = tuple.__new__


def tokenize(text: str) -> list[Token]:
    return [
        _new_token(Token, (word, word.lower(), *m.span())) for m in TOKEN_RE.finditer(text) for word in (m.group(),)
    ]


def has_number_words(text: str) -> bool:
    return PREFILTER_RE.search(text) is not None


def match_words(tokens: list[Token], i: int, table: Mapping[tuple[str, ...], object]) -> tuple[tuple[str, ...], int]:
    """Longest entry of ``table`` spelled by tokens from ``i``: (key, next index) or ((), i)."""
    if i >= len(tokens):
        return ((), i)
    for key in FIRST_WORD_INDEX[id(table)].get(tokens[i].low, ()):
        n = len(key)
        if i + n <= len(tokens) and all(tokens[i + k].low == key[k] for k in range(1, n)):
            return (key, i + n)
    return ((), i)
