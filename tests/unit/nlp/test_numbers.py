"""Number grammar: each written form, approximators, vague amounts, units, and non-amount numbers."""

from __future__ import annotations

import pytest

from storyline.nlp.numbers import (
    AMOUNT_KINDS,
    NumberParseFailure,
    NumberPhrase,
    find_number_phrases,
    parse_number_phrase,
)


def parsed(text: str) -> NumberPhrase:
    phrase = parse_number_phrase(text)
    assert isinstance(phrase, NumberPhrase), phrase
    return phrase


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("17,000", 17_000, 17_000),
        ("1.5 million", 1_500_000, 1_500_000),
        ("2.3bn", 2_300_000_000, 2_300_000_000),
        ("nine hundred", 900, 900),
        ("Two hundred and fifty", 250, 250),
        ("twenty-five", 25, 25),
        ("twenty one", 21, 21),
        ("a dozen", 12, 12),
        ("two dozen", 24, 24),
        ("half a million", 500_000, 500_000),
        ("a hundred thousand", 100_000, 100_000),
        ("ninety-nine thousand nine hundred and ninety-nine", 99_999, 99_999),
        ("0.5", 0.5, 0.5),
    ],
)
def test_exact_values(text: str, low: float, high: float) -> None:
    phrase = parsed(text)
    assert (phrase.low, phrase.high, phrase.best) == (low, high, low)
    assert phrase.kind == "count" and phrase.unit is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("dozens", 24, 143),
        ("hundreds", 200, 999),
        ("thousands", 2_000, 9_999),
        ("tens of thousands", 20_000, 99_999),
        ("hundreds of thousands", 200_000, 999_999),
        ("a handful", 2, 6),
        ("several", 3, 9),
        ("several hundred", 300, 999),
        ("a few", 2, 5),
        ("scores", 40, 199),
    ],
)
def test_vague_amounts_are_intervals_without_best(text: str, low: float, high: float) -> None:
    phrase = parsed(text)
    assert (phrase.low, phrase.high, phrase.best, phrase.approximator) == (low, high, None, "vague")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("between 1,000 and 1,500", 1_000, 1_500),
        ("1,000-1,500", 1_000, 1_500),
        ("300 or 400", 300, 400),
        ("one or two", 1, 2),
        ("between five and ten", 5, 10),
        ("70 to 80", 70, 80),
    ],
)
def test_ranges(text: str, low: float, high: float) -> None:
    phrase = parsed(text)
    assert (phrase.low, phrase.high, phrase.approximator) == (low, high, "range")


def test_a_backwards_pair_is_not_a_range() -> None:
    # "4 or 3" is not an interval: two separate numbers
    assert [p.text for p in find_number_phrases("4 or 3 people")] == ["4", "3"]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("at least 900", 900, None),
        ("more than 320", 321, None),
        ("over 5,000", 5_001, None),
        ("More than a dozen", 13, None),
        ("nearly 1,000", 900, 999),
        ("almost 700", 630, 699),
        ("about 300", 270, 330),
        ("an estimated 2,000", 1_800, 2_200),
        ("some 50", 45, 55),
        ("up to 400", None, 400),
        ("fewer than 20", None, 19),
        ("at most 50", None, 50),
        ("around 30 to 40", 30, 40),
    ],
)
def test_approximators(text: str, low: float | None, high: float | None) -> None:
    phrase = parsed(text)
    assert (phrase.low, phrase.high) == (low, high)


def test_about_keeps_the_stated_value_as_best() -> None:
    assert parsed("roughly 1,200").best == 1_200


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("$25 million", 25_000_000, 25_000_000, "USD"),
        ("$ 25 million", 25_000_000, 25_000_000, "USD"),
        ("$25m", 25_000_000, 25_000_000, "USD"),
        ("US$ 4.5bn", 4_500_000_000, 4_500_000_000, "USD"),
        ("£1.2 million", 1_200_000, 1_200_000, "GBP"),
        ("€500 million", 500_000_000, 500_000_000, "EUR"),
        ("3 billion dollars", 3_000_000_000, 3_000_000_000, "USD"),
        ("6 to 7 kilometers", 6, 7, "km"),
        ("50km", 50, 50, "km"),
        ("300m", 300, 300, "m"),
        ("26 miles", 26, 26, "mi"),
        ("40 square miles", 40, 40, "sq_mi"),
        ("20 sq mile", 20, 20, "sq_mi"),
        ("3 square kilometres", 3, 3, "km2"),
        ("12,000 hectares", 12_000, 12_000, "ha"),
        ("45 minutes", 45, 45, "minute"),
        ("a 10-day", 10, 10, "day"),
        ("12%", 12, 12, "percent"),
        ("40 per cent", 40, 40, "percent"),
        ("more than 5 km", 5, None, "km"),  # measures are continuous: no +1
        ("about 2 hours", 1.8, 2.2, "hour"),
    ],
)
def test_units(text: str, low: float, high: float | None, unit: str) -> None:
    phrase = find_number_phrases(text)[0]
    assert (phrase.low, phrase.high, phrase.unit, phrase.kind) == (low, high, unit, "measure")


