"""The indexed attribute table must assign exactly what spaCy's attribute_ruler assigns."""

from __future__ import annotations

import pytest

from storyline.nlp.attribute_table import AttributeTable, TableRefusal, compile_table
from storyline.nlp.model import ATTRIBUTE_TABLE_COMPONENT, PARAGRAPH_COMPONENT, bare_model

# Contractions, slang lemmas (two-token rules), dependency-conditioned rules ("There is", "it" as object),
# whitespace tokens and odd casing: every kind of pattern the model's ruler has.
NASTY = [
    "Y'all gon na see it ain't nothin' .  I told you it was there, didn't I?",
    "There is a man who did it. Let's go, c'm on! They got ta leave.\n\n\nTHAT IS WHAT HE DID",
    "Officials said 12 people were killed ; the Ministry 's spokesman did not confirm it .",
    "  \t She has had enough; he does n't , and I am not sure whether it 's over.",
]


def token_attributes(doc) -> list[tuple]:  # noqa: ANN001 - spaCy Doc
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_pipeline_uses_the_table_instead_of_the_ruler(nlp) -> None:
    assert ATTRIBUTE_TABLE_COMPONENT in nlp.pipe_names
    assert "attribute_ruler" not in nlp.pipe_names
    assert "attribute_ruler" in nlp.disabled


@pytest.mark.parametrize("text", NASTY)
def test_table_assigns_what_the_ruler_assigns(nlp, text: str) -> None:
    with bare_model(nlp):
        theirs = nlp(text)
    # The paragraph marker is off in the bare model, so compare on a doc parsed the same way.
    with nlp.select_pipes(disable=[PARAGRAPH_COMPONENT]):
        ours = nlp(text)
    assert token_attributes(ours) == token_attributes(theirs)


def test_table_changes_attributes_a_tagger_alone_leaves_wrong(nlp) -> None:
    # Without the ruler the POS of "ai" in "ain't" is unset and the lemma of "nothin'" is not "nothing".
    doc = nlp("It ain't nothin' new.")
    assert [t.lemma_ for t in doc][1:4] == ["be", "not", "nothing"]
    assert doc[2].pos_ == "PART"


def test_bare_model_restores_the_pipeline(nlp) -> None:
    before = list(nlp.pipe_names)
    with bare_model(nlp):
        assert "attribute_ruler" in nlp.pipe_names
        assert ATTRIBUTE_TABLE_COMPONENT not in nlp.pipe_names
        assert PARAGRAPH_COMPONENT not in nlp.pipe_names
    assert nlp.pipe_names == before


class _Ruler:
    """The three attributes compile_table reads from spaCy's AttributeRuler."""

    def __init__(self, patterns: list[dict]) -> None:
        self.patterns = patterns
        self.attrs = [{} for _ in patterns]
        self.indices = [p.get("index", 0) for p in patterns]


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "x", "OP": "?"}],  # quantifiers
        [{"ENT_TYPE": "GPE"}],  # features the table does not read
        [{"LOWER": {"FUZZY": "hello"}}],  # operators it does not implement
        [],
    ],
)
def test_unsupported_patterns_are_refused_with_a_reason(pattern: list[dict]) -> None:
    refused = compile_table(_Ruler([{"patterns": [pattern], "attrs": {}, "index": 0}]))
    assert isinstance(refused, TableRefusal)
    assert refused.reason


def test_later_rules_win_and_index_picks_the_token(nlp) -> None:
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "alpha"}]], {"LEMMA": "first"})
    ruler.add([[{"TAG": {"IN": ["NN", "NNP"]}}]], {"LEMMA": "noun"})
    ruler.add([[{"LOWER": "alpha"}, {"LOWER": {"REGEX": "^b"}}]], {"LEMMA": "pair"}, index=-1)
    table = compile_table(ruler)
    assert isinstance(table, AttributeTable)
    docs = [nlp.make_doc("alpha beta gamma") for _ in range(2)]
    for doc in docs:
        for token, tag in zip(doc, ["NN", "NN", "VB"], strict=True):
            token.tag_ = tag
    ruler(docs[0])
    table(docs[1])
    # "alpha" keeps the later NN rule; "beta" is an NN, then the later pair rule targets it.
    assert [t.lemma_ for t in docs[1]] == ["noun", "pair", ""]
    assert [t.lemma_ for t in docs[0]] == [t.lemma_ for t in docs[1]]


def test_remembered_tokens_get_what_the_ruler_gives(nlp) -> None:
    # Second pass: every token's single-token rules now come from the table's memo, not from matching.
    text = " ".join(NASTY)
    with bare_model(nlp):
        theirs = nlp(text)
    with nlp.select_pipes(disable=[PARAGRAPH_COMPONENT]):
        first, second = nlp(text), nlp(text)
    assert token_attributes(first) == token_attributes(theirs)
    assert token_attributes(second) == token_attributes(theirs)
    table = nlp.get_pipe(ATTRIBUTE_TABLE_COMPONENT)
    assert len(table.memo) > 0
