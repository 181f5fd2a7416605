"""Selective NER: the stock recognizer run only near possible entity tokens must find what it finds on the
whole text, put the entities at the right offsets, and leave the skipped stretches outside any entity."""

from __future__ import annotations

import os

import pytest
from spacy.tokens import Doc

from storyline.nlp.model import FULL_NER_VARIABLE, SELECTIVE_NER_COMPONENT, bare_model
from storyline.nlp.selective_ner import (
    SelectiveEntityRecognizer,
    entity_candidates,
    map_entities_back,
    selected_tokens,
    selection_doc,
)

# Long lowercase stretches between the names and numbers, so that the selection really cuts the text.
LONG_QUIET = (
    "it was quiet for a while and nobody in the crowd seemed to want to talk about what had happened "
    "before the storm, so the people waited and waited while the rain kept falling on the old roofs"
)
NASTY = [
    # a sentence opening with a name and otherwise lowercase; a lowercase number word; a calendar word
    f"Okonkwo says the plan will fail. {LONG_QUIET}. the talks lasted three dozen days, and {LONG_QUIET}.",
    # names only after a long lowercase run; a contraction whose norm the tokenizer sets
    f"{LONG_QUIET}, and then the mayor of Port Harcourt didn't wait. {LONG_QUIET} until last week.",
    # digits glued to words, money, a percentage, headline line breaks, a lone name at the very end
    f"Floods in the north\n\n{LONG_QUIET}. repairs cost $4.5m, up 12% from the 1990s. {LONG_QUIET} — Amina",
    # nothing that can be an entity at all
    f"{LONG_QUIET}.",
]


def without_ner(nlp, text: str) -> Doc:  # noqa: ANN001 - spaCy Language
    """The text through every component before NER (tags and sentence starts set, no entities)."""
    with nlp.select_pipes(disable=[name for name in (SELECTIVE_NER_COMPONENT, "ner") if name in nlp.pipe_names]):
        return nlp(text)


def entities(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


@pytest.fixture(scope="module")
def recognizer(nlp) -> SelectiveEntityRecognizer:  # noqa: ANN001 - spaCy Language
    return SelectiveEntityRecognizer(nlp.get_pipe("ner"))


@pytest.mark.skipif(os.environ.get(FULL_NER_VARIABLE) == "1", reason="selective NER switched off")
def test_pipeline_runs_the_selective_recognizer_and_bare_model_the_stock_one(nlp) -> None:  # noqa: ANN001
    before = list(nlp.pipe_names)
    assert SELECTIVE_NER_COMPONENT in before and "ner" not in before
    with bare_model(nlp):
        assert "ner" in nlp.pipe_names and SELECTIVE_NER_COMPONENT not in nlp.pipe_names
    assert nlp.pipe_names == before


@pytest.mark.parametrize("text", NASTY)
def test_selective_entities_equal_whole_text_entities(nlp, recognizer, text: str) -> None:  # noqa: ANN001
    stock = nlp.get_pipe("ner")(without_ner(nlp, text))
    ours = recognizer(without_ner(nlp, text))
    assert entities(ours) == entities(stock)
    assert [t.ent_iob_ for t in ours] == [t.ent_iob_ for t in stock]  # "O", never unset, where skipped


def test_name_opening_a_lowercase_sentence_and_number_words_are_found(nlp, recognizer) -> None:  # noqa: ANN001
    doc = recognizer(without_ner(nlp, NASTY[0]))
    found = {e.text for e in doc.ents}
    assert "Okonkwo" in found
    assert any("three dozen" in text for text in found)


def test_selection_skips_long_lowercase_stretches_and_keeps_offsets(nlp, recognizer) -> None:  # noqa: ANN001
    doc = without_ner(nlp, NASTY[1])
    kept = selected_tokens(doc)
    assert 0 < len(kept) < len(doc) // 2
    assert doc[0].i not in kept  # the opening lowercase stretch is far from any name
    recognizer(doc)
    for ent in doc.ents:
        assert doc.text[ent.start_char : ent.end_char] == ent.text
    assert {"Port Harcourt", "last week"} <= {e.text for e in doc.ents}


def test_candidates_are_names_numbers_and_calendar_words_not_sentence_openers(nlp) -> None:  # noqa: ANN001
    doc = without_ner(nlp, "The rain fell. But Lagos flooded twice in 2019, and it rained again tonight.")
    assert [doc[i].text for i in entity_candidates(doc)] == ["Lagos", "twice", "2019", "tonight"]


def test_selection_doc_copies_norms_and_separates_gaps(nlp) -> None:  # noqa: ANN001
    doc = without_ner(nlp, "they didn't stop here at all")
    piece = selection_doc(doc, [0, 1, 2, 5])
    assert [t.norm_ for t in piece] == ["they", "do", "not", "at"]
    assert piece.text == "they didn't at "  # no space inside "didn't", one where tokens were skipped


def test_entity_straddling_a_gap_is_dropped_and_the_rest_are_outside(nlp) -> None:  # noqa: ANN001
    doc = Doc(nlp.vocab, words=["Ada", "said", "so", "in", "New", "York"])
    piece = Doc(nlp.vocab, words=["Ada", "said", "New", "York"], ents=["B-PERSON", "B-ORG", "I-ORG", "O"])
    map_entities_back(doc, piece, [0, 1, 4, 5])  # "said New" joins tokens 1 and 4 of the text: not an entity
    assert entities(doc) == [(0, 3, "PERSON")]
    assert [t.ent_iob_ for t in doc] == ["B", "O", "O", "O", "O", "O"]


def test_batched_pipe_equals_one_at_a_time(nlp, recognizer) -> None:  # noqa: ANN001
    one_by_one = [entities(recognizer(without_ner(nlp, text))) for text in NASTY]
    batched = list(recognizer.pipe((without_ner(nlp, text) for text in NASTY), batch_size=3))
    assert [entities(doc) for doc in batched] == one_by_one


def test_empty_text_has_no_entities(nlp, recognizer) -> None:  # noqa: ANN001
    assert recognizer(without_ner(nlp, "")).ents == ()
