"""Stage quantities.v1 on sentences: what is counted, by whom, in what state, and what is skipped."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.nlp.counts import extract_quantities
from storyline.pipeline import Context
from storyline.records import Article, ArticleAnalysis, Quantity


def quantities(ctx: Context, text: str) -> tuple[Quantity, ...]:
    analysis = ArticleAnalysis(article=Article.from_text(text, published=datetime(2020, 5, 1)))
    return extract_quantities(ctx.nlp(text), analysis, ctx)


def by_text(found: tuple[Quantity, ...]) -> dict[str, Quantity]:
    return {q.text: q for q in found}


@pytest.mark.slow
def test_conjoined_groups_share_the_passive_verb(ctx: Context) -> None:
    text = "At least 700 militants and 250 army soldiers were killed in the assault."
    found = by_text(quantities(ctx, text))
    militants, soldiers = found["At least 700"], found["250"]
    assert (militants.low, militants.high) == (700, None)
    assert (militants.counted, militants.state) == ("militants", "killed")
    assert (soldiers.counted, soldiers.affiliation, soldiers.state) == ("soldiers", "army", "killed")


@pytest.mark.slow
def test_passive_state_survives_a_subject_misparsed_after_an_attribution(ctx: Context) -> None:
    # The parser hangs "rebels" on the source's apposition; the state still comes from "were killed".
    text = ("According to Maria Lopez, director of the Andes Monitoring Centre for Human Rights, "
            "at least 300 rebels and 80 police officers were killed in the siege of Puerto Alto.")
    found = by_text(quantities(ctx, text))
    assert (found["at least 300"].counted, found["at least 300"].state) == ("rebels", "killed")
    assert (found["80"].counted, found["80"].state) == ("officers", "killed")


@pytest.mark.slow
def test_a_participle_after_an_object_is_not_a_passive(ctx: Context) -> None:
    found = by_text(quantities(ctx, "The convoy carried 40 tonnes of flour and 12 doctors injured nobody."))
    assert found["12"].state is None


@pytest.mark.slow
def test_the_agent_of_a_killing_is_not_killed(ctx: Context) -> None:
    found = by_text(quantities(ctx, "Thirty gunmen killed nine villagers on Sunday."))
    assert found["Thirty"].state is None
    assert (found["nine"].counted, found["nine"].state) == ("villagers", "killed")


@pytest.mark.slow
def test_a_side_that_lost_fighters_is_their_affiliation(ctx: Context) -> None:
    found = by_text(quantities(ctx, "The Free Syrian Army lost six hundred fighters in the battle."))
    assert (found["six hundred"].state, found["six hundred"].affiliation) == ("killed", "Free Syrian Army")


@pytest.mark.slow
def test_of_phrases_and_nominal_states(ctx: Context) -> None:
    found = by_text(quantities(ctx, "The court ordered the execution of 18 of the prisoners."))
    assert (found["18"].counted, found["18"].state) == ("prisoners", "executed")
    found = by_text(quantities(ctx, "Hundreds of farmers fled when the dam burst."))
    assert (found["Hundreds"].low, found["Hundreds"].counted, found["Hundreds"].state) == (200, "farmers", "displaced")


@pytest.mark.slow
def test_toll_copula_gives_killed(ctx: Context) -> None:
    found = quantities(ctx, "The death toll from the mudslide climbed to 61 overnight.")
    assert [(q.low, q.counted, q.state) for q in found] == [(61, None, "killed")]


@pytest.mark.slow
def test_negations_are_zero_and_flagged(ctx: Context) -> None:
    found = quantities(ctx, "Nobody was injured, the plant's owner said.")
    assert [(q.low, q.high, q.negated, q.state) for q in found] == [(0, 0, True, "wounded")]
    found = quantities(ctx, "There were no fatalities among the crew.")
    assert [(q.low, q.negated, q.state) for q in found] == [(0, True, "killed")]


@pytest.mark.slow
def test_other_states(ctx: Context) -> None:
    text = (
        "Police detained 14 students. About 90 soldiers surrendered. Some 40 hikers are missing. "
        "Up to 800 fighters remain holed up in the caves. The ministry sent 3,000 troops north. "
        "Gunmen abducted 7 nurses."
    )
    states = {q.text: q.state for q in quantities(ctx, text)}
    assert states == {
        "14": "captured",
        "About 90": "surrendered",
        "Some 40": "missing",
        "Up to 800": "remaining",
        "3,000": "deployed",
        "7": "kidnapped",
    }


@pytest.mark.slow
def test_measures_keep_their_unit_and_no_counted_thing(ctx: Context) -> None:
    found = quantities(ctx, "The donors pledged $4.5 million after the column advanced 12 km in 3 days.")
    assert [(q.text, q.low, q.unit, q.counted) for q in found] == [
        ("$4.5 million", 4_500_000, "USD", None),
        ("12 km", 12, "km", None),
        ("3 days", 3, "day", None),
    ]


@pytest.mark.slow
def test_years_ages_dates_and_idioms_are_not_counts(ctx: Context) -> None:
    text = (
        "In 2016 the 52-year-old mayor, 52, met Resolution 2254 envoys on 4 July at 9 pm. "
        "One day, on the one hand, he called 0800 555 0199."
    )
    assert quantities(ctx, text) == ()


@pytest.mark.slow
def test_a_year_followed_by_a_plural_noun_is_a_count(ctx: Context) -> None:
    found = quantities(ctx, "Officials said 1500 refugees arrived, more than in the 2015 floods.")
    assert [(q.low, q.counted) for q in found] == [(1500, "refugees")]


@pytest.mark.slow
def test_evidence_spans_index_the_article_text(ctx: Context) -> None:
    text = "Local sources said roughly 2,000 residents were evacuated and a dozen were hurt."
    for q in quantities(ctx, text):
        assert text[q.evidence.start : q.evidence.end] == q.text
    assert [q.state for q in quantities(ctx, text)] == ["displaced", "wounded"]


def test_text_without_numbers_gives_nothing_quickly(ctx: Context) -> None:
    from storyline.nlp.numbers import has_number_words

    assert not has_number_words("The talks resumed in Geneva amid tight security.")


@pytest.mark.slow
def test_state_words_after_a_bare_number_and_toll_objects(ctx: Context) -> None:
    assert [q.state for q in quantities(ctx, "The shelling left at least 14 dead.")] == ["killed"]
    found = quantities(ctx, "Rescuers found two more bodies, bringing the toll to 38.")
    assert [(q.low, q.state) for q in found] == [(2, None), (38, "killed")]
    found = quantities(ctx, "The number of injured could exceed 300, medics said.")
    assert [(q.low, q.state) for q in found] == [(300, "wounded")]


@pytest.mark.slow
def test_a_range_conjoined_to_a_killed_object_is_killed_too(ctx: Context) -> None:
    # The parser hangs "between" on the verb; the range is still the verb's second object.
    found = by_text(quantities(ctx, "Raiders killed 4 herders and between 6 and 8 traders near the well."))
    assert (found["4"].counted, found["4"].state) == ("herders", "killed")
    ranged = found["between 6 and 8"]
    assert (ranged.low, ranged.high, ranged.counted, ranged.state) == (6, 8, "traders", "killed")
    counted = by_text(quantities(ctx, "Raiders counted 4 herders and between 6 and 8 traders near the well."))
    assert counted["between 6 and 8"].state is None  # "count" gives its object no state
