"""The trained cue classifier and its features, through the claims stage, on hand-written sentences."""

from __future__ import annotations

from storyline.nlp.attribution_cues import attribution_lexicon, cue_classifier, cue_features
from storyline.nlp.attribution_verbs import reports_clause
from storyline.nlp.quotes import ClaimOptions, claims_from_doc
from storyline.records import Article, ArticleAnalysis, Claim


def claims_of(nlp, text: str) -> list[Claim]:  # noqa: ANN001 - spaCy Language
    analysis = ArticleAnalysis(article=Article.from_text(text))
    return list(claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=False)))


def test_features_name_the_clause_opening_and_nearby_quote_marks(nlp) -> None:
    doc = nlp("Engineers asked whether the pumps could run, “as planned,” she added.")
    features = set(cue_features(doc[1], {}, frozenset()))
    assert {"mark=whether", "lemma_mark=ask|whether", "quote_near=True", "subj=NOUN"} <= features
    far = nlp("Engineers asked whether the pumps could run through the whole of the long and stormy night ahead.")
    assert "quote_near=False" in cue_features(far[1], {}, frozenset())


def test_features_of_a_passive_name_its_agent(nlp) -> None:
    doc = nlp("The levee plan was criticised by the engineers.")
    verb = next(t for t in doc if t.lemma_ == "criticise")
    features = set(cue_features(verb, {}, frozenset({"engineer"})))
    assert {"passive", "lemma_passive=criticise", "agent=human"} <= features


def test_classifier_adds_an_object_taking_verb_outside_every_word_list(nlp) -> None:
    text = "The coach downplayed the knee injury."
    doc = nlp(text)
    verb = doc[2]
    lexicon = attribution_lexicon()
    assert not (lexicon.is_cue_verb(verb) or reports_clause(verb))  # only the classifier can find it
    claims = claims_of(nlp, text)
    assert [(c.cue, c.content, c.speaker) for c in claims] == [("downplayed", "the knee injury", "The coach")]


def test_plain_actions_with_a_person_subject_are_not_attributions(nlp) -> None:
    text = "The mayor opened the new bridge on Friday. The crew repaired the pumps overnight."
    assert claims_of(nlp, text) == []


def test_a_noun_naming_a_topic_is_not_a_cue(nlp) -> None:
    assert claims_of(nlp, "The history of the dam is long, and the study of its floods is older still.") == []


def test_possessed_noun_with_a_that_clause_is_a_cue(nlp) -> None:
    text = "The minister's insistence that the dam was safe angered residents."
    claim = next(c for c in claims_of(nlp, text) if c.cue == "insistence")
    assert claim.content.startswith("that the dam was safe")
    assert claim.speaker_span is not None and text[claim.speaker_span[0] : claim.speaker_span[1]] == "The minister's"


def test_said_inside_a_quotation_is_not_a_second_attribution(nlp) -> None:
    text = "“They said the dam would hold,” the engineer told reporters."
    claims = claims_of(nlp, text)
    assert [(c.cue, c.speaker) for c in claims] == [("told", "the engineer")]
    assert claims[0].content == "“They said the dam would hold,”"


def test_veto_with_a_given_probability_matches_its_own_scoring(nlp) -> None:
    classifier = cue_classifier()
    doc = nlp("The rebels put pressure on the garrison, and officials put the toll at 40.")
    for verb in (t for t in doc if t.pos_ == "VERB"):
        assert classifier.vetoes(verb, classifier.probability(verb)) == classifier.vetoes(verb)
