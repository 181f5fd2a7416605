"""Times stage: TIMEX3 extraction and normalization against a fixed article date (Friday 14 Dec 2018)."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.nlp.times import estimate_publication_date, extract_times, find_times
from storyline.records import Article, ArticleAnalysis, DatePrecision, TimeRef

DCT = datetime(2018, 12, 14)  # a Friday, ISO week 2018-W50


def times_in(text: str, nlp, published: datetime | None = DCT) -> list[TimeRef]:  # noqa: ANN001
    return list(find_times(text, published, nlp(text)))


def only(text: str, nlp, published: datetime | None = DCT) -> TimeRef:  # noqa: ANN001
    refs = times_in(text, nlp, published)
    assert len(refs) == 1, [(r.text, r.value) for r in refs]
    return refs[0]


@pytest.mark.parametrize(
    ("sentence", "surface", "value", "precision"),
    [
        (
            "Fighting resumed on 28 September 2017 near the river.",
            "28 September 2017",
            "2017-09-28",
            DatePrecision.DAY,
        ),
        (
            "The deal was signed on Dec. 14, 2018, in the capital.",
            "Dec. 14, 2018",
            "2018-12-14",
            DatePrecision.DAY,
        ),
        ("The offensive began on January 10 with shelling.", "January 10", "2018-01-10", DatePrecision.DAY),
        ("The town was first captured in 2014 by the group.", "2014", "2014", DatePrecision.YEAR),
        ("The dam was built in the 1990s by a foreign firm.", "the 1990s", "199", DatePrecision.DECADE),
        ("Prices rose last month across the region.", "last month", "2018-11", DatePrecision.MONTH),
        ("Aid convoys arrived this week in the valley.", "this week", "2018-W50", DatePrecision.WEEK),
        ("The bridge collapsed yesterday after the rains.", "yesterday", "2018-12-13", DatePrecision.DAY),
        ("Two weeks ago the border was closed.", "Two weeks ago", "2018-11-30", DatePrecision.DAY),
        ("Talks collapsed last November in Geneva.", "last November", "2018-11", DatePrecision.MONTH),
        ("Earlier this year the army withdrew.", "Earlier this year", "2018", DatePrecision.YEAR),
        ("The strike happened in August and hit a school.", "August", "2018-08", DatePrecision.MONTH),
        ("The rebels withdrew since May 1st from the hills.", "May 1st", "2018-05-01", DatePrecision.DAY),
        (
            "Profit fell in the first quarter of 2013.",
            "the first quarter of 2013",
            "2013-Q1",
            DatePrecision.QUARTER,
        ),
        ("The camp flooded last summer during storms.", "last summer", "2017-SU", DatePrecision.SEASON),
    ],
)
def test_calendar_expressions_resolve_against_the_article_date(
    nlp,
    sentence: str,
    surface: str,
    value: str,
    precision: DatePrecision,  # noqa: ANN001
) -> None:
    ref = only(sentence, nlp)
    assert (ref.text, ref.timex_type, ref.value, ref.precision) == (surface, "DATE", value, precision)
    assert ref.start is not None and ref.end is not None and ref.start < ref.end


def test_day_bounds_cover_exactly_that_day(nlp) -> None:  # noqa: ANN001
    ref = only("Residents fled yesterday.", nlp)
    assert ref.start == datetime(2018, 12, 13) and ref.end == datetime(2018, 12, 14)


def test_week_bounds_follow_iso_weeks(nlp) -> None:  # noqa: ANN001
    ref = only("Shelling intensified this week.", nlp)
    assert ref.start == datetime(2018, 12, 10) and ref.end == datetime(2018, 12, 17)


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The minister said on Friday that the road was open.", "2018-12-14"),  # the DCT itself
        ("The minister said on Tuesday that the road was open.", "2018-12-11"),
        ("The minister will visit the camp on Tuesday.", "2018-12-18"),
        ("The envoy arrives next Tuesday.", "2018-12-18"),
        ("The envoy left last Friday.", "2018-12-07"),
    ],
)
def test_weekday_direction_follows_tense_and_next_last(nlp, sentence: str, value: str) -> None:  # noqa: ANN001
    ref = only(sentence, nlp)
    assert ref.timex_type == "DATE" and ref.value == value


def test_month_day_in_future_tense_moves_to_the_next_year(nlp) -> None:  # noqa: ANN001
    ref = only("The parliament will vote on January 10 on the budget.", nlp)
    assert ref.value == "2019-01-10"


@pytest.mark.parametrize(
    ("sentence", "surface", "timex_type", "value"),
    [
        ("The siege lasted over five years before it ended.", "over five years", "DURATION", "P5Y"),
        ("The convoy waited three months at the border.", "three months", "DURATION", "P3M"),
        ("The battle raged for 45 minutes.", "45 minutes", "DURATION", "PT45M"),
        ("They signed a two-week truce.", "two-week", "DURATION", "P2W"),
        ("Patrols pass every week through the town.", "every week", "SET", "P1W"),
        ("The agency publishes figures daily.", "daily", "SET", "P1D"),
        ("Each family receives $5,000 a year in aid.", "a year", "SET", "P1Y"),
        ("The curfew starts at 3 p.m. in the city.", "3 p.m.", "TIME", "2018-12-14T15:00"),
        ("The situation is calm now in the camp.", "now", "DATE", "PRESENT_REF"),
        ("Troops recently left the base.", "recently", "DATE", "PAST_REF"),
        ("The bridge is currently closed.", "currently", "DATE", "PRESENT_REF"),
    ],
)
def test_durations_sets_times_and_references(nlp, sentence: str, surface: str, timex_type: str, value: str) -> None:  # noqa: ANN001
    ref = only(sentence, nlp)
    assert (ref.text, ref.timex_type, ref.value) == (surface, timex_type, value)
    if timex_type in {"DURATION", "SET"}:
        assert ref.start is None and ref.end is None


@pytest.mark.parametrize(
    "sentence",
    [
        "May said the troops may march on the capital.",  # May the name, may the modal, march the verb
        "The Sunday Times reported the claims first.",  # a newspaper, not a Sunday
        "The army sent 2,000 troops and 1,500 police.",  # numbers with commas
        "The army sent 2000 troops to the north.",  # a count, not the year 2000
        "A second convoy waited at the gate.",  # "second" the ordinal
        "They expect a fall in prices and a spring offensive of words.",
    ],
)
def test_look_alikes_are_not_time_expressions(nlp, sentence: str) -> None:  # noqa: ANN001
    assert times_in(sentence, nlp) == []


def test_march_the_month_still_counts_next_to_march_the_verb(nlp) -> None:  # noqa: ANN001
    refs = times_in("Protesters will march in March.", nlp)
    assert [(r.text, r.value) for r in refs] == [("March", "2019-03")]  # future tense: the next March


def test_a_year_before_a_singular_noun_is_still_a_year(nlp) -> None:  # noqa: ANN001
    ref = only("Sanctions followed the 1990 invasion of the emirate.", nlp)
    assert (ref.text, ref.value) == ("1990", "1990")


def test_untensed_weekday_prefers_the_past_unless_the_next_is_much_nearer(nlp) -> None:  # noqa: ANN001
    monday = datetime(2018, 12, 10)
    assert only("Thursday's closing price was higher.", nlp, monday).value == "2018-12-06"
    assert only("The convoy could leave as soon as Tuesday.", nlp, monday).value == "2018-12-11"


def test_a_year_earlier_follows_the_quarter_under_discussion(nlp) -> None:  # noqa: ANN001
    refs = times_in("Output rose in the third quarter, up from a year earlier.", nlp)
    assert [(r.text, r.value) for r in refs] == [
        ("the third quarter", "2018-Q3"),
        ("a year earlier", "2017-Q3"),
    ]


def test_without_a_date_relative_values_keep_placeholders(nlp) -> None:  # noqa: ANN001
    refs = times_in("On Friday the court ruled on the Dec. 14 attack of 28 September 2017.", nlp, published=None)
    by_text = {r.text: r for r in refs}
    assert by_text["Friday"].value == "XXXX-WXX-5" and by_text["Friday"].start is None
    assert by_text["Dec. 14"].value == "XXXX-12-14" and by_text["Dec. 14"].start is None
    assert by_text["28 September 2017"].value == "2017-09-28"
    assert by_text["28 September 2017"].start == datetime(2017, 9, 28)


def test_invalid_calendar_dates_are_dropped(nlp) -> None:  # noqa: ANN001
    refs = times_in("The report dated February 30, 2018 was fake; April 31 never came.", nlp)
    assert all("-02-30" not in r.value and "-04-31" not in r.value for r in refs)


def test_stage_uses_the_article_date_and_id(ctx) -> None:  # noqa: ANN001
    text = "Clashes broke out yesterday in the north."
    article = Article.from_text(text, published=DCT)
    refs = extract_times(ctx.nlp(text), ArticleAnalysis(article=article), ctx)
    assert [(r.text, r.value, r.evidence.article_id) for r in refs] == [("yesterday", "2018-12-13", article.id)]
    assert all(text[r.evidence.start : r.evidence.end] == r.text for r in refs)


def test_publication_date_estimate_takes_the_latest_full_date() -> None:
    text = "The truce of March 3, 2018 broke down. By 5 April 2018 the town had fallen; in 2016 it was calm."
    assert estimate_publication_date(text) == (datetime(2018, 4, 5), DatePrecision.DAY)


def test_publication_date_estimate_ignores_bare_years() -> None:
    # "since 2012" dates what began then, not the report: no estimate rather than a weak guess.
    assert estimate_publication_date("The dam, built in 2011, cracked in 2016.") is None
    assert estimate_publication_date("The group has fought the army since 2012.") is None
    assert estimate_publication_date("Nothing here is dated, not even 2,000 people.") is None
    assert estimate_publication_date("The treaty expires on May 5, 2099.") is None  # never a future date
