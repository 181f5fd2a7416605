"""The outlet's own claims: unattributed sentences carrying a number, for the claim ledger.

Input: the spaCy doc, the attributions found and the quotations. Output: ``Claim`` records with
``speaker_kind="outlet"`` for sentences no attribution or quotation touches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_spans import Attribution, quote_overlapping
from storyline.nlp.claim_token_table import TokenTable, token_table
from storyline.records import ArticleAnalysis, Claim, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from storyline.nlp.attribution_cues import AttributionLexicon
    from storyline.nlp.quote_marks import QuoteSpan

# Shorter sentences are datelines, captions and scores, not assertions.
MIN_OUTLET_CLAIM_WORDS = 4


def _has_number(table: TokenTable, sentence: Span, lexicon: AttributionLexicon) -> bool:
    """A token like a number, a number word or a token with a digit (digits have no case: the lower form tells)."""
    words = table.lower[sentence.start : sentence.end]
    return (
        any(table.like_num[sentence.start : sentence.end])
        or not lexicon.number_words.isdisjoint(words)
        or any(c.isdigit() for word in words for c in word)
    )


def outlet_claims(
    doc: Doc,
    analysis: ArticleAnalysis,
    found: list[Attribution],
    quotes: list[QuoteSpan],
    lexicon: AttributionLexicon,
) -> list[Claim]:
    """Unattributed sentences carrying a number: the outlet's own assertions, for the claim ledger."""
    claims: list[Claim] = []
    table = token_table(doc)
    for sentence in doc.sents:
        start, end = sentence.start_char, sentence.end_char
        if any(a.sentence_start < end and start < a.sentence_end for a in found):
            continue
        if quote_overlapping(quotes, start, end) is not None or not _has_number(table, sentence, lexicon):
            continue
        text = sentence.text.strip()
        if len(text.split()) < MIN_OUTLET_CLAIM_WORDS:
            continue
        claims.append(
            Claim(
                evidence=Evidence(analysis.article.id, start, start + len(text)),
                content=text,
                speaker=None,
                speaker_kind="outlet",
                hedges=lexicon.hedges_in(text),
            )
        )
    return claims
