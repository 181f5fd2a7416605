"""Number grammar: finds number phrases in text and turns them into inclusive [low, high] bounds.

Input: a string. Output: ``NumberPhrase`` values (span, bounds, best value, normalized unit, kind) for
digits, number words, vague amounts, ranges and approximators; years, dates, times, ordinals, ages,
labels ("Section 3", "F-16") are recognised and marked by ``kind`` so callers skip them; phone numbers
are read as one token that is never a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from storyline.nlp.number_lexicon import (  # noqa: F401 - re-exported: AMOUNT_KINDS, Token, has_number_words
    AMOUNT_KINDS,
    APPROXIMATORS,
    CURRENCY_PREFIXES,
    DIGITS_RE,
    FRACTION_WORDS,
    LABEL_WORDS,
    MILLION_NOUNS,
    MONTHS,
    SCALE_SUFFIXES,
    SCALE_WORDS,
    SMALL_WORDS,
    STARTER_WORDS,
    TENS_WORDS,
    TIME_SUFFIXES,
    UNITS,
    VAGUE_AMOUNTS,
    ZERO_NOUNS,
    Token,
    has_number_words,
    match_words,
    tokenize,
)


@dataclass(frozen=True, slots=True)
class NumberPhrase:
    """A number phrase found in text: ``text[start:end]`` with inclusive bounds (None = unbounded)."""

    start: int
    end: int
    text: str
    low: float | None
    high: float | None
    best: float | None
    unit: str | None = None
    kind: str = "count"  # count | measure, or a non-amount: year decade date time ordinal age label fraction
    approximator: str | None = None  # min | above | nearly | about | max | below | range | vague
    negated: bool = False


@dataclass(frozen=True, slots=True)
class NumberParseFailure:
    """Why a string is not one number phrase."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Value:
    """One parsed value before approximators: bounds, best, tokens consumed and how it was written."""

    low: float
    high: float
    best: float | None
    end: int  # index of the first token after the value
    unit: str | None = None
    vague: bool = False
    adjacent_suffix: str | None = None  # letters glued to the digits ("1990s", "3rd")


def as_number(value: float) -> float:
    """Integers stay ints (so 900 prints as 900), others are rounded to 6 decimals."""
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


def glued(tokens: list[Token], j: int) -> bool:
    """Token ``j`` touches the token before it (no space): "twenty-five", "2.3bn"."""
    return j > 0 and tokens[j].start == tokens[j - 1].end


def parse_words(tokens: list[Token], i: int) -> Value | None:
    """English number words: "nine hundred", "twenty-five", "two hundred and fifty", "a dozen"."""
    total, current, j, last, used = 0.0, 0.0, i, "", False
    while j < len(tokens):
        word = tokens[j].low
        nxt = tokens[j + 1].low if j + 1 < len(tokens) else ""
        if word in ("a", "half") and not used and nxt in (*SCALE_WORDS, "dozen", "a"):
            current = 0.5 if word == "half" else 1.0
            last, j = "a", j + (2 if word == "half" and nxt == "a" else 1)
            continue
        if word in SMALL_WORDS and (
            last in ("", "scale", "hundred", "and") or (last in ("hyphen", "tens") and 0 < SMALL_WORDS[word] < 10)
        ):
            current += SMALL_WORDS[word]
        elif word in TENS_WORDS and last in ("", "scale", "hundred", "and"):
            current += TENS_WORDS[word]
        elif word in ("-", "–") and last == "tens" and nxt in SMALL_WORDS and glued(tokens, j):
            last, j = "hyphen", j + 1
            continue
        elif word == "and" and last in ("hundred", "scale") and (nxt in SMALL_WORDS or nxt in TENS_WORDS):
            last, j = "and", j + 1
            continue
        elif word == "hundred" and last not in ("hundred", "and", "hyphen"):
            current = (current or 1) * 100
        elif word in SCALE_WORDS and word != "hundred" and last not in ("and", "hyphen"):
            total += (current or 1) * SCALE_WORDS[word]
            current = 0
        elif word == "dozen" and last in ("", "a", "small", "tens"):
            current = (current or 1) * 12
        else:
            break
        used = True
        last = {"hundred": "hundred", "dozen": "scale"}.get(
            word, "scale" if word in SCALE_WORDS else ("tens" if word in TENS_WORDS else "small")
        )
        j += 1
    if not used:
        return None
    value = total + current
    return Value(value, value, value, j)


