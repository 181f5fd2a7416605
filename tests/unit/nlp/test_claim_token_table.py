"""The claims stage's token table must say exactly what spaCy's Token API says: the stage's output depends
on it (cue tests, classifier features, quotation masks), so every reading is checked against the Token."""

from __future__ import annotations

from storyline.nlp.attribution_cue_features import QUOTE_MARK_TEXTS, cue_features_at
from storyline.nlp.attribution_cues import cue_classifier
from storyline.nlp.claim_token_table import token_table
from storyline.nlp.quote_marks import find_quotes
from storyline.nlp.quotes import _tokens_outside_quotes

# Nasty on purpose: curly and straight quotes, a quote opening mid-token, a paragraph break, an inverted
# cue, a passive with an agent, numbers in words and digits, non-ASCII names, a colon line, a lone root.
TEXTS = (
    "Officials said on Tuesday that forty people had died, according to the Red Cross.\n\n"
    "“It is bad,” she told CNN. ''Not today,'' said Ann Lee-Ruiz, who was accused by rivals of lying.",
    'Mayor Ruiz: "We will rebuild." The fear is that 3,000 homes were lost; Zoë Øberg reportedly denied it.',
    "Storm",
    "He wrote \"half a quote and then\n\nnothing closed it. They're confident it'll pass, aren't they?",
)


def _each_doc(nlp):
    return [nlp(text) for text in TEXTS]


def test_table_matches_the_token_api_on_every_token(nlp) -> None:
    for doc in _each_doc(nlp):
        table = token_table(doc)
        for token in doc:
            i = token.i
            assert table.lower[i] == token.lower_
            assert table.lemma[i] == token.lemma_.lower()
            assert (table.pos[i], table.tag[i], table.dep[i]) == (token.pos_, token.tag_, token.dep_)
            assert table.ent_type[i] == token.ent_type_
            assert table.head[i] == token.head.i
            assert table.children(i) == [c.i for c in token.children]
            assert (table.idx[i], table.length[i]) == (token.idx, len(token))
            assert bool(table.like_num[i]) == token.like_num
            # Quote marks are found by their lower form: it must be the mark itself.
            assert (table.lower[i] in QUOTE_MARK_TEXTS) == (token.text in QUOTE_MARK_TEXTS)


def test_table_is_built_once_per_doc_and_empty_docs_work(nlp) -> None:
    doc = nlp("She said so.")
    assert token_table(doc) is token_table(doc)
    empty = token_table(nlp(""))
    assert empty.lower == [] and empty.kids_start == [0]


def test_features_from_the_table_match_those_of_the_token(nlp) -> None:
    """``cue_features`` (what training reads) and the stage's table features are one computation."""
    classifier = cue_classifier()
    from storyline.nlp.attribution_cues import cue_features

    for doc in _each_doc(nlp):
        table = token_table(doc)
        for token in doc:
            if token.pos_ in ("VERB", "NOUN"):
                features = cue_features_at(doc, table, token.i, classifier.prior, classifier.human_nouns)
                assert features == cue_features(token, classifier.prior, classifier.human_nouns)
                assert features[:3] == ["bias", f"pos={token.pos_}", f"lemma={token.lemma_.lower()}"]


def test_passive_agent_and_clause_mark_features(nlp) -> None:
    doc = nlp("The plan was criticised by the mayor. Ann said that it failed.")
    table = token_table(doc)
    classifier = cue_classifier()
    criticised = next(t for t in doc if t.lower_ == "criticised")
    said = next(t for t in doc if t.lower_ == "said")
    passive = cue_features_at(doc, table, criticised.i, classifier.prior, classifier.human_nouns)
    assert "passive" in passive and "agent=human" in passive  # "mayor" is a role word
    clause = cue_features_at(doc, table, said.i, classifier.prior, classifier.human_nouns)
    assert "mark=that" in clause and "that_clause" in clause and "child=ccomp" in clause


def test_tokens_outside_quotes_by_bisection(nlp) -> None:
    for text in TEXTS:
        doc = nlp(text)
        quotes = find_quotes(text)
        outside = _tokens_outside_quotes(token_table(doc), quotes)
        expected = [
            t.i for t in doc if not any(q.start < t.idx + len(t) and t.idx < q.end for q in quotes)
        ]  # the plain definition: a token is out when it overlaps no quotation
        assert outside == expected
    doc = nlp("No quotes here at all.")
    assert _tokens_outside_quotes(token_table(doc), []) == list(range(len(doc)))


def test_quote_loops_stop_early_without_changing_answers() -> None:
    """The span helpers stop at the first quotation past the span (quotations are ordered, disjoint);
    compare them with the plain definitions on every small span around three quotations."""
    from storyline.nlp.attribution_spans import grow_to_quotes, is_direct, quote_overlapping
    from storyline.nlp.quote_marks import QuoteSpan

    quotes = [QuoteSpan(3, 8, True), QuoteSpan(12, 14, True), QuoteSpan(20, 30, False)]
    text = "x" * 40
    for start in range(0, 32):
        for end in range(start, 34):
            overlapping = [q for q in quotes if q.start < end and start < q.end]
            assert quote_overlapping(quotes, start, end) == (overlapping[0] if overlapping else None)
            covered = sum(max(0, min(end, q.end) - max(start, q.start)) for q in quotes)
            assert is_direct(quotes, start, end) == (end > start and covered >= 0.6 * (end - start))
            for cue in (0, 5, 13, 25, 33):
                grown_start, grown_end = start, end
                for q in quotes:  # the definition: every quotation the (growing) span touches
                    if q.start < grown_end and grown_start < q.end and not q.start <= cue < q.end:
                        wider = min(grown_start, q.start), max(grown_end, q.end)
                        if grown_start <= cue < grown_end or not wider[0] <= cue < wider[1]:
                            grown_start, grown_end = wider
                assert grow_to_quotes(text, quotes, start, end, (cue, cue + 1)) == (grown_start, grown_end)
