"""Round trip: an integer written with separators, in words, or inside a sentence parses back to itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.nlp.numbers import NumberPhrase, find_number_phrases, parse_number_phrase

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = [(1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")]


def below_thousand(n: int, hyphen: bool) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [ONES[n // 100], "hundred"]
        n %= 100
        if n:
            words.append("and")
    if n >= 20:
        tens, ones = divmod(n, 10)
        if ones:
            words += [f"{TENS[tens]}-{ONES[ones]}"] if hyphen else [TENS[tens], ONES[ones]]
        else:
            words.append(TENS[tens])
    elif n or not words:
        words.append(ONES[n])
    return words


def in_words(n: int, hyphen: bool = True) -> str:
    """British-style English words for ``n`` ("two hundred and fifty-one thousand …"), written by hand."""
    if n == 0:
        return "zero"
    words: list[str] = []
    for size, name in SCALES:
        if n >= size:
            words += below_thousand(n // size, hyphen) + [name]
            n %= size
    if n:
        words += below_thousand(n, hyphen)
    return " ".join(words)


def value_of(text: str) -> float | None:
    phrase = parse_number_phrase(text)
    assert isinstance(phrase, NumberPhrase), phrase
    assert phrase.low == phrase.high
    return phrase.low


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_thousands_separators(n: int) -> None:
    assert value_of(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=10**12 - 1), st.booleans())
def test_number_words(n: int, hyphen: bool) -> None:
    assert value_of(in_words(n, hyphen)) == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["million", "billion"]))
def test_decimal_with_scale_word(tenths: int, scale: str) -> None:
    factor = 1_000_000 if scale == "million" else 1_000_000_000
    assert value_of(f"{tenths / 10} {scale}") == round(tenths / 10 * factor)


@given(st.integers(min_value=2_200, max_value=10**9), st.integers(min_value=1, max_value=10**6))
def test_ranges_in_a_sentence(low: int, width: int) -> None:
    text = f"Officials said between {low:,} and {low + width:,} people were displaced."
    phrases = [p for p in find_number_phrases(text) if p.kind == "count"]
    assert [(p.low, p.high) for p in phrases] == [(low, low + width)]
