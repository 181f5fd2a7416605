"""clean_text: each kind of web debris goes, section headings and prose stay, offsets map back exactly."""

from __future__ import annotations

import pytest

from storyline.ingest.cleaning import LineKind, classify_lines, clean_text, debris_kind
from storyline.records import OffsetSegment


def assert_offsets_exact(raw: str, text: str, segments: tuple[OffsetSegment, ...]) -> None:
    covered = 0
    for seg in segments:
        assert seg.clean_start == covered, "segments must tile the cleaned text in order"
        copied = raw[seg.raw_start : seg.raw_start + seg.length]
        assert copied == text[seg.clean_start : seg.clean_start + seg.length]
        covered += seg.length
    assert covered == len(text)


def kinds_of(raw: str, title: str | None = None) -> dict[str, LineKind]:
    return {raw[v.start : v.end]: v.kind for v in classify_lines(raw, title=title) if v.start != v.end}


PROSE = (
    "The river burst its banks near the old mill on Sunday, flooding forty homes.\n\n"
    "Rescue teams used boats to reach families stranded on rooftops, officials said."
)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Show More", LineKind.INTERFACE),
        ("Read more: why the dam failed", LineKind.INTERFACE),
        ("Related Articles", LineKind.INTERFACE),
        ("RELATED STORIES", LineKind.INTERFACE),
        ("Back to top button", LineKind.INTERFACE),
        ("Share this article", LineKind.INTERFACE),
        ("Sign up for our free morning newsletter", LineKind.INTERFACE),
        ("Most read in Regional News", LineKind.INTERFACE),
        ("Leave a Reply", LineKind.INTERFACE),
        ("Your email address will not be published. Required fields are marked *", LineKind.INTERFACE),
        ("Required fields are marked *", LineKind.INTERFACE),
        ("Please disable your ad blocker to keep reading", LineKind.INTERFACE),
        ("Your browser does not support the video tag.", LineKind.INTERFACE),
        ("This website uses cookies to give you the best experience. Accept all cookies", LineKind.INTERFACE),
        ("Advertisement", LineKind.INTERFACE),
        ("©RiverPress – Volunteers fill sandbags outside the town hall.", LineKind.CREDIT),
        ("Photo: Jane Roe / Valley Herald", LineKind.CREDIT),
        ("Image: handout", LineKind.CREDIT),
        ("Firefighters pump water from a flooded cellar (Getty Images)", LineKind.CREDIT),
        ("Source: Valley Herald", LineKind.SOURCE_TRAILER),
        ("View this post on Instagram", LineKind.SOCIAL_EMBED),
        ("By Ann Smith | Reuters", LineKind.BYLINE),
        ("BY TOM HALE", LineKind.BYLINE),
        ("Written by Ann Smith and Bo Li, Staff Writers", LineKind.BYLINE),
        ("Reporting by Farid Noor; Editing by Lee Moss", LineKind.CREDIT),
        ("Published: March 12, 2019 | Updated: March 14, 2019", LineKind.PAGE_DATE),
        ("Updated: Dec 14, 2018 10:02 GMT", LineKind.PAGE_DATE),
        ("* * *", LineKind.SYMBOLS),
        ("------", LineKind.SYMBOLS),
    ],
)
def test_debris_vocabulary(line: str, kind: LineKind) -> None:
    assert debris_kind(line) is kind


@pytest.mark.parametrize(
    "line",
    [
        "Big losses",  # short section headings are content
        "Hiding in the hills?",
        "RIVER LEADER",
        "Sign up rates for the volunteer brigade doubled after the floods, the mayor said.",
        "Share prices of the insurer fell by a third when the scale of the damage became clear.",
        "Related measures were announced by the regional government on Monday.",
        "Source of the leak remains unclear, engineers say",  # no colon: a sentence, not a trailer
        "The photographer said the water had risen two metres overnight.",
        "Cookies and cakes were handed out to evacuees at the school gym by volunteers on Sunday.",
        # Embedded posts are statements with an author and a date: kept.
        "Flood water reaches the bridge pic.twitter.com/AbC123xyz",
        "— River Watch (@riverwatch) April 2, 2023",
        # Starts like a byline or a date line but is prose.
        "By Tuesday, most families had left",
        "By the time the pumps arrived the cellar was full",
        "By March the water was gone",
        "Posted a video in 2019 showing the bridge",
        "Published in 2019, the report warned of exactly this flood.",
        "Reporting by the regional broadcaster suggested the dam was safe.",
    ],
)
def test_content_lines_are_not_debris(line: str) -> None:
    assert debris_kind(line) is None


def test_long_sentence_containing_ui_words_is_kept() -> None:
    sentence = (
        "Officials said residents who wanted to share this information with neighbours should "
        "read more of the council's guidance before returning home, because the water was unsafe."
    )
    assert debris_kind(sentence) is None


