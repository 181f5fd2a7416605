"""events.v1 stage on sentences written for these tests, with hand-made places, times, counts and mentions."""

from __future__ import annotations

from datetime import datetime

from storyline.nlp.events import extract_events
from storyline.records import (
    Article,
    ArticleAnalysis,
    DatePrecision,
    Event,
    Evidence,
    Mention,
    PlaceRef,
    Quantity,
    TimeRef,
)

PUBLISHED = datetime(2018, 12, 15)


def span_of(text: str, needle: str, article_id: str) -> Evidence:
    start = text.index(needle)
    return Evidence(article_id, start, start + len(needle))


def analyse(ctx, text: str, **records) -> tuple[Event, ...]:  # noqa: ANN001 - pytest fixture
    article = Article.from_text(text, published=PUBLISHED)
    analysis = ArticleAnalysis(article=article, **records)
    return extract_events(ctx.nlp(text), analysis, ctx)


def article_id(text: str) -> str:
    return Article.from_text(text, published=PUBLISHED).id


def test_capture_clause_with_actors_place_and_date(ctx) -> None:  # noqa: ANN001
    text = "SDF fighters captured the town of Qasra on Friday after a week of heavy clashes."
    aid = article_id(text)
    place = PlaceRef(span_of(text, "Qasra", aid), "Qasra", name="Qasra", latitude=34.9, longitude=40.6)
    friday = TimeRef(
        span_of(text, "Friday", aid),
        "Friday",
        "DATE",
        "2018-12-14",
        datetime(2018, 12, 14),
        datetime(2018, 12, 15),
        DatePrecision.DAY,
    )
    mention = Mention(span_of(text, "SDF", aid), "SDF", "ORG", "Syrian Democratic Forces")
    events = analyse(ctx, text, places=(place,), times=(friday,), mentions=(mention,))
    capture = next(e for e in events if e.trigger == "captured")
    assert capture.sub_event_type == "Non-state actor overtakes territory"
    assert capture.actor1 == "Syrian Democratic Forces"  # mapped to the mention's entity key
    assert capture.actor2 is not None and "Qasra" in capture.actor2
    assert capture.location == place
    assert capture.date == friday
    assert capture.background is False
    assert capture.cameo == "192"
    assert text[capture.evidence.start : capture.evidence.end].startswith("SDF fighters captured")


def test_nominal_capture_takes_actor_from_by_phrase(ctx) -> None:  # noqa: ANN001
    events = analyse(ctx, "The capture of Dalim by rebel units was confirmed on the radio.")
    capture = next(e for e in events if e.trigger == "capture")
    assert capture.event_type == "Battles"
    assert capture.actor1 == "rebel units"
    assert capture.actor2 == "Dalim"


def test_air_strikes_get_fatality_range_from_killed_counts(ctx) -> None:  # noqa: ANN001
    text = "Air strikes on the market killed between 10 and 12 civilians, and wounded 30 more."
    aid = article_id(text)
    killed = Quantity(
        span_of(text, "between 10 and 12 civilians", aid),
        "between 10 and 12 civilians",
        10,
        12,
        counted="civilians",
        state="killed",
    )
    wounded = Quantity(span_of(text, "30 more", aid), "30 more", 30, 30, state="wounded")
    events = analyse(ctx, text, quantities=(killed, wounded))
    assert len(events) == 1  # "killed" folds into the strike that caused it
    strike = events[0]
    assert strike.sub_event_type == "Air/drone strike"
    assert (strike.fatalities_low, strike.fatalities_high) == (10, 12)
    assert strike.actor2 == "the market" or strike.actor2 == "market"


def test_negated_death_count_gives_zero_fatalities(ctx) -> None:  # noqa: ANN001
    text = "A roadside bomb exploded near the convoy; no one was killed."
    aid = article_id(text)
    nobody = Quantity(span_of(text, "no one", aid), "no one", 0, 0, state="killed", negated=True)
    events = analyse(ctx, text, quantities=(nobody,))
    bomb = next(e for e in events if e.sub_event_type == "Remote explosive/landmine/IED")
    assert (bomb.fatalities_low, bomb.fatalities_high) == (0, 0)


def test_missiles_fired_at_a_target(ctx) -> None:  # noqa: ANN001
    events = analyse(ctx, "The navy fired 50 missiles at the air base overnight.")
    assert len(events) == 1
    assert events[0].sub_event_type == "Shelling/artillery/missile attack"
    assert events[0].actor1 == "navy"
    assert events[0].actor2 == "air base"


def test_nominal_firefight_and_shooting(ctx) -> None:  # noqa: ANN001
    firefight = analyse(ctx, "A firefight broke out between the guards and the smugglers at dawn.")
    assert [e.sub_event_type for e in firefight] == ["Armed clash"]
    shooting = analyse(ctx, "The shooting at the wedding left four guests dead, police said.")
    assert [e.event_type for e in shooting] == ["Violence against civilians"]


def test_pluperfect_and_old_year_mark_background(ctx) -> None:  # noqa: ANN001
    events = analyse(ctx, "In 2014 the group had captured the city and declared a caliphate there.")
    assert events and all(e.background for e in events)
    events = analyse(
        ctx, "The militia has controlled the pass since 2012, and on Monday it shelled the road."
    )
    shelling = next(e for e in events if e.sub_event_type == "Shelling/artillery/missile attack")
    assert shelling.background is False


def test_old_attached_date_marks_background(ctx) -> None:  # noqa: ANN001
    text = "Troops retook Farsi in June 2015 after a long siege."
    aid = article_id(text)
    june = TimeRef(
        span_of(text, "June 2015", aid),
        "June 2015",
        "DATE",
        "2015-06",
        datetime(2015, 6, 1),
        datetime(2015, 7, 1),
        DatePrecision.MONTH,
    )
    events = analyse(ctx, text, times=(june,))
    assert len(events) == 1
    assert events[0].sub_event_type == "Government regains territory"
    assert events[0].date == june and events[0].background is True


