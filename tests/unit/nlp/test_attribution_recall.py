"""Attributions the recall rules add, on hand-written sentences: passive participles with a by-phrase
("a levy rejected by …"), "the argument is that …", Title Case headlines and "reportedly"; and what they
must leave alone."""

from __future__ import annotations

from storyline.nlp.attribution_adverbs import adverb_attribution
from storyline.nlp.attribution_cues import attribution_lexicon
from storyline.nlp.attribution_headlines import headline_attributions
from storyline.records import Claim

from .test_attribution_cue_adjectives import claims_of, spans


def cue_of(text: str, claims: list[Claim], word: str) -> Claim | None:
    return next((c for c in claims if c.cue_span and word in text[c.cue_span[0] : c.cue_span[1]]), None)


def test_participle_with_by_phrase_judges_the_noun_before_it(nlp) -> None:
    text = "Lawmakers revived a levy rejected by three earlier councils."
    claim = cue_of(text, claims_of(nlp, text), "rejected")
    assert claim is not None
    assert spans(text, claim) == ("rejected by", "a levy", "three earlier councils")


def test_participle_inside_an_apposition_keeps_its_adverb_in_the_cue(nlp) -> None:
    text = "The toll plan, a measure fiercely opposed by the ferry workers' union, passed on Monday."
    claim = cue_of(text, claims_of(nlp, text), "opposed")
    assert claim is not None
    assert spans(text, claim) == ("fiercely opposed by", "a measure", "the ferry workers' union")


def test_participle_of_a_non_speech_verb_is_no_attribution(nlp) -> None:
    text = "The bridge, built by a Danish firm in 1998, carries 40,000 cars a day."
    assert cue_of(text, claims_of(nlp, text), "built") is None


def test_noun_equated_with_a_that_clause(nlp) -> None:
    text = "Her central argument is that the harbour needs a second pier."
    claim = cue_of(text, claims_of(nlp, text), "argument")
    assert claim is not None
    assert spans(text, claim) == ("central argument", "that the harbour needs a second pier", "Her")


def test_copular_clause_needs_a_cue_noun(nlp) -> None:
    text = "The problem is that the harbour needs a second pier."
    assert claims_of(nlp, text) == []


def test_title_case_headline_verb_attributes_the_rest_of_the_line(nlp) -> None:
    text = "Harbour Chief Ana Reyes Slams Ferry Toll Plan\n\nThe harbour chief spoke on Monday."
    claim = cue_of(text, claims_of(nlp, text), "Slams")
    assert claim is not None
    assert spans(text, claim) == ("Slams", "Ferry Toll Plan", "Harbour Chief Ana Reyes")


def test_headline_content_stops_at_a_colon_and_a_comma_ends_the_lead_in(nlp) -> None:
    text = "After Long Strike, Dock Union Endorses Ana Reyes: Vote Is Unanimous\n\nThe vote came late."
    claim = cue_of(text, claims_of(nlp, text), "Endorses")
    assert claim is not None
    assert spans(text, claim) == ("Endorses", "Ana Reyes", "Dock Union")


def test_headline_rule_skips_lines_without_title_case_or_with_a_verb_before_the_cue(nlp) -> None:
    lexicon = attribution_lexicon()
    plain = nlp("The harbour chief slams the ferry toll plan in a long letter.")
    assert headline_attributions(plain, lexicon, []) == []
    nested = nlp("Dock Workers Gather To Hear Chief Who Slams Toll Plan")
    assert headline_attributions(nested, lexicon, []) == []


def test_headline_with_an_attribution_already_found_gets_no_second(nlp) -> None:
    doc = nlp("Harbour Chief Ana Reyes Slams Ferry Toll Plan")
    first = headline_attributions(doc, attribution_lexicon(), [])
    assert len(first) == 1
    assert headline_attributions(doc, attribution_lexicon(), first) == []


def test_reportedly_attributes_its_clause_from_the_subject_on(nlp) -> None:
    text = "In a quiet deal, the ferry company has reportedly hired two new captains for the winter."
    claim = cue_of(text, claims_of(nlp, text), "reportedly")
    assert claim is not None
    assert spans(text, claim) == (
        "reportedly",
        "the ferry company has reportedly hired two new captains for the winter",
        None,
    )


def test_reportedly_before_a_speech_verb_leaves_it_to_the_verb(nlp) -> None:
    text = "The mayor reportedly said the pier would open in May."
    doc = nlp(text)
    adverb = next(t for t in doc if t.lower_ == "reportedly")
    assert adverb_attribution(adverb, [], attribution_lexicon()) is None
    claim = cue_of(text, claims_of(nlp, text), "said")
    assert claim is not None
    assert spans(text, claim) == ("reportedly said", "the pier would open in May", "The mayor")


def test_writer_hedges_are_not_reporting_adverbs(nlp) -> None:
    text = "The ferry apparently left the harbour early on Sunday."
    assert claims_of(nlp, text) == []


def test_cue_ending_its_paragraph_with_a_colon_reads_the_next_paragraph(nlp) -> None:
    text = (
        "The harbour master answered the council on Friday.\n\n"
        "Ana Reyes responded:\n\n"
        "We will not close the north pier while the ferries still need it.\n\n"
        "The council adjourned."
    )
    claim = cue_of(text, claims_of(nlp, text), "responded")
    assert claim is not None
    assert claim.content == "We will not close the north pier while the ferries still need it"
    assert spans(text, claim)[2] == "Ana Reyes"


def test_colon_with_content_on_the_same_line_is_read_the_ordinary_way(nlp) -> None:
    text = "Ana Reyes responded: the north pier stays open.\n\nThe council adjourned."
    claims = claims_of(nlp, text)
    assert not any("council adjourned" in c.content for c in claims)


def test_non_cue_verb_before_a_colon_takes_no_paragraph(nlp) -> None:
    text = "The ferry schedule changed:\n\nBoats leave at six and at nine."
    assert claims_of(nlp, text) == []