def test_repeated_headline_removed_first_kept() -> None:
    raw = f"Floods hit valley towns\n\nFloods hit valley towns\n\n{PROSE}"
    text, segments = clean_text(raw)
    assert text.count("Floods hit valley towns") == 1
    assert text.startswith("Floods hit valley towns\n\nThe river burst")
    assert_offsets_exact(raw, text, segments)


def test_title_repeated_later_in_text_is_removed_but_kept_as_first_line() -> None:
    raw = f"Floods hit valley towns\n\n{PROSE}\n\nFLOODS HIT VALLEY TOWNS\n\nMore prose follows, she said."
    text, _ = clean_text(raw, title="Floods hit valley towns")
    assert text.startswith("Floods hit valley towns\n")
    assert "FLOODS HIT VALLEY TOWNS" not in text
    raw_without_title_first = f"{PROSE}\n\nFloods hit valley towns"
    text2, _ = clean_text(raw_without_title_first, title="Floods hit valley towns")
    assert "Floods hit valley towns" not in text2


def test_section_headings_and_prose_survive_full_page_of_debris() -> None:
    raw = (
        "Floods hit valley towns\n\n"
        "Floods hit valley towns\n\n"
        "The river burst its banks near the old mill on Sunday, flooding forty homes.\n\n"
        "Big losses\n\n"
        "Farmers lost at least 300 sheep, the union said.\n\n"
        "Who pays?\n\n"
        "Insurers have not said whether the damage is covered.  \n\n"
        "©RiverPress – Volunteers fill sandbags outside the town hall.\n\n"
        "Show More\n\nRelated Articles\n\nDam inspections delayed again\n\n"
        "Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n\n"
        "Back to top button\n\n\n\n"
        "Source: Valley Herald\n"
    )
    text, segments = clean_text(raw)
    assert text == (
        "Floods hit valley towns\n\n"
        "The river burst its banks near the old mill on Sunday, flooding forty homes.\n\n"
        "Big losses\n\n"
        "Farmers lost at least 300 sheep, the union said.\n\n"
        "Who pays?\n\n"
        "Insurers have not said whether the damage is covered."
    )
    assert_offsets_exact(raw, text, segments)
    kinds = kinds_of(raw)
    # The teaser headline of another story sits inside the trailing debris block.
    assert kinds["Dam inspections delayed again"] is LineKind.TRAILING_DEBRIS
    assert kinds["Big losses"] is LineKind.CONTENT


def test_short_last_line_without_debris_block_is_kept() -> None:
    raw = f"{PROSE}\n\nThe end of an era\n\nSource: Valley Herald"
    text, _ = clean_text(raw)
    assert text.endswith("The end of an era")  # one debris line is not a debris block


def test_whitespace_normalized_with_exact_offsets() -> None:
    raw = "  Title line   \r\n\r\n\r\n\r\nFirst   paragraph\twith\t\tgaps.\n \n\t\nSecond paragraph.   \nThird line."
    text, segments = clean_text(raw)
    assert text == "Title line\n\nFirst paragraph\twith\tgaps.\n\nSecond paragraph.\nThird line."
    assert_offsets_exact(raw, text, segments)


def test_single_newlines_between_paragraphs_stay_single_after_removal() -> None:
    raw = "One sentence of news here.\nAdvertisement\nAnother sentence of news here."
    text, segments = clean_text(raw)
    assert text == "One sentence of news here.\nAnother sentence of news here."
    assert_offsets_exact(raw, text, segments)


@pytest.mark.parametrize("raw", ["", "\n\n\n", "   ", "Advertisement", "* * *\n---"])
def test_empty_or_all_debris_gives_empty_text(raw: str) -> None:
    assert clean_text(raw) == ("", ())


def test_unicode_text_keeps_offsets() -> None:
    raw = "Réfugiés à Ouagadougou\n\n« Nous avons tout perdu », a dit Aïcha.\n\n© Photo – légende"
    text, segments = clean_text(raw)
    assert "légende" not in text and "Aïcha" in text
    assert_offsets_exact(raw, text, segments)


def test_short_repeated_structure_lines_are_kept_but_long_repeated_paragraph_goes() -> None:
    paragraph = (
        "The pumping station at the north end of the embankment failed shortly after midnight, "
        "and the water reached the first houses on the estate within twenty minutes, they said."
    )
    raw = (
        "Valley flood: what we know\n\n"
        "Day one\nShelters opened\n\nDay two\nShelters opened\n\n"  # repeated labels are structure
        f"{paragraph}\n\n{paragraph}\n\nThe council will meet on Friday."
    )
    text, segments = clean_text(raw)
    assert text.count("Shelters opened") == 2
    assert text.count(paragraph) == 1
    assert_offsets_exact(raw, text, segments)


def test_heading_ending_with_acronym_in_brackets_is_not_a_photo_credit() -> None:
    assert debris_kind("The long debate over the electronic patient record (ePA)") is None
    caption = "Residents queue for water in the town square (AFP via Getty Images)"
    assert debris_kind(caption) is LineKind.CREDIT
