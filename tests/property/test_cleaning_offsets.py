"""Property: whatever the raw text, every cleaned character is a copy of the raw character it maps to."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.ingest.cleaning import clean_text

DEBRIS_LINES = (
    "Show More", "Related Articles", "Leave a Reply", "Back to top", "Advertisement", "* * *",
    "Your email address will not be published. Required fields are marked *", "Source: Some Outlet",
    "©Agency – A caption under a photo", "Photo: Someone", "We use cookies. Accept all cookies",
)

prose_line = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\n"), max_size=80
)
spacing = st.sampled_from(["", " ", "  ", "\t", " \t ", "\r"])
line = st.one_of(
    prose_line,
    st.sampled_from(DEBRIS_LINES),
    st.builds(lambda pre, text, post: pre + text + post, spacing, st.sampled_from(DEBRIS_LINES), spacing),
    st.just(""),
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(line, max_size=25), title=st.one_of(st.none(), prose_line))
def test_every_segment_maps_exactly(lines: list[str], title: str | None) -> None:
    raw = "\n".join(lines)
    text, segments = clean_text(raw, title=title)
    covered = 0
    for seg in segments:
        assert seg.clean_start == covered
        assert seg.length > 0
        copied = raw[seg.raw_start:seg.raw_start + seg.length]
        assert copied == text[seg.clean_start:seg.clean_start + seg.length]
        covered += seg.length
    assert covered == len(text)
    # Raw order is preserved, and no two segments copy the same raw character.
    raw_starts = [s.raw_start for s in segments]
    assert raw_starts == sorted(raw_starts)
    for before, after in zip(segments, segments[1:], strict=False):
        assert before.raw_start + before.length <= after.raw_start
    # Whitespace normalization: no blank-line runs and no trailing spaces on a line.
    assert "\n\n\n" not in text
    assert all(part == part.rstrip(" \t") for part in text.split("\n"))
    assert text == text.strip()


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(st.sampled_from(DEBRIS_LINES), min_size=1, max_size=10))
def test_debris_only_input_cleans_to_nothing(lines: list[str]) -> None:
    assert clean_text("\n\n".join(lines))[0] == ""
