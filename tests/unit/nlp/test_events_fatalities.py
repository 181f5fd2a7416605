"""Event fatalities: several killed groups in one sentence are summed; repeats, subsets and totals are not."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.nlp.counts import quantities_in
from storyline.nlp.event_fatalities import group_key, sentence_fatalities
from storyline.nlp.events import extract_events
from storyline.records import Article, ArticleAnalysis, Evidence, Quantity

PUBLISHED = datetime(2021, 3, 9)


def killed(text: str, needle: str, low: float | None, high: float | None, counted: str | None, **extra) -> Quantity:
    start = text.index(needle)
    return Quantity(
        Evidence("a", start, start + len(needle)), needle, low, high, counted=counted, state="killed", **extra
    )


def fatalities_of(nlp, text: str, quantities: list[Quantity]) -> tuple[float | None, float | None]:  # noqa: ANN001
    sentence = next(iter(nlp(text).sents))
    return sentence_fatalities(quantities, sentence)


def test_two_groups_are_summed_with_their_ranges(nlp) -> None:  # noqa: ANN001
    text = "Three border guards and between 4 and 6 herders were killed when the convoy was ambushed."
    quantities = [
        killed(text, "Three", 3, 3, "guards"),
        killed(text, "between 4 and 6", 4, 6, "herders"),
    ]
    assert fatalities_of(nlp, text, quantities) == (7, 9)


def test_an_open_ended_group_makes_the_sum_open_ended(nlp) -> None:  # noqa: ANN001
    text = "Two medics and at least eleven miners died after the tunnel was shelled."
    quantities = [killed(text, "Two", 2, 2, "medics"), killed(text, "at least eleven", 11, None, "miners")]
    assert fatalities_of(nlp, text, quantities) == (13, None)


def test_same_group_reported_twice_is_counted_once(nlp) -> None:  # noqa: ANN001
    text = "Four cadets were killed in the raid, officials said, and the four cadets killed were buried on Sunday."
    first = killed(text, "Four", 4, 4, "cadets")
    start = text.index("four cadets killed")
    second = Quantity(Evidence("a", start, start + 4), "four", 4, 4, counted="cadets", state="killed")
    assert fatalities_of(nlp, text, [first, second]) == (4, 4)


def test_group_updated_to_a_higher_toll_keeps_the_higher_report(nlp) -> None:  # noqa: ANN001
    text = "Six miners were killed at first, and later nine miners were confirmed killed by the company."
    quantities = [killed(text, "Six", 6, 6, "miners"), killed(text, "nine", 9, 9, "miners")]
    assert fatalities_of(nlp, text, quantities) == (9, 9)


def test_subset_after_including_is_not_added_to_the_total(nlp) -> None:  # noqa: ANN001
    text = "Fourteen villagers were killed, including five children, when the market was bombed."
    quantities = [killed(text, "Fourteen", 14, 14, "villagers"), killed(text, "five", 5, 5, "children")]
    assert fatalities_of(nlp, text, quantities) == (14, 14)


def test_general_toll_and_group_sum_are_not_added(nlp) -> None:  # noqa: ANN001
    text = "The fighting killed 2 policemen and 9 gunmen, bringing the death toll to 11."
    quantities = [
        killed(text, "2", 2, 2, "policemen"),
        killed(text, "9", 9, 9, "gunmen"),
        killed(text, "11", 11, 11, None),
    ]
    assert fatalities_of(nlp, text, quantities) == (11, 11)
    larger_total = [*quantities[:2], killed(text, "11", 15, 15, "people")]
    assert fatalities_of(nlp, text, larger_total) == (15, 15)


def test_negated_count_is_zero_and_other_sentences_are_ignored(nlp) -> None:  # noqa: ANN001
    text = "Nobody was killed in the blast. Later, 30 sheep were killed by wolves."
    start = text.index("Nobody")
    nobody = Quantity(Evidence("a", start, start + 6), "Nobody", 0, 0, state="killed", negated=True)
    elsewhere = killed(text, "30", 30, 30, "sheep")
    assert fatalities_of(nlp, text, [nobody, elsewhere]) == (0, 0)


def test_sentence_without_killed_counts_has_no_fatalities(nlp) -> None:  # noqa: ANN001
    text = "Twenty protesters were wounded in the capital."
    start = text.index("Twenty")
    wounded = Quantity(Evidence("a", start, start + 6), "Twenty", 20, 20, counted="protesters", state="wounded")
    assert fatalities_of(nlp, text, [wounded]) == (None, None)


@pytest.mark.parametrize(
    ("counted", "affiliation", "expected"),
    [
        ("soldiers", None, "|soldier"),
        ("Soldier", None, "|soldier"),
        ("fighters", "ISIS", "isis|fighter"),
        ("people", None, None),
        (None, None, None),
        ("victims", None, None),
        ("bus", None, "|bus"),
        ("policemen", None, "|policeman"),
        ("militias", None, "|militia"),
        ("bodyguard", None, "|bodyguard"),
    ],
)
def test_group_key_merges_plural_and_case_but_not_general_words(counted, affiliation, expected) -> None:  # noqa: ANN001
    quantity = Quantity(Evidence("a", 0, 1), "3", 3, 3, counted=counted, affiliation=affiliation, state="killed")
    assert group_key(quantity) == expected


def test_stage_sums_groups_read_from_the_parse(ctx) -> None:  # noqa: ANN001
    text = "Rebels killed 4 policemen and between 6 and 8 villagers in a raid on the town on Tuesday."
    article = Article.from_text(text, published=PUBLISHED)
    doc = ctx.nlp(text)
    analysis = ArticleAnalysis(article=article, quantities=tuple(quantities_in(doc, article.id)))
    events = extract_events(doc, analysis, ctx)
    assert events, "the raid/killing should be an event"
    assert all((e.fatalities_low, e.fatalities_high) == (10, 12) for e in events)