def parse_digits(tokens: list[Token], i: int) -> Value | None:
    """Digits with separators and an optional scale: "17,000", "1.5 million", "2.3bn", "$25m"."""
    j, currency = i, None
    if tokens[j].low in CURRENCY_PREFIXES and j + 1 < len(tokens) and DIGITS_RE.match(tokens[j + 1].text):
        currency, j = CURRENCY_PREFIXES[tokens[j].low], j + 1
    if j >= len(tokens) or not DIGITS_RE.match(tokens[j].text):
        return None
    # Decimal keeps "16.9 billion" exact (binary floats give 16899999999.999998).
    number = Decimal(tokens[j].text.replace(",", ""))
    j += 1
    suffix = None
    if j < len(tokens) and tokens[j].start == tokens[j - 1].end and tokens[j].low.isalpha():
        suffix = tokens[j].low
    if j < len(tokens) and tokens[j].low in SCALE_WORDS:
        number *= SCALE_WORDS[tokens[j].low]
        j += 1
        suffix = None
    elif suffix == "m" and not currency and not (j + 1 < len(tokens) and tokens[j + 1].low in MILLION_NOUNS):
        return Value(float(number), float(number), float(number), j + 1, unit="m")  # "300m": metres
    elif suffix in SCALE_SUFFIXES:
        number *= SCALE_SUFFIXES[suffix]
        j += 1
        suffix = None
    value = float(number)
    if currency is None and j < len(tokens) and tokens[j].low in ("usd", "gbp", "eur"):
        currency, j = CURRENCY_PREFIXES[tokens[j].low], j + 1
    return Value(value, value, value, j, unit=currency, adjacent_suffix=suffix)


def parse_value(tokens: list[Token], i: int) -> Value | None:
    """One value at token ``i``: a vague amount, a zero word, number words or digits."""
    key, j = match_words(tokens, i, VAGUE_AMOUNTS)
    if key:
        low, high = VAGUE_AMOUNTS[key]
        return Value(low, high, None, j, vague=True)
    word = tokens[i].low
    if word in ("no", "zero", "nobody", "none"):
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if word == "nobody" or word == "none":
            return Value(0, 0, 0, i + 1)
        if word == "no" and nxt == "one":
            return Value(0, 0, 0, i + 2)
        if nxt in ZERO_NOUNS or word == "zero":
            return Value(0, 0, 0, i + 1)
        return None
    return parse_digits(tokens, i) or parse_words(tokens, i)


def apply_approximator(
    rule: str | None, value: Value, *, is_measure: bool
) -> tuple[float | None, float | None, float | None]:
    """Bounds after an approximator. Counts are whole, so "more than 320" starts at 321 and "nearly
    1,000" is [900, 999]; measures are continuous, so "more than 5 km" keeps 5. "about X" is X ± 10 %."""
    low, high, best = value.low, value.high, value.best
    whole = not is_measure and float(low).is_integer() and float(high).is_integer()
    step = 1 if whole else 0
    if rule is None:
        return low, high, best
    if rule == "min":
        return low, None, None
    if rule == "above":
        return low + step, None, None
    if rule == "max":
        return None, high, None
    if rule == "below":
        return None, high - step, None
    if value.vague or low != high:
        return low, high, best  # "about dozens", "around 30 to 40": the interval already says it
    if rule == "nearly":
        return (math.ceil(0.9 * low) if whole else 0.9 * low), high - step, high
    spread = 0.1 * low
    if whole and spread >= 1:
        return round(low - spread), round(low + spread), low
    return low - spread, low + spread, low


