"""Metadata detection: credits name the outlet, cited outlets are kept apart, dates keep their precision."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.ingest.language import detect_language, normalize_language_tag
from storyline.ingest.metadata import (
    Detected,
    find_cited_outlets,
    outlet_from_text,
    parse_published,
    published_from_text,
    title_from_text,
)
from storyline.records import DatePrecision

BODY = "Dozens of families left the district overnight as shelling resumed near the old bridge.\n"


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        (BODY + "More lines of the story follow here.\n\nSource: Harbour Times\n", "Harbour Times"),
        (BODY + "Source - AFP", "AFP"),
        ("ALEPPO, Syria (Reuters) - " + BODY, "Reuters"),
        ("Aleppo, March 3 (AFP) – " + BODY, "AFP"),
        ("(AP) — " + BODY, "Associated Press"),
        (BODY + "\n©AFP\n", "AFP"),
        (BODY + "\n(c) Reuters 2019\n", "Reuters"),
        (BODY + "\nCopyright 2019 The Associated Press. All rights reserved.\n", "Associated Press"),
    ],
)
def test_explicit_credit_names_the_outlet(text: str, outlet: str) -> None:
    assert outlet_from_text(text) == Detected(outlet, "text:credit")


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "A commander told the Guardian that the fighting was over.\n" + BODY,  # cited, not a credit
        "According to Reuters, the bridge was destroyed.\n" + BODY,
        BODY + "©AFP – Army vehicles drive past the ruined bridge during the battle for the eastern district.\n",
        "Officials (who asked not to be named) - said the road was closed.\n" + BODY,
        BODY + "The source: a leaked memo seen by several reporters in the capital last week.",
    ],
)
def test_no_credit_means_no_outlet(text: str) -> None:
    assert outlet_from_text(text) is None


def test_cited_outlets_have_exact_spans() -> None:
    text = (
        "A commander told the Guardian the town had fallen. According to Reuters, 40 people died. "
        "He later told Hawar news agency the same. According to Rahman, nobody left. "
        "The Wall Street Journal reported a ceasefire. The group wants him dead, the Observer adds."
    )
    found = find_cited_outlets(text)
    names = [name for name, _, _ in found]
    assert names == ["Guardian", "Reuters", "Hawar", "Wall Street Journal", "Observer"]
    assert all(text[start:end] == name for name, start, end in found)


def test_person_after_according_to_is_not_an_outlet() -> None:
    assert find_cited_outlets("According to Ahmed Saleh, the road was closed. Sources told him so.") == []


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Shelling resumes near old bridge\n\n" + BODY, "Shelling resumes near old bridge"),
        (
            "‘We will not leave,’ say families of the old quarter\n" + BODY,
            "‘We will not leave,’ say families of the old quarter",
        ),
        (BODY + BODY, None),  # the first line is a sentence, not a headline
        ("Shelling resumes near old bridge", None),  # nothing follows: not a headline over a body
        ("and then the shelling stopped\n\n" + BODY, None),  # lowercase start
    ],
)
def test_title_from_first_line(raw: str, title: str | None) -> None:
    detected = title_from_text(raw)
    assert (detected.value if detected else None) == title
    if detected:
        assert detected.source == "text:first-line"


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2018-12", datetime(2018, 12, 1), DatePrecision.MONTH),
        ("2018", datetime(2018, 1, 1), DatePrecision.YEAR),
        ("2018-12-14", datetime(2018, 12, 14), DatePrecision.DAY),
        ("2018-12-14T09:30:00+01:00", datetime(2018, 12, 14, 9, 30), DatePrecision.MINUTE),
        ("14 December 2018", datetime(2018, 12, 14), DatePrecision.DAY),
        ("Dec 14, 2018 10:45", datetime(2018, 12, 14, 10, 45), DatePrecision.MINUTE),
        ("December 2018", datetime(2018, 12, 1), DatePrecision.MONTH),
    ],
)
def test_published_dates_keep_their_precision(value: str, expected: datetime, precision: DatePrecision) -> None:
    parsed = parse_published(value, "metadata")
    assert parsed is not None
    assert (parsed.value.replace(day=1) if precision is DatePrecision.MONTH else parsed.value) == expected
    assert parsed.precision is precision and parsed.source == "metadata"


@pytest.mark.parametrize("value", ["", "soon", "yesterday", "2018-13-45", "not a date at all"])
def test_unparseable_or_relative_dates_are_none(value: str) -> None:
    assert parse_published(value, "metadata") is None


def test_language_detection_and_tags() -> None:
    assert detect_language(BODY * 2) is not None and detect_language(BODY * 2)[0] == "en"  # type: ignore[index]
    assert detect_language("Bridge closed.") is None
    assert normalize_language_tag("en-GB") == "en" and normalize_language_tag("ENG") == "en"
    assert normalize_language_tag("  ") is None and normalize_language_tag(None) is None


@pytest.mark.parametrize(
    ("text", "expected", "precision", "source"),
    [
        ("Pier closed\nPublished 12/14/2018\n" + BODY, datetime(2018, 12, 14), "day", "text:published"),
        (
            "Updated: Dec 14, 2018 10:02 GMT\n" + BODY,
            datetime(2018, 12, 14, 10, 2),
            "minute",
            "text:updated",
        ),
        # Published wins over updated even when the update is printed first.
        (
            "Updated: March 14, 2019 | Published: March 12, 2019\n" + BODY,
            datetime(2019, 3, 12),
            "day",
            "text:published",
        ),
        ("Posted on 14 December 2018\n" + BODY, datetime(2018, 12, 14), "day", "text:published"),
        (BODY * 40 + "First published on Friday 14 December 2018\n", datetime(2018, 12, 14), "day", "text:published"),
    ],
)
def test_date_lines_in_plain_text(text: str, expected: datetime, precision: str, source: str) -> None:
    found = published_from_text(text)
    assert found is not None
    assert (found.value, found.precision, found.source) == (expected, DatePrecision(precision), source)


@pytest.mark.parametrize(
    "text",
    [
        "Posted on 03/04/2019\n" + BODY,  # 3 April or 4 March: the reader cannot tell either
        "Updated 10:02 GMT\n" + BODY,  # no year: the run's year would be a guess
        "Published in 2019, the report warned of exactly this flood.\n" + BODY,  # prose
        BODY + "The council posted 14 December 2018 as the deadline.\n",  # not a date line
        BODY * 60 + "\nPublished: 14 December 2018\n" + BODY * 60,  # neither at the top nor the bottom
    ],
)
def test_no_date_line_means_no_date(text: str) -> None:
    assert published_from_text(text) is None


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("By Ann Smith | Reuters\n" + BODY, "Reuters"),
        ("By Ann Smith and Bo Li, The Associated Press\n" + BODY, "Associated Press"),
        ("KABUL, Dec 14 (Reuters) - " + BODY, "Reuters"),
        (BODY + "\n©Reuters 2018\n", "Reuters"),
    ],
)
def test_bylines_datelines_and_copyright_are_credits_not_publishers(text: str, outlet: str) -> None:
    assert outlet_from_text(text) == Detected(outlet, "text:credit")


def test_byline_naming_a_person_only_is_no_outlet() -> None:
    assert outlet_from_text("By Ann Smith\n" + BODY) is None
    assert outlet_from_text("By Ann Smith | Harbour desk\n" + BODY) is None
