"""PolNeAR-style span conventions of the claims stage on hand-written sentences: source boundaries,
as-clauses, nested reported speech, participle sources, misprinted quote marks and noun cues."""

from __future__ import annotations

from storyline.nlp.attribution_cues import CLASSIFIED_POS, cue_classifier, cue_features
from storyline.nlp.attribution_nouns import noun_attribution
from storyline.nlp.quote_marks import find_quotes
from storyline.nlp.quotes import ClaimOptions, claims_from_doc
from storyline.records import Article, ArticleAnalysis, Claim


def claims_of(nlp, text: str) -> list[Claim]:
    analysis = ArticleAnalysis(article=Article.from_text(text))
    return list(claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=False)))


def source_of(text: str, claim: Claim) -> str | None:
    return text[claim.speaker_span[0] : claim.speaker_span[1]] if claim.speaker_span else None


def with_cue(claims: list[Claim], cue_word: str) -> Claim:
    matching = [c for c in claims if cue_word in (c.cue or "")]
    assert len(matching) == 1, [(c.cue, c.content) for c in claims]
    return matching[0]


# --- source boundaries -----------------------------------------------------------------------------


def test_source_keeps_its_quantifying_adverb(nlp) -> None:
    text = "Nearly half of the ferry workers said the new timetable would not last the winter."
    claim = with_cue(claims_of(nlp, text), "said")
    assert source_of(text, claim) == "Nearly half of the ferry workers"


def test_source_keeps_an_emphatic_reflexive(nlp) -> None:
    text = "The harbour pilots themselves said that the channel was too shallow for tankers."
    claim = with_cue(claims_of(nlp, text), "said")
    assert source_of(text, claim) == "The harbour pilots themselves"


def test_source_keeps_a_quoted_title_in_its_apposition(nlp) -> None:
    text = "Mara Quist, the author of “Salt Roads,” said the old canal would reopen in spring."
    claim = with_cue(claims_of(nlp, text), "said")
    source = source_of(text, claim)
    assert source is not None and source.startswith("Mara Quist, the author of “Salt Roads")
    assert "reopen" not in source


def test_source_drops_a_participle_set_off_by_commas(nlp) -> None:
    text = "Dr. Ivo Lentz, speaking at the clinic on Friday, said the vaccine supply had run out."
    claim = with_cue(claims_of(nlp, text), "said")
    assert source_of(text, claim) == "Dr. Ivo Lentz"
    assert "supply had run out" in claim.content


def test_source_of_a_participle_is_the_noun_it_modifies_without_the_cue(nlp) -> None:
    text = "The town council met with farmers claiming that the dam had flooded their fields."
    claim = with_cue(claims_of(nlp, text), "claiming")
    assert source_of(text, claim) == "farmers"
    assert claim.content.startswith("that the dam had flooded")


# --- content --------------------------------------------------------------------------------------


def test_as_clause_reports_the_main_clause(nlp) -> None:
    text = "As the Gazette reported, the mill will close two of its three lines next year."
    claim = with_cue(claims_of(nlp, text), "reported")
    assert source_of(text, claim) == "the Gazette"
    assert claim.content.startswith("the mill will close")
    assert "Gazette" not in claim.content


def test_outer_report_wins_over_a_cue_nested_in_its_content(nlp) -> None:
    # "admits" comes first but sits inside what Okafor said: the outer attribution is the one kept. (The
    # first version of this test put "says" in a "While …" clause outside Okafor's content, where "the
    # mayor says [every rumour]" is an attribution of its own.)
    text = "Even the mayor admits the budget was cut by half, Okafor said."
    claims = claims_of(nlp, text)
    claim = with_cue(claims, "said")
    assert source_of(text, claim) == "Okafor"
    assert "budget was cut" in claim.content
    assert not any(c.cue == "admits" for c in claims)


# --- quotation marks ------------------------------------------------------------------------------


def test_opening_curly_mark_typed_as_a_closer_still_closes_the_quote() -> None:
    text = "“It is far too late,“ said the warden. “We should have acted in May.”"
    quotes = [text[q.start : q.end] for q in find_quotes(text)]
    assert quotes == ["“It is far too late,“", "“We should have acted in May.”"]


def test_opening_mark_before_a_word_is_not_taken_for_a_closer() -> None:
    text = "She called it “a “managed” retreat” twice."
    quotes = [text[q.start : q.end] for q in find_quotes(text)]
    assert all(not q.endswith("“") for q in quotes)


# --- cue classifier -------------------------------------------------------------------------------


def test_classifier_features_describe_nouns_by_their_possessor_and_preposition(nlp) -> None:
    doc = nlp("Her support for the new bridge surprised the council.")
    support = doc[1]
    assert support.pos_ in CLASSIFIED_POS
    features = cue_features(support, {}, frozenset())
    assert "pos=NOUN" in features and "subj=pron" in features and "prep=for" in features


def test_classifier_scores_a_speech_verb_above_a_motion_verb(nlp) -> None:
    classifier = cue_classifier()
    said = nlp("The inspector said that the boilers were unsafe.")[2]
    walked = nlp("The inspector walked to the boilers on Monday.")[2]
    assert classifier.probability(said) > 0.5 > classifier.probability(walked)


def test_poll_after_in_is_the_source_of_the_clause_before_it(nlp) -> None:
    text = "The mayor trails her rival by six points in the latest Harbour Gazette poll."
    claim = with_cue(claims_of(nlp, text), "in")
    assert source_of(text, claim) == "the latest Harbour Gazette poll"
    assert claim.content == "The mayor trails her rival by six points"


def test_in_with_an_ordinary_place_is_no_attribution(nlp) -> None:
    text = "The mayor opened a new library in the old harbour district."
    assert not any(c.cue == "in" for c in claims_of(nlp, text))


def test_seem_has_no_source_and_keeps_its_subject_in_the_content(nlp) -> None:
    text = "The ferry operators seemed ready to abandon the northern route."
    claim = with_cue(claims_of(nlp, text), "seemed")
    assert claim.speaker_span is None
    assert claim.content.startswith("The ferry operators seemed ready")


def test_source_closes_a_dash_aside(nlp) -> None:
    text = "Her closest ally — a retired judge — said the inquiry had been rigged."
    claim = with_cue(claims_of(nlp, text), "said")
    assert source_of(text, claim) == "Her closest ally — a retired judge —"


def test_source_leaves_out_a_date_attached_to_it(nlp) -> None:
    text = "The harbour authority on Monday said that the pier would stay closed."
    claim = with_cue(claims_of(nlp, text), "said")
    assert source_of(text, claim) == "The harbour authority"


def test_noun_of_intent_takes_its_infinitive_as_content(nlp) -> None:
    text = "The mayor's plan to flood the quarry angered the farmers."
    doc = nlp(text)
    plan = next(t for t in doc if t.lower_ == "plan")
    attribution = noun_attribution(plan, [])
    assert attribution is not None
    assert text[attribution.content[0] : attribution.content[1]] == "to flood the quarry"
    assert attribution.source is not None and doc[attribution.source[0] : attribution.source[1]].text == "The mayor's"


def test_a_subject_inside_the_quote_is_not_the_speaker(ctx) -> None:  # noqa: ANN001
    from storyline.pipeline import analyze_text

    text = (
        '"Every week the farmers tell us the same thing: no seed, no fuel, and no buyers for the harvest," '
        "a spokeswoman for the cooperative said."
    )
    speakers = {c.speaker for c in analyze_text(text, ctx).claims if c.direct}
    assert speakers and not any(s and ("seed" in s or "fuel" in s or "buyers" in s) for s in speakers)
