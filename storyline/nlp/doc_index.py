"""Per-document caches every stage may share: the doc's text and which sentence each token is in.

spaCy rebuilds ``Doc.text`` from every token and walks all sentences for ``Token.sent`` on each access;
these read them once per doc and keep them in ``doc.user_data``. ``span_text`` slices that text instead of
joining a span's tokens (``Span.text`` builds a Token object per word).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SENTENCE_INDEX_KEY = "storyline.doc.sentence_index"
TEXT_KEY = "storyline.doc.text"


def doc_text(doc: Doc) -> str:
    """``Doc.text`` joins every token on each access; read it once per doc."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text  # type: ignore[no-any-return]


def adopt_text(doc: Doc, text: str) -> None:
    """Record ``text`` (the article text the doc was parsed from) as the doc's text, sparing the first
    ``doc_text`` its join over every token. spaCy's tokenizer is lossless, so the two are equal; a doc
    whose tokens do not end where ``text`` ends (parsed from other text) is left alone."""
    if TEXT_KEY in doc.user_data or not len(doc):
        return
    last = doc[-1]
    if last.idx + len(last.text_with_ws) == len(text) and text.startswith(doc[0].text, doc[0].idx):
        doc.user_data[TEXT_KEY] = text


def span_text(span: Span) -> str:
    """``span.text`` (the tokens with their inner whitespace, none trailing), sliced from the doc text."""
    if span.start >= span.end:
        return ""
    return doc_text(span.doc)[span.start_char : span.end_char]


def sentence_of(token: Token) -> Span:
    """The sentence of a token. ``Token.sent`` walks every sentence of the doc on each call, so the
    sentences are indexed once per doc (in ``doc.user_data``) and looked up from then on."""
    doc = token.doc
    index = doc.user_data.get(SENTENCE_INDEX_KEY)
    if index is None:
        sentences = list(doc.sents)
        owner = [0] * len(doc)
        for number, sentence in enumerate(sentences):
            owner[sentence.start : sentence.end] = [number] * len(sentence)
        index = (sentences, owner)
        doc.user_data[SENTENCE_INDEX_KEY] = index
    sentences, owner = index
    return sentences[owner[token.i]]