def test_non_events_yield_nothing(ctx) -> None:  # noqa: ANN001
    for text in (
        "The committee held talks about an attack plan for the new season.",
        "Children queued outside the Attack helicopter museum.",
        "The militants threatened to attack the city if talks fail.",
        "The army did not attack the village.",
        "Officials fear the rebels could capture the dam.",
    ):
        assert analyse(ctx, text) == (), text


def test_duplicate_triggers_in_one_sentence_merge(ctx) -> None:  # noqa: ANN001
    events = analyse(
        ctx, "Rebels clashed with soldiers near the bridge, and the fighting lasted until night."
    )
    assert [e.sub_event_type for e in events] == ["Armed clash"]


def test_distinct_events_in_one_sentence_and_article(ctx) -> None:  # noqa: ANN001
    text = (
        "Shelling and air strikes hit the district on Tuesday. "
        "Police later arrested two men. Hundreds of farmers protested peacefully in the capital."
    )
    kinds = [e.sub_event_type for e in analyse(ctx, text)]
    assert "Shelling/artillery/missile attack" in kinds
    assert "Air/drone strike" in kinds
    assert "Arrests" in kinds
    assert "Peaceful protest" in kinds
    assert len(kinds) == 4


def test_open_questions_report_no_event(ctx) -> None:  # noqa: ANN001
    for text in (
        "The governor did not say how many police officers had been killed in the raid.",
        "It was not clear whether anyone was wounded in the explosion at the depot.",
        "Officials are checking if the convoy was attacked before it reached Gao.",
    ):
        assert analyse(ctx, text) == (), text


def test_a_dateline_is_not_the_actor_and_control_of_a_town_targets_the_town(ctx) -> None:  # noqa: ANN001
    text = ("MOPTI (Sahel Wire) - Fighters of the Liberation Front (LF) took control of the town of Djenne "
            "on Monday.")
    (event,) = analyse(ctx, text)
    assert event.actor1 == "Fighters of the Liberation Front"
    assert event.actor2 is not None and "Djenne" in event.actor2 and "control" not in event.actor2


def test_a_strike_that_kills_is_an_air_strike_and_a_labour_strike_is_not(ctx) -> None:  # noqa: ANN001
    (lethal,) = analyse(ctx, "Witnesses said a strike had hit a wedding party near the river, killing nine guests.")
    assert lethal.sub_event_type == "Air/drone strike"
    labour = analyse(ctx, "A general strike hit the port on Monday as dockworkers walked out over pay.")
    assert all(e.sub_event_type != "Air/drone strike" for e in labour)


def test_habits_and_types_are_not_events_but_a_present_tense_headline_is(ctx) -> None:  # noqa: ANN001
    text = ("Gunmen attack village in northern Niger\n\n"
            "Along the border, smugglers attack convoys at night and sell the fuel in the towns. "
            "Retaking a village is the easy part, the analyst said. "
            "Rebels attacked the customs post on Monday.")
    found = [(e.trigger, e.actor1) for e in analyse(ctx, text)]
    assert ("attack", "Gunmen") in found and ("attacked", "Rebels") in found
    assert all(actor != "smugglers" for _, actor in found) and all(t != "Retaking" for t, _ in found), found


def test_hyphenated_modifiers_and_wishes_are_not_events(ctx) -> None:  # noqa: ANN001
    for text in (
        "The battle-hardened recruits returned to their barracks in the north.",
        "Residents of the war-torn province queued for bread on Sunday.",
        "The gang is so keen to have the defector killed that it offered a reward for him.",
    ):
        assert analyse(ctx, text) == (), text
    # The second part of a hyphenated word still names an event.
    (event,) = analyse(ctx, "Rebels launched a counter-attack on the army post near Gao on Monday.")
    assert event.trigger.endswith("attack")


def test_a_sentence_repeated_word_for_word_is_one_event(ctx) -> None:  # noqa: ANN001
    text = ("Gunmen ambushed a convoy near the bridge. Two drivers were killed.\n\n"
            "A police officer said: \"Gunmen ambushed a convoy near the bridge. Two drivers were killed.\"")
    events = analyse(ctx, text)
    assert len([e for e in events if e.trigger == "ambushed"]) == 1, events


def test_sums_of_many_events_are_background_and_role_descriptions_are_not_events(ctx) -> None:  # noqa: ANN001
    text = ("The Liberation Front has carried out several attacks in the province since early last year. "
            "A series of ambushes cut the road in 2023. "
            "The dead included members of the militia who fight alongside the army. "
            "Rebels attacked the customs post on Monday.")
    events = analyse(ctx, text)
    by_trigger = {e.trigger: e for e in events}
    assert by_trigger["attacks"].background and by_trigger["ambushes"].background
    assert "fight" not in by_trigger
    assert not by_trigger["attacked"].background


def test_habits_told_with_a_recurring_time_or_each_are_not_events(ctx) -> None:  # noqa: ANN001
    from storyline.nlp.times import extract_times

    text = ("Every night the shelling resumes near the camp, a nurse said. "
            "Each withdrawal has been followed by weeks of looting. "
            "Troops withdrew from the base on Friday.")
    article = Article.from_text(text, published=PUBLISHED)
    doc = ctx.nlp(text)
    times = extract_times(doc, ArticleAnalysis(article=article), ctx)
    events = extract_events(doc, ArticleAnalysis(article=article, times=times), ctx)
    triggers = [e.trigger.lower() for e in events]
    assert "shelling" not in triggers and "withdrawal" not in triggers
    assert "withdrew" in triggers