def test_pounds_alone_is_not_money() -> None:
    # "pounds" is ambiguous (weight); only "pounds sterling" is GBP
    assert find_number_phrases("a 5 pounds bag")[0].unit is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("In 2018 the town fell.", "year"),
        ("The 34-year-old driver", "age"),
        ("She is 34 years old.", "age"),
        ("The child, aged 9, was", "age"),
        ("The minister, 58, said", "age"),
        ("on December 14, 2018", "date"),
        ("on 12 March", "date"),
        ("from 13 to 15 March", "date"),
        ("at 3 p.m.", "time"),
        ("the 4th Brigade", "ordinal"),
        ("Section 3 of the law", "label"),
        ("Resolution 2254", "label"),
        ("F-16 jets", "label"),
        ("Flight MH17", "label"),
        ("since the 1990s", "decade"),
    ],
)
def test_numbers_that_are_not_amounts(text: str, kind: str) -> None:
    phrases = find_number_phrases(text)
    assert phrases and all(p.kind not in AMOUNT_KINDS for p in phrases)
    assert kind in {p.kind for p in phrases}


@pytest.mark.parametrize("text", ["on 12/14/2018", "on 2018-12-14", "at 10:30 on Monday", "COVID-19 cases"])
def test_dates_and_clock_times_give_no_amounts(text: str) -> None:
    assert all(p.kind not in AMOUNT_KINDS for p in find_number_phrases(text))


def test_phone_numbers_are_skipped() -> None:
    assert find_number_phrases("Call +44 20 7946 0958 or 0800 555 0199 now.") == []


def test_zero_words_are_negated_counts() -> None:
    nobody = parsed("no one")
    assert (nobody.low, nobody.high, nobody.negated) == (0, 0, True)
    assert find_number_phrases("There were no casualties.")[0].negated


def test_no_before_an_ordinary_word_is_not_a_number() -> None:
    assert find_number_phrases("No longer, no way, no comment.") == []


def test_ordinal_words_and_plain_text_are_not_numbers() -> None:
    assert find_number_phrases("He was the first to arrive, and the third to leave.") == []
    assert isinstance(parse_number_phrase("the first"), NumberParseFailure)


def test_parse_failure_says_what_was_left_over() -> None:
    failure = parse_number_phrase("12 angry men")
    assert isinstance(failure, NumberParseFailure)
    assert "angry men" in failure.reason


def test_rose_from_a_to_b_is_two_values_not_a_range() -> None:
    found = find_number_phrases("the toll rose from 30 to 45")
    assert [(p.low, p.high) for p in found] == [(30, 30), (45, 45)]


def test_spans_index_the_text() -> None:
    text = "Officials said at least 1,200 people and dozens of children fled."
    for phrase in find_number_phrases(text):
        assert text[phrase.start:phrase.end] == phrase.text
    assert [p.text for p in find_number_phrases(text)] == ["at least 1,200", "dozens"]


@pytest.mark.parametrize(
    ("text", "low", "unit"),
    [("1.2m people", 1_200_000, None), ("2m refugees", 2_000_000, None), ("300m from the gate", 300, "m")],
)
def test_m_after_digits_is_million_before_people_and_metres_otherwise(
    text: str, low: float, unit: str | None
) -> None:
    phrase = find_number_phrases(text)[0]
    assert (phrase.low, phrase.unit) == (low, unit)


@pytest.mark.parametrize("text", ["Two-thirds of residents", "three quarters of the city", "the 9/11 attacks",
                                  "open 24/7", "around 5pm", "about 10 a.m."])
def test_fractions_slashes_and_clock_times_with_approximators_are_not_amounts(text: str) -> None:
    assert all(p.kind not in AMOUNT_KINDS for p in find_number_phrases(text))