def read_range_end(tokens: list[Token], j: int, first: Value, between: bool) -> Value | None:
    """The second value of "A to B", "A-B", "A or B", "between A and B" (not "rose from A to B")."""
    if j >= len(tokens):
        return None
    joiner = tokens[j].low
    if between and joiner != "and":
        return None
    if not between and joiner not in ("to", "or", "-", "–", "—"):
        return None
    if joiner in ("-", "–", "—") and (
        tokens[j].start != tokens[j - 1].end or j + 1 >= len(tokens) or tokens[j + 1].start != tokens[j].end
    ):
        return None
    if j + 1 >= len(tokens):
        return None
    second = parse_value(tokens, j + 1)
    if second is None or second.vague or first.vague or second.high <= first.low:
        return None
    return second


def read_unit(tokens: list[Token], j: int, unit: str | None) -> tuple[str | None, int, str | None]:
    """A unit after the value (also hyphenated "10-day"): (unit, next index, special hyphen suffix)."""
    hyphen = j < len(tokens) and tokens[j].low in ("-", "–") and tokens[j].start == tokens[j - 1].end
    k = j + 1 if hyphen else j
    if (
        hyphen
        and k + 2 < len(tokens)
        and tokens[k].low in ("year", "years", "month", "week", "day")
        and (tokens[k + 1].low == "-" and tokens[k + 2].low == "old")
    ):
        return unit, k + 3, "age"
    if hyphen and k < len(tokens) and tokens[k].low == "strong":
        return unit, k + 1, "strong"
    key, end = match_words(tokens, k, UNITS)
    if key and UNITS[key] in ("year", "month", "week") and end < len(tokens) and tokens[end].low == "old":
        return unit, end + 1, "age"  # "34 years old"
    if key and unit is None:
        if key == ("pounds",) and not (end < len(tokens) and tokens[end].low == "sterling"):
            return unit, j, None
        return UNITS[key], end, None
    return unit, j, None


def classify(tokens: list[Token], i: int, end: int, value: Value) -> str:
    """Kind of a single plain number: year, decade, date, time, ordinal, label, phone, or count."""
    tok = tokens[i]
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[end] if end < len(tokens) else None
    if "/" in tok.text or (tok.text.count("-") == 2 and tok.text[0].isdigit()):
        return "date"
    if ":" in tok.text or value.adjacent_suffix in TIME_SUFFIXES or (nxt is not None and nxt.low in TIME_SUFFIXES):
        return "time"
    if nxt is not None and (
        nxt.low in FRACTION_WORDS
        or (nxt.low == "-" and end + 1 < len(tokens) and tokens[end + 1].low in FRACTION_WORDS)
    ):
        return "fraction"
    if any(t is not None and t.low == "/" and tok.start <= t.end and t.start <= tok.end for t in (prev, nxt)):
        return "label"  # "9/11", "24/7"
    if value.adjacent_suffix in ("st", "nd", "rd", "th"):
        return "ordinal"
    if value.adjacent_suffix == "s" and tok.text.isdigit():
        return "decade"
    if value.adjacent_suffix is not None:
        return "label"  # "17A", "3D"
    if prev is not None and prev.end == tok.start and (prev.text.isalpha() or prev.low == "-"):
        return "label"  # "MH17", "F-16", "COVID-19"
    if prev is not None and prev.low in ("aged", "age", "ages") and tok.text.isdigit():
        return "age"
    if is_apposed_age(tokens, i, end, value):
        return "age"
    label_word = tokens[i - 2] if prev is not None and prev.low == "." and i >= 2 else prev  # "No. 10"
    if label_word is not None and label_word.low in LABEL_WORDS and tok.text.isdigit():
        return "label"
    beside_month = any(t is not None and t.low.rstrip(".") in MONTHS for t in (prev, nxt))
    if tok.text.isdigit() and value.high <= 31 and beside_month:
        return "date"
    if tok.text.isdigit() and len(tok.text) == 4 and 1500 <= value.low <= 2100 and value.unit is None:
        return "year"
    return "count"


