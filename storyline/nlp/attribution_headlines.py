"""Attributions in Title Case headlines ("Senator Ann Ruiz Slams Tax Plan."), where the tagger reads the
capitalised verb as a proper noun and the parse gives no subject or object to follow.

Input: the spaCy doc, the lexicon and the attributions already found. Output: ``Attribution`` records for
headline lines with no attribution yet: the words before a cue verb form are the source, the rest of the
line (up to a colon) the content. Train: 135 of 219 cue-word forms inside Title Case lines are gold cues.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storyline.nlp.attribution_cues import AttributionLexicon
from storyline.nlp.attribution_spans import Attribution, trim_span
from storyline.nlp.doc_index import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A headline: this many words at least and at most, and this share of them capitalised.
MIN_HEADLINE_WORDS = 4
MAX_HEADLINE_WORDS = 25
MIN_CAPITALISED_SHARE = 0.8
MAX_SOURCE_TOKENS = 8
WORD = re.compile(r"[^\W\d_][\w’']*")
# Headline verbs are inflected ("Slams", "Endorsed", "Promising"): bare forms ("Want", "View", "Call") are
# as often nouns or imperatives. Endings tried to reach the lexicon's lemma, longest first.
VERB_ENDINGS = (("ies", "y"), ("ing", ""), ("ing", "e"), ("es", ""), ("ed", ""), ("ed", "e"), ("s", ""), ("d", ""))
INFLECTED_ENDINGS = tuple({ending for ending, _ in VERB_ENDINGS})
# Share of a form's train occurrences that were cues ("slams" 1.0, "endorses" 0.88; "reports" 0.26 is a noun).
MIN_LEARNED_SHARE = 0.5
# Tokens that open no speaker phrase (a label or a question word): the line is not "Source Verb Content".
NOT_SOURCE_POS = frozenset({"VERB", "AUX", "ADP", "SCONJ"})
NOT_SOURCE_MARKS = frozenset({":", "?", "!"})
NOT_SOURCE_OPENERS = frozenset({"why", "how", "what", "when", "where", "who", "watch", "exclusive", "breaking"})


def headline_attributions(doc: Doc, lexicon: AttributionLexicon, found: list[Attribution]) -> list[Attribution]:
    """One attribution per Title Case line that has none yet and holds an inflected cue verb form."""
    added: list[Attribution] = []
    for line in _lines(doc):
        if any(line.start_char <= a.cue[0] < line.end_char for a in found):
            continue
        attribution = _headline_attribution(line, lexicon)
        if attribution is not None:
            added.append(attribution)
    return added


def _lines(doc: Doc) -> list[Span]:
    """The doc's Title Case lines as token spans (a line is text between newlines)."""
    text = doc_text(doc)
    spans: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if _is_title_case(line):
            span = doc.char_span(start, start + len(line), alignment_mode="contract")
            if span is not None and len(span):
                spans.append(span)
    return spans


def _is_title_case(line: str) -> bool:
    words = WORD.findall(line)
    if not MIN_HEADLINE_WORDS <= len(words) <= MAX_HEADLINE_WORDS:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= MIN_CAPITALISED_SHARE


def _headline_attribution(line: Span, lexicon: AttributionLexicon) -> Attribution | None:
    cue = next((t for t in line[1:] if _is_cue_form(t, lexicon)), None)
    if cue is None:
        return None
    commas = [t.i for t in line.doc[line.start : cue.i] if t.text == ","]
    source = line.doc[commas[-1] + 1 if commas else line.start : cue.i]  # "After the speech, Lee Said …"
    if not len(source) or len(source) > MAX_SOURCE_TOKENS or source[0].lower_ in NOT_SOURCE_OPENERS:
        return None
    if any(t.pos_ in NOT_SOURCE_POS or t.text in NOT_SOURCE_MARKS or t.is_quote for t in source):
        return None  # "X Gets Real About Being Called …": the cue is not the line's main verb
    text = doc_text(line.doc)
    end = line.end_char
    colon = text.find(":", cue.idx, end)
    start, end = trim_span(text, cue.idx + len(cue), colon if colon >= 0 else end)
    start, end = trim_span(text, start, end - 1 if text[end - 1 : end] == "." else end)
    if end <= start:
        return None
    return Attribution(
        content=(start, end),
        cue=(cue.idx, cue.idx + len(cue)),
        cue_lemma=cue.lower_,
        source=(source.start, source.end),
        direct=False,
        sentence_start=line.start_char,
        sentence_end=line.end_char,
    )


def _is_cue_form(token: Token, lexicon: AttributionLexicon) -> bool:
    """A capitalised inflected form of a lexicon verb ("Tells" → tell) or one train saw as a cue ("Slams")."""
    if not token.text[:1].isupper() or token.pos_ not in ("PROPN", "NOUN", "VERB"):
        return False
    form = token.lower_
    for ending, replacement in VERB_ENDINGS:
        if form.endswith(ending) and len(form) > len(ending) + 2:
            if form[: -len(ending)] + replacement in lexicon.stance_by_lemma:
                return True
    return lexicon.learned_cue_words.get(form, 0.0) >= MIN_LEARNED_SHARE and form.endswith(INFLECTED_ENDINGS)
