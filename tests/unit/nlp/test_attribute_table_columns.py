"""The column-wise attribute table: per-token rows, replayed tokens and the memo's exact fallbacks must
give exactly what spaCy's attribute_ruler gives."""

from __future__ import annotations

import pytest
from spacy.attrs import IDS
from spacy.pipeline import AttributeRuler

import storyline.nlp.attribute_table as attribute_table
from storyline.nlp.attribute_table import AttributeTable, TableRefusal, compile_table
from storyline.nlp.model import PARAGRAPH_COMPONENT, bare_model

TEXTS = [
    "Y'all gon na see it ain't over. There are two men who said they got ta leave; let's go.",
    "THE MINISTER SAID 14 WERE KILLED . c'm on , there is no doubt , she does n't know .",
    "  \n\n  A tab\tand\u00a0a no-break space; ‘quoted’ words and “more” of them.",
]
ALL_ATTRIBUTES = sorted(
    v for k, v in IDS.items() if k not in ("", "NULL_ATTR", "SENT_END") and not k.startswith("FLAG")
)


def _tagged(nlp, words: str, tags: list[str]):  # noqa: ANN001, ANN202 - spaCy objects
    doc = nlp.make_doc(words)
    for token, tag in zip(doc, tags, strict=True):
        token.tag_ = tag
    return doc


def _ruler_and_table(nlp, rules: list[tuple[list, dict, int]]):  # noqa: ANN001, ANN202 - spaCy objects
    ruler = AttributeRuler(nlp.vocab)
    for pattern, attrs, index in rules:
        ruler.add([pattern], attrs, index=index)
    table = compile_table(ruler)
    assert isinstance(table, AttributeTable)
    return ruler, table


def test_a_token_reached_by_a_longer_rule_keeps_its_other_columns(nlp) -> None:
    # "beta" gets POS from a single rule and LEMMA from the pair rule, then a later single rule's LEMMA.
    ruler, table = _ruler_and_table(
        nlp,
        [
            ([{"TAG": "NN"}], {"POS": "NOUN"}, 0),
            ([{"LOWER": "alpha"}, {"LOWER": {"REGEX": "^b"}}], {"LEMMA": "pair"}, -1),
            ([{"LOWER": "beta"}], {"LEMMA": "second"}, 0),
            ([{"LOWER": "gamma"}, {"LOWER": "delta"}], {"LEMMA": "late"}, 0),
        ],
    )
    words, tags = "alpha beta gamma delta beta", ["NN", "NN", "VB", "NN", "VB"]
    theirs, ours = _tagged(nlp, words, tags), _tagged(nlp, words, tags)
    ruler(theirs)
    table(ours)
    assert [(t.pos_, t.lemma_) for t in ours] == [
        ("NOUN", ""),
        ("NOUN", "second"),
        ("", "late"),
        ("NOUN", ""),
        ("", "second"),
    ]
    assert (ours.to_array(ALL_ATTRIBUTES) == theirs.to_array(ALL_ATTRIBUTES)).all()


def test_a_longer_rule_at_the_doc_end_does_not_match(nlp) -> None:
    ruler, table = _ruler_and_table(nlp, [([{"LOWER": "gon"}, {"LOWER": "na"}], {"LEMMA": "go"}, 0)])
    doc = _tagged(nlp, "we gon", ["PRP", "VBG"])
    table(doc)
    assert [t.lemma_ for t in doc] == ["", ""]


def test_attributes_the_table_cannot_write_are_refused(nlp) -> None:
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "x"}]], {"NORM": "ex"})
    refused = compile_table(ruler)
    assert isinstance(refused, TableRefusal)
    assert "NORM" in refused.reason or "attributes" in refused.reason


def _model_arrays(nlp, texts: list[str]) -> list:  # noqa: ANN001 - spaCy Language
    with nlp.select_pipes(disable=[PARAGRAPH_COMPONENT]):
        return [doc.to_array(ALL_ATTRIBUTES) for doc in nlp.pipe(texts)]


@pytest.fixture
def ruler_arrays(nlp) -> list:  # noqa: ANN001 - spaCy Language
    with bare_model(nlp):
        return [doc.to_array(ALL_ATTRIBUTES) for doc in nlp.pipe(TEXTS)]


def test_a_mixed_key_collision_takes_the_exact_path(nlp, ruler_arrays) -> None:
    table = nlp.get_pipe("storyline_attribute_table")
    _model_arrays(nlp, TEXTS)  # every token of the texts is now remembered
    saved = dict(table.memo)
    # Point every mixed key at one row, as if all of them collided: the stored full keys disagree.
    table.memo.update(dict.fromkeys(table.memo, 0))
    try:
        ours = _model_arrays(nlp, TEXTS)
    finally:
        table.memo.clear()
        table.memo.update(saved)
    assert all((a == b).all() for a, b in zip(ours, ruler_arrays, strict=True))


def test_a_full_memo_starts_afresh_between_docs(nlp, ruler_arrays, monkeypatch) -> None:
    table = nlp.get_pipe("storyline_attribute_table")
    monkeypatch.setattr(attribute_table, "MEMO_CAPACITY", 5)
    ours = _model_arrays(nlp, TEXTS)
    assert all((a == b).all() for a, b in zip(ours, ruler_arrays, strict=True))
    # Only the last doc's tokens are remembered: the memo was reset before it, not in the middle of it.
    assert 5 <= len(table.known) <= len(nlp.make_doc(TEXTS[-1]))
