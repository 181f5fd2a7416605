"""Property: time extraction never crashes, and every TimeRef's span indexes the text it came from."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.nlp.timecalendar import value_bounds
from storyline.nlp.times import estimate_publication_date, find_times

TIME_WORDS = (
    "Friday", "May", "march", "the 1990s", "Dec. 14, 2018", "29 February", "31 April 2017", "last",
    "next", "week", "weeks ago", "a year earlier", "the third quarter", "3 p.m.", "13 p.m.", "now",
    "2,000", "1999", "every", "daily", "since", "the past", "two-year", "Christmas", "this summer",
    "9999-99-99", "02/30/2018", "nineteen ninety-nine", "'90s", "the 21st century", "midnight", ",", ".",
    "1/2", "and a half", "a hundred", "two thousand", "the year", "year-end", "the week of", "payable",
    "that year", "the following", "each July", "nights", "about", "just", "the 1988 quarter", "period",
    "last year", "to", "expected", "had been due", "by", "until",
)  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(TIME_WORDS), st.text(max_size=12)), max_size=30).map(" ".join)
dates = st.one_of(st.none(), st.datetimes(min_value=datetime(1601, 1, 1), max_value=datetime(2098, 12, 31)))


@settings(max_examples=250, deadline=None)
@given(text=texts, published=dates)
def test_find_times_never_crashes_and_spans_index_text(text: str, published: datetime | None) -> None:
    for ref in find_times(text, published):
        assert text[ref.evidence.start : ref.evidence.end] == ref.text
        assert ref.timex_type in {"DATE", "TIME", "DURATION", "SET"}
        assert ref.value
        if ref.start is not None:
            assert ref.end is not None and ref.start < ref.end
        if published is None and ref.start is not None:
            assert "X" not in ref.value  # only fully written dates resolve without an anchor


@settings(max_examples=40, deadline=None)
@given(text=texts)
def test_stage_path_with_spacy_never_crashes(nlp, text: str) -> None:  # noqa: ANN001
    for ref in find_times(text, datetime(2018, 12, 14), nlp(text)):
        assert text[ref.evidence.start : ref.evidence.end] == ref.text


@settings(max_examples=300, deadline=None)
@given(value=st.text(alphabet="0123456789-WQHTXSPUFAIMONEV:", max_size=16))
def test_value_bounds_never_crash(value: str) -> None:
    bounds = value_bounds(value)
    if bounds is not None:
        assert bounds[0] < bounds[1]


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_publication_estimate_never_crashes(text: str) -> None:
    estimate = estimate_publication_date(text)
    assert estimate is None or estimate[0] <= datetime.now()
