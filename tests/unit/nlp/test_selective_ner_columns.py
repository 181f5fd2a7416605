"""Selective NER reads its candidate tokens column-wise (``Doc.to_array``); the result must be exactly the
token-by-token definition: a name/number tag, a number-like or calendar word, a digit anywhere, or a
capitalised word that is not a stop/function word opening its sentence; never a space or punctuation."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from storyline.nlp.model import SELECTIVE_NER_COMPONENT
from storyline.nlp.selective_ner import (
    CONTEXT_MARGIN,
    ENTITY_TAGS,
    FUNCTION_TAGS,
    LOWERCASE_ENTITY_WORDS,
    entity_candidates,
    selected_tokens,
    selection_doc,
)

TEXTS = [
    # openers: a function word, a stop word, a name; after a quote mark and after a blank line
    'The talks failed. "But Ruiz left," she said.\n\nThe end. Then Lagos.',
    # digits inside words, non-ASCII digits and capitals, a lone capital after punctuation
    "route A1 closed; ٣ trucks, Émile and Ørsted met in Zürich at 9pm — ok. i.e. X",
    # lowercase calendar and amount words, number words, spaces runs, a sentence of punctuation only
    "last week   dozens fled twice , and three   more .  ... !! tonight ?",
    # a capitalised stop word inside a sentence ("It" mid-sentence is not an opener), headline casing
    "Floods Hit The North\n\nofficials said It was over when They came",
    # all lowercase: nothing to find
    "nobody here said anything about what happened after that",
]


def reference_candidates(doc: Doc) -> list[int]:
    """The definition, one spaCy Token at a time."""
    found, opening = [], True
    for token in doc:
        if token.is_sent_start:
            opening = True
        if token.is_space or token.is_punct:
            continue
        text = token.text
        sure = (
            token.tag_ in ENTITY_TAGS
            or token.like_num
            or token.lower_ in LOWERCASE_ENTITY_WORDS
            or any(char.isdigit() for char in text)
        )
        plain_opener = opening and (token.is_stop or token.tag_ in FUNCTION_TAGS)
        if sure or (text[:1].isupper() and not plain_opener):
            found.append(token.i)
        opening = False
    return found


def tagged(nlp, text: str) -> Doc:  # noqa: ANN001 - spaCy Language
    with nlp.select_pipes(disable=[n for n in (SELECTIVE_NER_COMPONENT, "ner") if n in nlp.pipe_names]):
        return nlp(text)


@pytest.mark.parametrize("text", TEXTS)
def test_column_candidates_equal_the_token_definition(nlp, text: str) -> None:  # noqa: ANN001
    doc = tagged(nlp, text)
    assert entity_candidates(doc) == reference_candidates(doc)


def test_openers_and_mid_sentence_capitals(nlp) -> None:  # noqa: ANN001
    doc = tagged(nlp, TEXTS[3])
    words = [doc[i].text for i in entity_candidates(doc)]
    assert "It" in words and "They" in words  # capitalised stop words inside a sentence stay candidates
    assert "officials" not in words


def test_digits_anywhere_and_non_ascii_capitals_are_candidates(nlp) -> None:  # noqa: ANN001
    doc = tagged(nlp, TEXTS[1])
    words = {doc[i].text for i in entity_candidates(doc)}
    assert {"A1", "٣", "Émile", "Ørsted", "Zürich"} <= words
    assert ";" not in words and "—" not in words


def test_selection_windows_clip_at_both_ends(nlp) -> None:  # noqa: ANN001
    doc = tagged(nlp, "Ruiz " + "went on and on " * 6 + "until Lagos")
    kept = selected_tokens(doc)
    first, last = entity_candidates(doc)[0], entity_candidates(doc)[-1]
    assert kept[0] == 0 and kept[-1] == len(doc) - 1
    assert kept == sorted(set(kept))
    expected = {i for c in (first, last) for i in range(c - CONTEXT_MARGIN, c + CONTEXT_MARGIN + 1)}
    assert set(kept) == {i for i in expected if 0 <= i < len(doc)}


def test_no_candidates_and_empty_docs_select_nothing(nlp) -> None:  # noqa: ANN001
    assert selected_tokens(tagged(nlp, TEXTS[4])) == []
    assert selected_tokens(tagged(nlp, "")) == []
    piece = selection_doc(tagged(nlp, TEXTS[4]), [])
    assert len(piece) == 0


def test_selection_doc_keeps_words_spaces_and_marks_gaps(nlp) -> None:  # noqa: ANN001
    doc = tagged(nlp, "Ann's  car didn't go")
    assert [t.text for t in doc] == ["Ann", "'s", " ", "car", "did", "n't", "go"]
    kept = [0, 3, 4, 5, 6]
    piece = selection_doc(doc, kept)
    assert [t.text for t in piece] == ["Ann", "car", "did", "n't", "go"]
    # a skipped stretch becomes a space ("Ann" had none); "did" stays glued to "n't"; the last keeps none
    assert [t.whitespace_ for t in piece] == [" ", " ", "", " ", ""]
    assert [t.norm_ for t in piece] == [doc[i].norm_ for i in kept]


def test_word_form_cache_follows_the_vocab(nlp) -> None:  # noqa: ANN001
    """Stop words are a property of the vocab: a doc from another vocab must not see the first one's."""
    from spacy.vocab import Vocab

    assert entity_candidates(tagged(nlp, "The rain fell.")) == []  # "The" opening a sentence: a stop word
    bare = Doc(Vocab(), words=["The", "rain", "fell", "."])
    assert not bare.vocab["The"].is_stop
    assert entity_candidates(bare) == [0]
    assert entity_candidates(tagged(nlp, "The rain fell.")) == []
