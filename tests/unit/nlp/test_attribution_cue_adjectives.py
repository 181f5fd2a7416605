"""Adjective cues ("aides are confident that …") and the claims stage's cue gate, on hand-written sentences."""

from __future__ import annotations

from storyline.nlp.attribution_cue_adjectives import cue_adjectives
from storyline.nlp.claim_token_table import token_table
from storyline.nlp.quote_marks import find_quotes
from storyline.nlp.quotes import ClaimOptions, _tokens_outside_quotes, claims_from_doc
from storyline.records import Article, ArticleAnalysis, Claim


def claims_of(nlp, text: str) -> list[Claim]:  # noqa: ANN001 - spaCy Language
    analysis = ArticleAnalysis(article=Article.from_text(text))
    return list(claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=False)))


def spans(text: str, claim: Claim) -> tuple[str, str, str | None]:
    source = text[claim.speaker_span[0] : claim.speaker_span[1]] if claim.speaker_span else None
    return claim.cue or "", claim.content, source


def test_learned_table_holds_attitudes_not_abilities() -> None:
    learned = cue_adjectives()
    assert {"eager", "skeptical", "confident"} <= learned
    assert not {"able", "likely", "ready"} & learned  # mostly plain predication in news, not a stance


def test_confident_that_clause_is_an_attribution(nlp) -> None:
    text = "The harbour pilots were confident that the new channel would open before the storms."
    claim = next(c for c in claims_of(nlp, text) if "channel" in c.content)
    expected = ("were confident", "that the new channel would open before the storms", "The harbour pilots")
    assert spans(text, claim) == expected


def test_preposition_joins_the_cue_and_its_object_is_the_content(nlp) -> None:
    text = "Farm unions have been deeply skeptical of the water-sharing deal."
    claim = next(c for c in claims_of(nlp, text) if "deal" in c.content)
    assert spans(text, claim) == ("have been deeply skeptical of", "the water-sharing deal", "Farm unions")


def test_infinitive_keeps_to_in_the_content(nlp) -> None:
    text = "The mayor was eager to reopen the ferry terminal by spring."
    claim = next(c for c in claims_of(nlp, text) if "ferry" in c.content)
    assert spans(text, claim) == ("was eager", "to reopen the ferry terminal by spring", "The mayor")


def test_speech_verb_after_the_adjective_joins_the_cue(nlp) -> None:
    # "quick to point out that …": PolNeAR's cue runs through the speech verb; its clause is the content.
    text = "Her aides were quick to point out that the bridge had been inspected twice."
    claim = next(c for c in claims_of(nlp, text) if "bridge" in c.content)
    assert spans(text, claim) == ("were quick to point out", "that the bridge had been inspected twice", "Her aides")


def test_attitude_without_complement_or_ability_is_no_attribution(nlp) -> None:
    text = "The villagers were angry. The crews were able to clear the road by noon."
    assert claims_of(nlp, text) == []


def test_adjective_inside_a_quotation_is_the_quoted_speaker_s_words(nlp) -> None:
    text = "“We are confident that the levee will hold,” the engineer said."
    claims = claims_of(nlp, text)
    assert len(claims) == 1
    assert claims[0].cue == "said" and claims[0].content.startswith("“We are confident")


def test_tokens_outside_quotes_skip_every_quoted_token(nlp) -> None:
    text = "He said “rain is coming” and left. She wrote ''not today'' twice."
    doc = nlp(text)
    outside = {doc[i].text for i in _tokens_outside_quotes(token_table(doc), find_quotes(text))}
    assert {"He", "said", "left", "She", "wrote", "twice"} <= outside
    assert not {"rain", "coming", "not", "today"} & outside
