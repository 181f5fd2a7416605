"""The memoized lemma table must give every token exactly the lemma spaCy's rule lemmatizer gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from storyline.nlp.lemma_table import LemmaTable
from storyline.nlp.model import ATTRIBUTE_TABLE_COMPONENT, LEMMA_TABLE_COMPONENT, bare_model

# Irregular plurals and verbs, comparatives, proper nouns that look plural, shouting, numbers with
# suffixes, hyphens, abbreviations, contractions whose lemmas the attribute table presets, the same word
# as noun and verb, whitespace runs and symbols.
NASTY = [
    "The geese and mice were fleeing; the children's toys lay where the oxen had been.",
    "He saw the saw. She saws wood; they SAW nothing, and the sawing went on better than the worst day.",
    "The Philippines, the United States and the Netherlands said Analyses of U.S. data are best left alone.",
    "In the 1990s well-known militants re-armed, ain't they? We're gon na see: 3rd-party claims, 12,000 dead.",
    "  \n\n KILLED: 14 Wounded:22 — Officials' statements ; the Ministry 's spokesman didn't say #Hajin :)",
    "Leaves leave; he leaves the leaves. Fled, flees, fleeing; bodies, bodied, busier, busiest, mis-spelled woords.",
]


@contextmanager
def real_lemmatizer(nlp) -> Iterator[None]:  # noqa: ANN001 - spaCy Language
    """The pipeline with spaCy's own lemmatizer in place of the table."""
    nlp.disable_pipe(LEMMA_TABLE_COMPONENT)
    nlp.enable_pipe("lemmatizer")
    try:
        yield
    finally:
        nlp.disable_pipe("lemmatizer")
        nlp.enable_pipe(LEMMA_TABLE_COMPONENT)


def analysed(doc) -> list[tuple[str, str, str, str]]:  # noqa: ANN001 - spaCy Doc
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc]


def test_pipeline_uses_the_table_instead_of_the_lemmatizer(nlp) -> None:
    assert LEMMA_TABLE_COMPONENT in nlp.pipe_names
    assert "lemmatizer" not in nlp.pipe_names
    assert nlp.pipe_names.index(ATTRIBUTE_TABLE_COMPONENT) < nlp.pipe_names.index(LEMMA_TABLE_COMPONENT)


def test_bare_model_puts_the_lemmatizer_back(nlp) -> None:
    before = list(nlp.pipe_names)
    with bare_model(nlp):
        assert "lemmatizer" in nlp.pipe_names
        assert LEMMA_TABLE_COMPONENT not in nlp.pipe_names
    assert nlp.pipe_names == before


@pytest.mark.parametrize("text", NASTY)
def test_table_lemmas_equal_the_lemmatizer_lemmas(nlp, text: str) -> None:
    ours = nlp(text)
    with real_lemmatizer(nlp):
        theirs = nlp(text)
    assert analysed(ours) == analysed(theirs)


def test_cold_rules_equal_spacy_rules_on_every_token(nlp) -> None:
    # A fresh table answers every key with its own transcription of the rules, never from the memo.
    lemmatizer = nlp.get_pipe("lemmatizer")
    table = LemmaTable(lemmatizer)
    assert table.own_rules
    for doc in nlp.pipe(NASTY):
        for token in doc:
            assert table.first_rule_lemma(token) == lemmatizer.rule_lemmatize(token)[0], token.text


def test_memo_keys_on_part_of_speech_not_only_the_word(nlp) -> None:
    doc = nlp("The saw was dull, so I saw him leave. A rusty saw.")
    saws = [t for t in doc if t.lower_ == "saw"]
    assert [t.pos_ for t in saws] == ["NOUN", "VERB", "NOUN"]
    assert [t.lemma_ for t in saws] == ["saw", "see", "saw"]


def test_table_keeps_lemmas_set_before_it(nlp) -> None:
    # The attribute table presets "be" and "not" for "ai n't"; spaCy's lemmatizer would keep them too.
    doc = nlp("It ain't over.")
    assert [t.lemma_ for t in doc][1:3] == ["be", "not"]


def test_a_full_memo_starts_afresh_and_stays_exact(nlp) -> None:
    table = LemmaTable(nlp.get_pipe("lemmatizer"), capacity=3)
    text = NASTY[1]
    with nlp.select_pipes(disable=[LEMMA_TABLE_COMPONENT]):
        doc = nlp(text)  # no lemmatizer at all: every lemma left to the table
    assert sum(t.lemma == 0 for t in doc) > 20
    table(doc)
    assert len(table.known) <= 3
    with real_lemmatizer(nlp):
        assert [t.lemma_ for t in doc] == [t.lemma_ for t in nlp(text)]


class _ShoutingLemmatizer:
    """A non-rule lemmatizer that overwrites: the table must defer to it and overwrite too."""

    mode = "lookup"
    overwrite = True

    def __init__(self) -> None:
        self.asked: list[str] = []

    def lemmatize(self, token) -> list[str]:  # noqa: ANN001 - spaCy Token
        self.asked.append(token.text)
        return [token.text.upper()]


def test_other_lemmatizers_are_asked_once_per_key(nlp) -> None:
    shouting = _ShoutingLemmatizer()
    table = LemmaTable(shouting)
    assert not table.own_rules
    doc = table(nlp("It ain't over, it ain't."))
    assert [t.lemma_ for t in doc] == [t.text.upper() for t in doc]
    assert shouting.asked.count("ai") == 1


def test_empty_doc_passes_through(nlp) -> None:
    assert len(nlp("")) == 0
