"""Publication dates from unlabelled furniture: a date line under the headline, a dated dateline, a URL path —
never an event date in a sentence, a copyright year, an ambiguous numeric date or a date in the future."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.ingest.date_clues import date_from_dateline, date_from_url, date_near_headline
from storyline.ingest.readers import find_published
from storyline.records import DatePrecision

BODY = (
    "Shelling resumed near the grain silos on the eastern bank late on Thursday, residents said.\n"
    "The district council said water pumps had stopped working and that two clinics had closed.\n"
)
HEADLINE = "Silos burn as shelling resumes\n"


@pytest.mark.parametrize(
    ("line", "expected", "precision"),
    [
        ("Friday 14 December 2018 10.35 GMT", datetime(2018, 12, 14, 10, 35), "minute"),
        ("By Ann Smith | 14 March 2024", datetime(2024, 3, 14), "day"),
        ("Dec. 14, 2018 · 3 min read", datetime(2018, 12, 14), "day"),
        ("5:45 AM PST 11/19/2019", datetime(2019, 11, 19, 5, 45), "minute"),
        ("14/12/2018", datetime(2018, 12, 14), "day"),  # 14 cannot be a month: unambiguous
        ("2018-12-14T10:02:00Z", datetime(2018, 12, 14, 10, 2), "minute"),
        ("KABUL | 3 June 2019", datetime(2019, 6, 3), "day"),
        ("December 14, 2018 / 2:02 PM / Updated 5 hours ago", datetime(2018, 12, 14, 14, 2), "minute"),
        ("14th December 2018, 2:02 pm", datetime(2018, 12, 14, 14, 2), "minute"),
    ],
)
def test_date_line_under_the_headline(line: str, expected: datetime, precision: str) -> None:
    found = date_near_headline(HEADLINE + line + "\n" + BODY)
    assert found is not None
    assert (found.value, found.precision, found.source) == (expected, DatePrecision(precision), "text:head-date")


def test_label_on_the_line_above_names_the_date() -> None:
    found = date_near_headline(HEADLINE + "By Ann Smith\nUpdated\nNov 13, 2019, 10:28am EST\n" + BODY)
    assert found is not None
    assert (found.value, found.source) == (datetime(2019, 11, 13, 10, 28), "text:updated")


@pytest.mark.parametrize(
    "text",
    [
        HEADLINE + "On 14 December 2018 fighters stormed the silos and burned the stores.\n" + BODY,  # an event
        HEADLINE + "Attack of 14 December 2018\n" + BODY,  # a heading about an event, not a date line
        HEADLINE + "03/04/2019\n" + BODY,  # 3 April or 4 March
        HEADLINE + "14 December 2091\n" + BODY,  # the future: a typo or a placeholder
        HEADLINE + BODY + "Copyright 2009 Harbour Times\n",  # a footer year is not a publication date
        HEADLINE + BODY * 6 + "14 December 2018\n",  # far below the headline: a comment or a related story
    ],
)
def test_no_publication_date_in_these(text: str) -> None:
    assert date_near_headline(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BEIRUT, Dec. 14, 2018 (Reuters) - Fighters stormed the silos.", datetime(2018, 12, 14)),
        ("ALEPPO, Syria, March 3, 2019 (AFP) – Fighters stormed the silos.", datetime(2019, 3, 3)),
        ("WASHINGTON, 14 December 2018 /PRNewswire/ -- A company said.", datetime(2018, 12, 14)),
    ],
)
def test_dated_dateline(text: str, expected: datetime) -> None:
    found = date_from_dateline(text + "\n" + BODY)
    assert found is not None
    assert (found.value, found.source) == (expected, "text:dateline")


def test_dateline_without_year_is_no_date() -> None:
    assert date_from_dateline("KABUL, Dec 14 (Reuters) - Fighters stormed the silos.\n" + BODY) is None


@pytest.mark.parametrize(
    ("url", "expected", "precision"),
    [
        ("https://news.example/world/2018/12/14/silos-burn", datetime(2018, 12, 14), "day"),
        ("https://news.example/2018-12-14/silos-burn", datetime(2018, 12, 14), "day"),
        ("https://news.example/a/20181214/silos.html", datetime(2018, 12, 14), "day"),
        ("https://news.example/2018/12/silos-burn", datetime(2018, 12, 1), "month"),
    ],
)
def test_date_in_url_path(url: str, expected: datetime, precision: str) -> None:
    found = date_from_url(url)
    assert found is not None
    assert (found.value, found.precision, found.source) == (expected, DatePrecision(precision), "url:path")


@pytest.mark.parametrize(
    "url", ["https://news.example/story/20181399", "https://news.example/2018/02/31/x", "https://news.example/a/1234"]
)
def test_url_without_a_valid_date(url: str) -> None:
    assert date_from_url(url) is None


def test_find_published_order() -> None:
    # A labelled line beats an unlabelled one; the URL beats a date line; a printed source URL is last.
    labelled = find_published(HEADLINE + "12 December 2018\nPublished: 11 December 2018\n" + BODY, None)
    assert labelled is not None and labelled.value == datetime(2018, 12, 11) and labelled.source == "text:published"
    from_url = find_published(HEADLINE + "12 December 2018\n" + BODY, "https://news.example/2018/12/10/x")
    assert from_url is not None and from_url.value == datetime(2018, 12, 10)
    printed = find_published(BODY + "Source: https://www.dawn.com/news/2018/12/09/silos\n", None)
    assert printed is not None and (printed.value, printed.source) == (datetime(2018, 12, 9), "text:url")
    # Only an event date and a copyright year: no publication date.
    assert find_published("On 14 May 2018 the silos burned.\n" + BODY + "© 2009 Harbour Times\n", None) is None
