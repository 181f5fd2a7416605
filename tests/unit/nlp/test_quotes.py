"""Behaviour of the claims stage (storyline.nlp.quotes) on hand-written sentences, and its evaluator."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from storyline.evaluate.attribution import evaluate, read_ann
from storyline.nlp.quote_marks import find_quotes
from storyline.nlp.quotes import ClaimOptions, claims_from_doc
from storyline.records import Article, ArticleAnalysis, Claim, Evidence, Mention, TimeRef


def _mentions(text: str, people: tuple[str, ...]) -> tuple[Mention, ...]:
    """PERSON mentions for each name (and for its bare surname), as the entity stage would give."""
    found = []
    article_id = Article.from_text(text).id
    for name in people:
        for form in {name, name.split()[-1]}:
            for match in re.finditer(rf"\b{re.escape(form)}\b", text):
                if any(m.evidence.start <= match.start() < m.evidence.end for m in found):
                    continue
                found.append(Mention(Evidence(article_id, match.start(), match.end()), form, "PERSON", name))
    return tuple(sorted(found, key=lambda m: m.evidence.start))


def claims_of(
    nlp, text: str, people: tuple[str, ...] = (), times: tuple[TimeRef, ...] = (), outlet: bool = False
) -> list[Claim]:
    analysis = ArticleAnalysis(article=Article.from_text(text), mentions=_mentions(text, people), times=times)
    return list(claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=outlet)))


def only(claims: list[Claim], word: str) -> Claim:
    matching = [c for c in claims if word in c.content]
    assert len(matching) == 1, [c.content for c in claims]
    return matching[0]


# --- quotation marks -------------------------------------------------------------------------------


def test_split_quote_gets_one_speaker_for_both_parts(nlp) -> None:
    text = (
        "“The river has no bridge left to cross,” harbour master Ilse Brandt told the paper. "
        "“We are rowing supplies over by hand now.”"
    )
    claims = claims_of(nlp, text, ("Ilse Brandt",))
    direct = [c for c in claims if c.direct]
    assert len(direct) == 1
    claim = direct[0]
    assert "no bridge left" in claim.content and "rowing supplies" in claim.content
    assert "told the paper" not in claim.content  # the words said, without the cue between the parts
    assert claim.speaker_key == "Ilse Brandt" and claim.speaker_kind == "named"


def test_quote_continues_into_next_paragraph_that_opens_with_a_mark(nlp) -> None:
    text = (
        "Mayor Pavel Novak spoke at dusk. “We lost the east bank this morning,” Novak said. “The water "
        "kept rising.\n\n“By noon the school was gone too.”\n\nThe council meets on Friday."
    )
    quotes = find_quotes(text)
    spanning = [q for q in quotes if "rising" in text[q.start : q.end]]
    assert len(spanning) == 1 and "school was gone" in text[spanning[0].start : spanning[0].end]
    claims = claims_of(nlp, text, ("Pavel Novak",))
    claim = only([c for c in claims if c.direct], "school was gone")
    assert claim.speaker_key == "Pavel Novak"
    assert "council meets" not in claim.content


def test_unbalanced_mark_stops_at_its_paragraph(nlp) -> None:
    text = (
        "A farmer shouted “Get the cattle up the hill and then he ran.\n\n"
        "The fire brigade said the levee would hold for two more days."
    )
    quotes = find_quotes(text)
    assert len(quotes) == 1 and not quotes[0].closed
    assert quotes[0].end == text.index("\n\n")  # capped at the paragraph end
    claims = claims_of(nlp, text)
    levee = only(claims, "levee")
    assert levee.speaker == "The fire brigade" and not levee.direct


def test_british_single_quotes_with_apostrophes_inside(nlp) -> None:
    text = "‘We don’t retreat from the ridge’s north face,’ the general said."
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == ["‘We don’t retreat from the ridge’s north face,’"]
    claim = only(claims_of(nlp, text), "retreat")
    assert claim.direct and claim.speaker == "the general"


def test_straight_double_quotes(nlp) -> None:
    text = 'Senator Ruth Okafor said: "The budget will not pass this week." Her aides declined to comment.'
    claim = only(claims_of(nlp, text, ("Ruth Okafor",)), "budget")
    assert claim.direct and claim.speaker_key == "Ruth Okafor"


# --- reported speech and speakers -----------------------------------------------------------------


def test_told_that_keeps_that_and_speaker(nlp) -> None:
    claim = only(claims_of(nlp, "Omar Haddad told reporters that the talks had collapsed.", ("Omar Haddad",)), "talks")
    assert claim.content == "that the talks had collapsed"
    assert claim.speaker == "Omar Haddad" and claim.cue == "told" and not claim.direct


def test_relative_clause_is_not_part_of_the_speaker(nlp) -> None:
    text = "Anna Berg, who leads the relief agency in the valley, said food supplies were running low."
    claim = only(claims_of(nlp, text, ("Anna Berg",)), "supplies")
    assert claim.speaker == "Anna Berg" and claim.speaker_key == "Anna Berg"
    # The source span follows PolNeAR: the whole subject phrase, relative clause included.
    assert claim.speaker_span is not None and text[slice(*claim.speaker_span)].startswith("Anna Berg, who")


def test_trailing_said_after_clause(nlp) -> None:
    claim = only(claims_of(nlp, "The ferry will resume service on Monday, the port authority said."), "ferry")
    assert claim.speaker == "the port authority" and claim.cue == "said"


def test_according_to(nlp) -> None:
    claim = only(claims_of(nlp, "According to the Red Cross, 40 families were moved to the stadium."), "families")
    assert claim.cue == "According to" and claim.speaker == "the Red Cross"
    assert claim.content.startswith("40 families")


def test_pronoun_resolves_to_gender_compatible_person(nlp) -> None:
    text = "Ms. Lena Hart met Mr. Victor Osei at the dam. Mr. Osei left early. She said the spillway was cracked."
    claim = only(claims_of(nlp, text, ("Lena Hart", "Victor Osei")), "spillway")
    assert claim.speaker_kind == "pronoun" and claim.speaker_key == "Lena Hart"


def test_pronoun_resolves_to_most_recent_person(nlp) -> None:
    text = "Ms. Lena Hart arrived first. Then Mr. Victor Osei arrived. He added that the road was blocked."
    claim = only(claims_of(nlp, text, ("Lena Hart", "Victor Osei")), "road")
    assert claim.speaker == "He" and claim.speaker_key == "Victor Osei"


def test_nominal_resolves_through_title(nlp) -> None:
    text = (
        "Border guard commander Tomas Varga inspected the post on Monday. Reporters waited for hours. "
        "Later the commander said the crossing would stay closed."
    )
    claim = only(claims_of(nlp, text, ("Tomas Varga",)), "crossing")
    assert claim.speaker_kind == "nominal" and claim.speaker_key == "Tomas Varga"


def test_anonymous_sources_keep_their_descriptor(nlp) -> None:
    claims = claims_of(
        nlp,
        "An intelligence official said the convoy had left before dawn. Officials say the road is open again.",
    )
    convoy, road = only(claims, "convoy"), only(claims, "road")
    assert (convoy.speaker, convoy.speaker_kind) == ("An intelligence official", "anonymous")
    assert road.speaker_kind == "anonymous" and road.speaker == "Officials"


# --- stance, hedges, passives -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "word", "stance"),
    [
        ("The ministry denied that its troops fired on the crowd.", "troops", "deny"),
        ("The opposition accused the government of rigging the vote.", "rigging", "accuse"),
        ("Analysts predicted that fuel prices will rise sharply.", "prices", "predict"),
        ("Engineers warned that the tunnel will flood by spring.", "tunnel", "predict"),
        ("Engineers warned that the tunnel was already leaking.", "tunnel", "assert"),
        ("The agency estimated that 4,000 people had fled the town.", "fled", "estimate"),
        ("The army confirmed that two soldiers were wounded.", "soldiers", "confirm"),
        ("The governor rejected claims that the dam was unsafe.", "dam", "deny"),
    ],
)
def test_stance_from_cue(nlp, sentence: str, word: str, stance: str) -> None:
    assert only(claims_of(nlp, sentence), word).stance == stance


def test_hedges_in_content(nlp) -> None:
    claim = only(claims_of(nlp, "The rebels may have withdrawn from the bridge, a local official said."), "rebels")
    assert "may" in claim.hedges and claim.speaker_kind == "anonymous"


def test_passive_it_was_reported_has_no_speaker_and_a_hedge(nlp) -> None:
    claim = only(claims_of(nlp, "It was reported that the old bridge collapsed overnight."), "bridge")
    assert claim.speaker is None and claim.speaker_kind == "anonymous"
    assert "it was reported" in claim.hedges
    assert claim.content.startswith("that the old bridge")


def test_passive_is_believed_to(nlp) -> None:
    claim = only(claims_of(nlp, "The militia leader is believed to be hiding in the hills."), "hiding")
    assert claim.speaker is None and "is believed to" in claim.hedges
    assert "militia leader" in claim.content


def test_said_on_uses_a_date_in_the_cue_sentence_but_not_in_the_content(nlp) -> None:
    text = "On Tuesday the minister said the border would reopen on Friday."
    article_id = Article.from_text(text).id
    tuesday = TimeRef(Evidence(article_id, 3, 10), "Tuesday", "DATE", "2024-03-05", datetime(2024, 3, 5))
    friday = TimeRef(Evidence(article_id, 55, 61), "Friday", "DATE", "2024-03-08", datetime(2024, 3, 8))
    claim = only(claims_of(nlp, text, times=(friday, tuesday)), "border")
    assert claim.said_on == datetime(2024, 3, 5)


# --- outlet claims ---------------------------------------------------------------------------------


def test_outlet_claims_only_for_sentences_with_numbers(nlp) -> None:
    text = (
        "Twelve houses were destroyed in the storm. The weather was pleasant afterwards. "
        "The mayor said 300 people were evacuated."
    )
    claims = claims_of(nlp, text, outlet=True)
    outlet = [c for c in claims if c.speaker_kind == "outlet"]
    assert [c.content for c in outlet] == ["Twelve houses were destroyed in the storm."]
    assert only(claims, "evacuated").speaker == "The mayor"
    assert not any(c.speaker_kind == "outlet" for c in claims_of(nlp, text, outlet=False))


# --- the evaluator ---------------------------------------------------------------------------------


def test_evaluate_scores_a_brat_folder(tmp_path: Path, nlp) -> None:
    text = "Maria Lopez said the bridge would reopen. The weather was mild."
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc1.txt").write_text(text, encoding="utf-8")
    ann = (
        "T1\tSource 0 11\tMaria Lopez\nT2\tCue 12 16\tsaid\nT3\tContent 17 40\tthe bridge would reopen\n"
        "T4\tAttribution 12 16\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    )
    (tmp_path / "attributions" / "doc1_b.ann").write_text(ann, encoding="utf-8")
    (tmp_path / "attributions" / "doc1_z.ann").write_text("", encoding="utf-8")  # later annotator: ignored
    gold = read_ann(tmp_path / "attributions" / "doc1_b.ann", text)
    assert gold[0].source == (0, 11) and gold[0].contents == [(17, 40)]
    result = evaluate(tmp_path, limit=5, gold_toponyms=True)
    assert result["n_docs"] == 1
    assert result["source"]["exact_f1"] == 1.0 and result["cue"]["exact_f1"] == 1.0
    assert result["content"]["exact_f1"] == 1.0 and result["attribution_f1"] == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "Colonel Dana Reyes claimed the airport was under full control.",
        "Colonel Dana Reyes announced that the curfew would be lifted.",
        "Colonel Dana Reyes revealed that the depot had been emptied weeks ago.",
        "Colonel Dana Reyes added that reinforcements were on the way.",
        "Colonel Dana Reyes argued that the ceasefire favoured the rebels.",
        "Colonel Dana Reyes says the airport is under full control.",
        "The airport is under full control, Colonel Dana Reyes said.",
    ],
)
def test_reported_speech_cue_forms(nlp, sentence: str) -> None:
    claims = claims_of(nlp, sentence, ("Dana Reyes",))
    assert len(claims) == 1
    claim = claims[0]
    assert claim.speaker_key == "Dana Reyes" and claim.speaker_kind == "named"
    assert "Reyes" not in claim.content and not claim.direct


def test_according_to_unconfirmed_reports_is_hedged_and_anonymous(nlp) -> None:
    claim = only(claims_of(nlp, "According to unconfirmed reports, the dam was hit twice overnight."), "dam")
    assert claim.speaker_kind == "anonymous" and "unconfirmed" in claim.hedges


def test_speech_inside_a_quotation_is_not_a_separate_claim(nlp) -> None:
    text = "“My brother said they would never come back,” the farmer told us."
    claims = claims_of(nlp, text)
    assert len(claims) == 1 and claims[0].speaker == "the farmer" and claims[0].direct


def test_pronoun_after_a_quote_continues_the_last_speaker(nlp) -> None:
    text = (
        "“We hold the bridge,” Captain Leo Marsh told reporters. Soldiers loyal to Ivan Petrov were seen "
        "nearby. He added that supplies were low."
    )
    claim = only(claims_of(nlp, text, ("Leo Marsh", "Ivan Petrov")), "supplies")
    assert claim.speaker_kind == "pronoun" and claim.speaker_key == "Leo Marsh"


# --- constructions added from PolNeAR train error analysis -------------------------------------------


def test_apostrophe_pair_quotes_open_and_close() -> None:
    text = "''The ferry stops at dusk,'' Kofi Mensah said. His ''plan'' was different from the farmers' plan."
    spans = [text[q.start : q.end] for q in find_quotes(text)]
    assert spans == ["''The ferry stops at dusk,''", "''plan''"]


def test_apostrophe_pair_nested_single_quote_stays_inside() -> None:
    text = "''I dislike the label 'island poor,' '' she said."
    assert [text[q.start : q.end] for q in find_quotes(text)] == ["''I dislike the label 'island poor,' ''"]


def test_apostrophe_pair_quote_is_the_content_of_said(nlp) -> None:
    text = "''We are rebuilding the pier before the storms,'' Kofi Mensah said."
    claim = only(claims_of(nlp, text, ("Kofi Mensah",)), "rebuilding the pier")
    assert claim.content == "''We are rebuilding the pier before the storms,''"
    assert claim.direct and claim.speaker_key == "Kofi Mensah"


def test_inserted_cue_makes_the_whole_clause_the_content(nlp) -> None:
    text = "Most of the closed schools, the mayor said, had fewer than forty pupils."
    claims = claims_of(nlp, text)
    assert len(claims) == 1
    claim = claims[0]
    # PolNeAR marks the host clause as content, inserted source and cue included.
    assert claim.content == "Most of the closed schools, the mayor said, had fewer than forty pupils"
    assert claim.speaker == "the mayor" and claim.cue == "said"


def test_content_does_not_reach_into_the_previous_paragraph(nlp) -> None:
    text = (
        "The founders insisted that they were not selling the orchard soon.\n\n"
        "''We are planting for our grandchildren,'' Mr. Okafor said."
    )
    claims = claims_of(nlp, text, ("Mr. Okafor",))
    planting = only(claims, "planting for our grandchildren")
    assert planting.content == "''We are planting for our grandchildren,''"
    assert "\n" not in planting.content
    assert planting.speaker_key == "Mr. Okafor"


def test_belief_verb_with_a_person_subject_is_an_attribution(nlp) -> None:
    text = "Ms. Varga doubts the bridge will reopen before winter."
    claim = only(claims_of(nlp, text, ("Ms. Varga",)), "bridge will reopen")
    assert claim.speaker == "Ms. Varga"
    assert claim.content.startswith("the bridge will reopen")


def test_clause_taking_verb_with_a_thing_subject_is_not_an_attribution(nlp) -> None:
    text = "The flood made sure the bridge would stay closed. The storm meant roads were shut."
    assert claims_of(nlp, text) == []


def test_headline_name_colon_attributes_the_rest_of_the_line(nlp) -> None:
    text = "Mayor Ines Ruiz: ‘We Will Rebuild the Harbor Before Winter’\nThe storm flooded the port."
    claims = claims_of(nlp, text, ("Ines Ruiz",))
    assert len(claims) == 1
    claim = claims[0]
    assert claim.content == "‘We Will Rebuild the Harbor Before Winter’"
    assert claim.speaker == "Mayor Ines Ruiz" and claim.cue == ":"


@pytest.mark.parametrize(
    "text",
    [
        "Related: Storm damage along the coast this week\nThe port reopened.",
        "Here is the plan: rebuild the pier and dredge the channel.",
        "Photo: Ines Ruiz at the harbor on Monday\nThe port reopened.",
    ],
)
def test_labels_and_verb_clauses_before_a_colon_are_not_sources(nlp, text: str) -> None:
    assert not [c for c in claims_of(nlp, text) if c.cue == ":"]


def test_noun_cue_with_that_clause_and_possessive_source(nlp) -> None:
    text = "Her suggestion that the ferry was unsafe drew angry replies."
    claim = only(claims_of(nlp, text), "ferry was unsafe")
    assert claim.cue == "suggestion" and claim.speaker == "Her"
    assert claim.content.startswith("that the ferry was unsafe")


def test_noun_cue_with_about_takes_the_verb_subject(nlp) -> None:
    text = "Fishermen have concerns about the new quotas."
    claim = only(claims_of(nlp, text), "new quotas")
    assert claim.cue == "concerns about" and claim.speaker == "Fishermen"
    assert claim.content == "the new quotas"


def test_noun_inside_a_verb_attribution_is_not_a_second_attribution(nlp) -> None:
    text = "The minister said the claim that rents doubled was false."
    claims = claims_of(nlp, text)
    assert len(claims) == 1 and claims[0].cue == "said"


def test_inverted_said_after_a_quote_keeps_the_source_out_of_the_content(nlp) -> None:
    text = "Rents rose again. ''The harbor is our lifeline,'' said Tomas Berg, a ferry captain from Visby."
    claim = only(claims_of(nlp, text, ("Tomas Berg",)), "lifeline")
    assert claim.content == "''The harbor is our lifeline,''"
    assert claim.speaker_span is not None
    assert text[claim.speaker_span[0] : claim.speaker_span[1]].startswith("Tomas Berg")


@pytest.mark.parametrize(
    "text",
    [
        "HAVANA (Wire) – Harbor official Ana Ruiz said the port would reopen on Monday.",
        "HAVANA, May 3 (Wire) — Harbor official Ana Ruiz told reporters that the port would reopen.",
    ],
)
def test_dateline_is_not_part_of_the_source(nlp, text: str) -> None:
    claim = only(claims_of(nlp, text, ("Ana Ruiz",)), "port would reopen")
    assert claim.speaker_span is not None
    assert text[claim.speaker_span[0] : claim.speaker_span[1]] == "Harbor official Ana Ruiz"


def test_put_pressure_is_not_an_attribution_but_put_a_toll_at_is(nlp) -> None:
    assert claims_of(nlp, "The senator put pressure on the committee to act.") == []
    claim = only(claims_of(nlp, "Local officials put the death toll at 40."), "death toll")
    assert claim.stance == "estimate" and claim.speaker == "Local officials"


def test_dash_inside_an_apposition_keeps_the_name(nlp) -> None:
    text = "Ana Ruiz — a harbor official — said the port would reopen."
    claim = only(claims_of(nlp, text, ("Ana Ruiz",)), "port would reopen")
    assert claim.speaker_span is not None
    assert text[claim.speaker_span[0] : claim.speaker_span[1]].startswith("Ana Ruiz")


def test_colon_source_after_a_lead_in_dash(nlp) -> None:
    text = "Analysts disagree - Marta Lind: “The harbor tax will not pass this year.”\nThe vote is Friday."
    claim = only(claims_of(nlp, text, ("Marta Lind",)), "harbor tax")
    assert claim.cue == ":" and claim.speaker == "Marta Lind"
    assert claim.content == "“The harbor tax will not pass this year.”"


def _span(text: str, span: tuple[int, int] | None) -> str | None:
    return text[span[0] : span[1]] if span else None


def test_short_follow_up_quote_joins_the_quote_before_it(nlp) -> None:
    text = '"We are going to fix every road this year," Mayor Ana Ruiz said on Monday. "Big time."'
    claims = claims_of(nlp, text)
    assert len(claims) == 1
    assert claims[0].evidence.end == len(text)  # the content runs on to the end of the follow-up
    assert claims[0].content.endswith('"Big time."')
    assert _span(text, claims[0].speaker_span) == "Mayor Ana Ruiz"


def test_short_scare_quote_inside_a_sentence_stays_unattributed(nlp) -> None:
    text = (
        '"We are going to fix every road this year," Mayor Ana Ruiz said. '
        'Road builders welcomed what they call a "fast track" budget.'
    )
    ruiz = [c for c in claims_of(nlp, text) if _span(text, c.speaker_span) == "Mayor Ana Ruiz"]
    assert len(ruiz) == 1
    assert "fast track" not in ruiz[0].content


def test_short_quote_after_unquoted_speech_is_not_a_follow_up(nlp) -> None:
    # The follow-up rule continues a direct quotation only; reported speech has no quote to continue.
    text = 'The mayor said the roads would be fixed. "Sure."'
    claims = claims_of(nlp, text)
    assert all("Sure" not in c.content for c in claims)


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        (
            "Ms. Park argued that a registry would keep fraud out of the program, saying it was a matter of "
            "basic management.",
            "saying",
            "Ms. Park",
            "it was a matter of basic management",
        ),
        (
            "The spokesman said the talks had stalled, insisting that the company would not raise its offer.",
            "insisting",
            "The spokesman",
            "that the company would not raise its offer",
        ),
    ],
)
def test_trailing_speech_participle_is_its_own_attribution(nlp, text, cue, source, content) -> None:
    claims = claims_of(nlp, text)
    inner = [c for c in claims if c.cue == cue]
    assert len(inner) == 1, [(c.cue, c.content) for c in claims]
    assert _span(text, inner[0].speaker_span) == source  # the outer speaker, not a subject inside the clause
    assert inner[0].content == content
    outer = [c for c in claims if c.cue != cue]
    assert len(outer) == 1 and content in outer[0].content  # the outer attribution keeps its whole content


def test_nested_belief_stays_inside_the_outer_content(nlp) -> None:
    # "believes" inside what the mayor said is part of the mayor's words, not a second attribution.
    text = "The mayor said that the governor believes the new tax plan will fail."
    claims = claims_of(nlp, text)
    assert [c.cue for c in claims] == ["said"]
    assert "believes" in claims[0].content


def test_short_quote_after_an_intervening_sentence_is_not_a_follow_up(nlp) -> None:
    text = '"We are going to fix every road this year," Mayor Ana Ruiz said. The council disagreed. "No way."'
    ruiz = [c for c in claims_of(nlp, text) if _span(text, c.speaker_span) == "Mayor Ana Ruiz"]
    assert len(ruiz) == 1 and "No way" not in ruiz[0].content


def test_short_follow_up_quote_in_the_next_paragraph_joins(nlp) -> None:
    text = '"We are going to fix every road this year," Mayor Ana Ruiz said.\n"Every single one."'
    claims = claims_of(nlp, text)
    assert len(claims) == 1 and claims[0].content.endswith('"Every single one."')
