"""Times stage, normalization rules: relative dates in news style, reporting periods, anaphoric years,
fractional and spelled amounts, direction cues, and the extent of approximate durations."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.nlp.time_values import duration_value, number_value
from storyline.nlp.times import find_times
from storyline.records import TimeRef

FRIDAY = datetime(2018, 12, 14)  # ISO week 2018-W50, fourth quarter
MONDAY = datetime(2018, 12, 10)
FEBRUARY = datetime(2019, 2, 10)


def refs(text: str, nlp, published: datetime | None = FRIDAY) -> list[TimeRef]:  # noqa: ANN001
    return list(find_times(text, published, nlp(text)))


def pairs(text: str, nlp, published: datetime | None = FRIDAY) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(r.text, r.value) for r in refs(text, nlp, published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The rebels attacked the depot on Friday.", ("Friday", "2018-12-07")),
        ("Negotiators will meet again on Friday.", ("Friday", "2018-12-14")),
        ("Prices fell sharply last month.", ("last month", "2018-11")),
        ("The ceasefire expires on January 10.", ("January 10", "2019-01-10")),
        ("The ceasefire expired on December 2.", ("December 2", "2018-12-02")),
    ],
)
def test_news_dates_against_a_monday_article(nlp, sentence: str, expected: tuple[str, str]) -> None:  # noqa: ANN001
    assert pairs(sentence, nlp, MONDAY) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The clinic opened in June last year.", ("June last year", "2017-06")),
        ("Elections are due in April next year.", ("April next year", "2019-04")),
        ("In January this year, the mayor resigned.", ("January this year", "2018-01")),
    ],
)
def test_a_month_with_a_relative_year_is_one_expression(nlp, sentence: str, expected: tuple[str, str]) -> None:  # noqa: ANN001
    assert pairs(sentence, nlp) == [expected]


def test_payable_and_effective_dates_look_ahead_even_in_past_clauses(nlp) -> None:  # noqa: ANN001
    assert pairs("The board declared a dividend payable Feb. 1 to holders.", nlp) == [("Feb. 1", "2019-02-01")]
    assert pairs("The rule was adopted, effective March 3.", nlp) == [("March 3", "2019-03-03")]


def test_deadlines_look_ahead_unless_the_clause_is_past(nlp) -> None:  # noqa: ANN001
    assert pairs("The company must repay the loan by February.", nlp) == [("February", "2019-02")]
    assert pairs("The army had retaken the town by February.", nlp) == [("February", "2018-02")]
    # A deadline that has just passed stays in the article's year.
    assert pairs("The agency must decide by Dec. 12.", nlp) == [("Dec. 12", "2018-12-12")]


def test_a_planned_infinitive_is_read_as_future(nlp) -> None:  # noqa: ANN001
    assert pairs("The three states are expected to join in April.", nlp) == [("April", "2019-04")]
    # ... but not when the plan itself lies in the past of the past.
    assert pairs("The offer had been due to expire on Tuesday.", nlp, MONDAY) == [("Tuesday", "2018-12-04")]


def test_an_early_month_is_nearer_than_the_whole_month(nlp) -> None:  # noqa: ANN001
    assert pairs("The accession was planned for early March.", nlp, FEBRUARY) == [("early March", "2019-03")]
    assert pairs("The accession was planned for late March.", nlp, FEBRUARY) == [("late March", "2018-03")]


def test_the_quarter_under_discussion_ignores_comparison_quarters(nlp) -> None:  # noqa: ANN001
    text = (
        "Profit rose in the third quarter from the year-earlier quarter. Costs fell during the quarter, "
        "and margins beat the 2017 quarter and the corresponding period last year."
    )
    assert pairs(text, nlp) == [
        ("the third quarter", "2018-Q3"),
        ("the year-earlier quarter", "2017-Q3"),
        ("the quarter", "2018-Q3"),
        ("the 2017 quarter", "2017-Q3"),
        ("the corresponding period last year", "2017-Q3"),
    ]


def test_the_quarter_a_year_ago_is_one_year_back(nlp) -> None:  # noqa: ANN001
    text = "Sales rose in the second quarter. For the quarter a year ago, the firm lost money."
    assert pairs(text, nlp)[-1] == ("the quarter a year ago", "2017-Q2")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He fled in June 1998 and returned later that year.", [("June 1998", "1998-06"), ("later that year", "1998")]),
        (
            "She was promoted in 1995; the following year she retired.",
            [("1995", "1995"), ("the following year", "1996")],
        ),
    ],
)
def test_anaphoric_years_count_from_the_narrative(nlp, sentence: str, expected: list) -> None:  # noqa: ANN001
    assert pairs(sentence, nlp) == expected


def test_an_anaphoric_year_without_a_narrative_year_stays_unknown(nlp) -> None:  # noqa: ANN001
    assert pairs("Imports rose sharply that year.", nlp) == [("that year", "XXXX")]


@pytest.mark.parametrize(
    ("sentence", "surface", "value"),
    [
        ("The refugees lived in the camp for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
        ("The hearing lasted five and a half hours.", "five and a half hours", "PT5H30M"),
        ("The pilot radioed a minute and a half later.", "a minute and a half", "PT1M30S"),
        ("The crowd waited half an hour in the rain.", "half an hour", "PT30M"),
        ("The crown has ruled for a hundred years.", "a hundred years", "P100Y"),
        ("Glassmakers kept the secret for two thousand years.", "two thousand years", "P2000Y"),
        ("Rates may rise over the next couple of years.", "the next couple of years", "P2Y"),
        ("Shipments resume within two to three weeks.", "two to three weeks", "PXW"),
        ("The index lagged for eight trading days.", "eight trading days", "P8D"),
    ],
)
def test_fractional_and_spelled_amounts(nlp, sentence: str, surface: str, value: str) -> None:  # noqa: ANN001
    ref = next(r for r in refs(sentence, nlp) if r.timex_type == "DURATION")
    assert (ref.text, ref.value) == (surface, value)


def test_numbers_with_multipliers_are_not_times_without_a_unit(nlp) -> None:  # noqa: ANN001
    assert refs("Two thousand soldiers and a hundred tanks crossed the river.", nlp) == []


@pytest.mark.parametrize(
    ("sentence", "surface", "timex_type", "value"),
    [
        ("For the year, sales rose 5%.", "the year", "DATE", "2018"),
        ("Sales for the full year were flat.", "the full year", "DATE", "2018"),
        ("The deal should close by year-end.", "year-end", "DATE", "2018"),
        ("For the year ended Sept. 30, sales rose.", "the year", "DURATION", "P1Y"),
        ("The index dropped 3% for the week.", "the week", "DATE", "2018-WXX"),
        ("Troops must deploy by the end of the month.", "the end of the month", "DATE", "2018-12"),
        ("His promise to halve unemployment by the year two thousand failed.", "the year two thousand", "DATE", "2000"),
        ("A hearing is set for the week of March 6, 2000.", "the week of March 6, 2000", "DATE", "2000-W10"),
        ("Margins suffer more painfully these days.", "these days", "DATE", "PRESENT_REF"),
        ("The losses will cut taxes in future quarters.", "future quarters", "DATE", "FUTURE_REF"),
        ("We will not sell in the near term.", "the near term", "DATE", "FUTURE_REF"),
    ],
)  # fmt: skip
def test_periods_of_the_article_and_references(nlp, sentence: str, surface: str, timex_type: str, value: str) -> None:  # noqa: ANN001
    matching = [r for r in refs(sentence, nlp) if r.text == surface]
    assert [(r.timex_type, r.value) for r in matching] == [(timex_type, value)]


@pytest.mark.parametrize(
    ("sentence", "surface", "value"),
    [
        ("Orangemen march each July through the town.", "each July", "XXXX-07"),
        ("Flights leave on Tuesday nights from March.", "Tuesday nights", "XXXX-WXX-2TNI"),
        ("The studio gives hundreds of interviews a day.", "a day", "P1D"),
        ("Remittances bring in $33 million a year.", "a year", "P1Y"),
    ],
)
def test_recurring_expressions_are_sets(nlp, sentence: str, surface: str, value: str) -> None:  # noqa: ANN001
    matching = [r for r in refs(sentence, nlp) if r.text == surface]
    assert [(r.timex_type, r.value) for r in matching] == [("SET", value)]


def test_a_year_after_a_singular_noun_stays_a_duration(nlp) -> None:  # noqa: ANN001
    ref = next(r for r in refs("The mayor spent a year in prison.", nlp) if r.text == "a year")
    assert (ref.timex_type, ref.value) == ("DURATION", "P1Y")


@pytest.mark.parametrize(
    ("sentence", "surface"),
    [
        ("The talks lasted about two weeks.", "two weeks"),
        ("The answer comes in just a few minutes.", "a few minutes"),
        ("The town fell after only six months.", "six months"),
        ("The talks began about two weeks ago.", "about two weeks ago"),  # "about ... ago" stays whole
        ("The siege lasted more than five years.", "more than five years"),
    ],
)
def test_focus_particles_stay_outside_durations(nlp, sentence: str, surface: str) -> None:  # noqa: ANN001
    assert [r.text for r in refs(sentence, nlp)] == [surface]


def test_duration_values_and_numbers() -> None:
    assert number_value("twenty four") == 24
    assert number_value("one hundred and fifty") == 150
    assert number_value("5 1/2") == 5.5
    assert number_value("several") is None
    assert duration_value(1.5, "day") == "P1DT12H"
    assert duration_value(0.5, "year") == "P6M"
    assert duration_value(None, "minute") == "PTXM"
    assert duration_value(1.5, "quarter") == "PXQ"  # no smaller unit to write the half in


@pytest.mark.parametrize(
    "sentence",
    [
        "The vote is set for the week of May 40.",
        "That year, the following year, the year two thousand and the year 1999.",
        "payable by until effective due 1/2 and a half hundred thousand year-end",
    ],
)
def test_odd_inputs_do_not_crash_and_spans_index_the_text(nlp, sentence: str) -> None:  # noqa: ANN001
    for ref in refs(sentence, nlp):
        assert sentence[ref.evidence.start : ref.evidence.end] == ref.text
    for ref in find_times(sentence, None):
        assert sentence[ref.evidence.start : ref.evidence.end] == ref.text


def test_an_offset_from_the_narrative_is_a_duration_not_a_date(nlp) -> None:  # noqa: ANN001
    # "later" counts from an event in the story, not from the article date: no invented calendar date,
    # and "later" itself is a signal word outside the expression (TimeML).
    assert [(r.text, r.timex_type, r.value) for r in refs("Three days later, the rebels returned.", nlp)] == [
        ("Three days", "DURATION", "P3D")
    ]
    # "ago" does count from the article date.
    assert pairs("The rebels returned three days ago.", nlp) == [("three days ago", "2018-12-11")]


def test_a_fractional_offset_counts_in_the_smaller_unit(nlp) -> None:  # noqa: ANN001
    assert pairs("The war began two and a half years ago.", nlp) == [("two and a half years ago", "2016-06")]