def next_to_month(tokens: list[Token], i: int, end: int) -> bool:
    around = [tokens[k] for k in (i - 1, end) if 0 <= k < len(tokens)]
    return any(t.low.rstrip(".") in MONTHS for t in around)


def is_apposed_age(tokens: list[Token], i: int, end: int, value: Value) -> bool:
    """ "The prime minister, 58, was …": a bare small number between commas right after a word."""
    if i < 2 or end >= len(tokens) or not tokens[i].text.isdigit() or value.low > 120:
        return False
    return tokens[i - 1].low == "," and tokens[end].low == "," and tokens[i - 2].text.isalpha()


def phrase_at(tokens: list[Token], i: int, text: str) -> tuple[NumberPhrase, int] | None:
    """Read one number phrase starting at token ``i``: (phrase, next token index) or None."""
    if tokens[i].low not in STARTER_WORDS and not tokens[i].low[0].isdigit():
        return None
    key, j = match_words(tokens, i, APPROXIMATORS)
    rule = APPROXIMATORS[key] if key else None
    between = False
    if not key and tokens[i].low == "between":
        between, j = True, i + 1
    if j >= len(tokens):
        return None
    value = parse_value(tokens, j)
    if value is None:
        return None
    value_start, end, approximator = j, value.end, rule
    second = read_range_end(tokens, end, value, between)
    if (
        second is not None
        and i > 0
        and tokens[i - 1].low == "from"
        and tokens[end].low == "to"
        and (not next_to_month(tokens, i, second.end))
    ):
        second = None  # "rose from 30 to 45" is a change between two values, not an interval
    if between and second is None:
        return None
    if second is not None:
        value = Value(value.low, second.high, None, second.end, unit=value.unit or second.unit)
        end, approximator = second.end, "range"
    unit, end, special = read_unit(tokens, end, value.unit)
    kind = "measure" if unit else "count"
    if second is not None and unit is None and value.high <= 31 and next_to_month(tokens, i, end):
        kind = "date"  # "13 to 15 March"
    elif special == "age":
        kind = "age"
    elif second is None and not value.vague and unit is None:
        kind = classify(tokens, value_start, value.end, value)
    low, high, best = apply_approximator(rule, value, is_measure=unit is not None)
    if approximator is None and value.vague:
        approximator = "vague"
    start_char, end_char = tokens[i].start, tokens[end - 1].end
    negated = value.high == 0 and tokens[value_start].low in ("no", "zero", "nobody", "none")
    phrase = NumberPhrase(
        start_char,
        end_char,
        text[start_char:end_char],
        None if low is None else as_number(low),
        None if high is None else as_number(high),
        None if best is None else as_number(best),
        unit,
        kind,
        approximator,
        negated,
    )
    return phrase, end


def find_number_phrases(text: str) -> list[NumberPhrase]:
    """Every number phrase in ``text``, left to right, non-overlapping (amounts and non-amounts)."""
    if not has_number_words(text):
        return []
    tokens = tokenize(text)
    found: list[NumberPhrase] = []
    i = 0
    # Only a starter word or a digit can open a phrase (phrase_at refuses any other token at once).
    for start in [k for k, token in enumerate(tokens) if token.low in STARTER_WORDS or token.low[0].isdigit()]:
        if start < i:
            continue  # inside the phrase just read
        read = phrase_at(tokens, start, text)
        if read is not None:
            phrase, i = read
            found.append(phrase)
    return found


def parse_number_phrase(text: str) -> NumberPhrase | NumberParseFailure:
    """Parse a string that should be exactly one number phrase ("between 1,000 and 1,500", "a dozen")."""
    stripped = text.strip()
    tokens = tokenize(stripped)
    if not tokens:
        return NumberParseFailure(text, "empty text")
    read = phrase_at(tokens, 0, stripped)
    if read is None:
        return NumberParseFailure(text, "no number at the start")
    phrase, end = read
    if end != len(tokens):
        return NumberParseFailure(text, f"unparsed words after the number: {stripped[phrase.end :]!r}")
    return phrase
