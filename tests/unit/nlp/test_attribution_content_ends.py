"""Where a reported clause ends when a second statement is coordinated onto it, and sources written
with non-breaking or doubled spaces, on hand-written sentences (PolNeAR conventions)."""

from __future__ import annotations

import pytest

from storyline.nlp.attribution_content_ends import outer_cue, without_dangling_conjunction
from storyline.nlp.quotes import ClaimOptions, claims_from_doc
from storyline.records import Article, ArticleAnalysis, Claim


def claims_of(nlp, text: str) -> list[Claim]:
    analysis = ArticleAnalysis(article=Article.from_text(text))
    return list(claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=False)))


def spans_of(text: str, claims: list[Claim]) -> list[tuple[str | None, str, str]]:
    """(source, cue, content) of each claim, as text."""
    return [
        (
            text[c.speaker_span[0] : c.speaker_span[1]] if c.speaker_span else None,
            c.cue,
            text[c.evidence.start : c.evidence.end],
        )
        for c in claims
    ]


# (text, the first statement's content, the second cue, its content, the speaker of both)
SECOND_STATEMENTS = [
    (
        "The mayor said the reservoir was nearly empty and urged residents to cut their water use.",
        "the reservoir was nearly empty",
        "urged",
        "residents to cut their water use",
        "The mayor",
    ),
    (
        "The minister said the bridge would reopen in May but admitted that repairs had barely started.",
        "the bridge would reopen in May",
        "admitted",
        "that repairs had barely started",
        "The minister",
    ),
    (
        "The union said wages had stalled and demanded that the company reopen talks.",
        "wages had stalled",
        "demanded",
        "that the company reopen talks",
        "The union",
    ),
]


@pytest.mark.parametrize(("text", "first", "cue", "second", "speaker"), SECOND_STATEMENTS)
def test_a_coordinated_cue_is_a_second_statement_of_the_same_speaker(nlp, text, first, cue, second, speaker) -> None:
    # The parser hangs "urged" on the reported clause's verb ("was"), so the clause's subject ("the
    # reservoir") would be its subject; the speaker is the outer cue's.
    spans = spans_of(text, claims_of(nlp, text))
    assert (speaker, "said", first) in spans
    assert (speaker, cue, second) in spans
    assert len(spans) == 2


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # "moved" reports nothing: the storm weakened and moved, both what officials said.
        (
            "Officials said the storm had weakened and moved east overnight.",
            "the storm had weakened and moved east overnight",
        ),
        # "or" joins alternatives inside what was said, even with a verb that could be a cue.
        (
            "The council said the budget would shrink or promise nothing new next year.",
            "the budget would shrink or promise nothing new next year",
        ),
        # A second "that"-clause continues the same content.
        ("Ruiz said the count was wrong and that she would appeal.", "the count was wrong and that she would appeal"),
    ],
)
def test_a_coordination_inside_what_was_said_stays_whole(nlp, text, content) -> None:
    spans = spans_of(text, claims_of(nlp, text))
    assert [s for s in spans if s[1] == "said"] and all(s[2] == content for s in spans if s[1] == "said")


def test_a_conjunction_left_at_the_end_of_a_clause_is_not_content(nlp) -> None:
    # The parser hangs "warned" on "told" but leaves "and" on the reported clause's verb.
    text = (
        "Ms. Alvarez told reporters that the clinic had run out of insulin "
        "and warned that more patients would fall ill."
    )
    spans = spans_of(text, claims_of(nlp, text))
    assert ("Ms. Alvarez", "told", "that the clinic had run out of insulin") in spans
    assert ("Ms. Alvarez", "warned", "that more patients would fall ill") in spans


def test_without_dangling_conjunction_keeps_a_clause_ending_in_a_word(nlp) -> None:
    doc = nlp("Prices rose and")
    assert [t.text for t in without_dangling_conjunction(list(doc))] == ["Prices", "rose"]
    doc = nlp("Prices rose sharply")
    assert [t.text for t in without_dangling_conjunction(list(doc))] == ["Prices", "rose", "sharply"]
    assert [t.text for t in without_dangling_conjunction(list(nlp("and")))] == ["and"]  # never empty


def test_outer_cue_only_for_a_subjectless_coordinated_cue(nlp) -> None:
    doc = nlp("The mayor said the reservoir was nearly empty and urged residents to cut their water use.")
    urged = next(t for t in doc if t.text == "urged")
    outer = outer_cue(urged)
    assert outer is not None and outer.text == "said"
    assert outer_cue(next(t for t in doc if t.text == "said")) is None
    # A coordinated verb with a subject of its own is a new sentence part, not a cut-off statement.
    doc = nlp("The farmers said the drought had ruined the harvest, and they asked the governor for help.")
    assert outer_cue(next(t for t in doc if t.text == "asked")) is None


# --- sources written with odd spaces -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Campaign spokesman\xa0Brian Okafor said the rally would go ahead.", "Campaign spokesman\xa0Brian Okafor"),
        ("Senator  Ana Ruiz said the vote would be close.", "Senator  Ana Ruiz"),
        ("A\xa0new survey of farmers found that most expect a poor harvest.", "A\xa0new survey of farmers"),
    ],
)
def test_a_space_that_is_not_a_line_break_stays_inside_a_source(nlp, text, source) -> None:
    spans = spans_of(text, claims_of(nlp, text))
    assert spans and spans[0][0] == source


def test_a_line_break_still_ends_a_source(nlp) -> None:
    text = "Read more\nBrian Okafor said the rally would go ahead."
    spans = spans_of(text, claims_of(nlp, text))
    assert spans and spans[0][0] == "Brian Okafor"
