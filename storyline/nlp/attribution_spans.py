"""Shared pieces of attribution spans: the ``Attribution`` record and character-span helpers.

Input: spaCy tokens and the article's quotations. Output: character spans trimmed, grown to the
quotations they touch, clipped to a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.nlp.doc_index import doc_text
from storyline.nlp.quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Token

TRAILING_PUNCT = ".,;:—–- \n"  # "?" and "!" stay: PolNeAR keeps them in content
EXPLETIVES = frozenset({"it", "there"})
# A content counts as a direct quote when quotations cover this share of it.
DIRECT_QUOTE_SHARE = 0.6
QUOTE_MARK_TOKENS = frozenset({"“", "”", '"', "‘", "’", "``", "''"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """Spans of one attribution before it becomes a ``Claim``."""

    content: tuple[int, int]  # characters
    cue: tuple[int, int]  # characters
    cue_lemma: str
    source: tuple[int, int] | None  # token indices [start, end)
    direct: bool
    sentence_start: int
    sentence_end: int
    extra_hedges: tuple[str, ...] = ()
    parts: tuple[tuple[int, int], ...] = ()  # content pieces of a split quotation (empty: one piece)


# Quotations come from ``find_quotes`` ordered by start and disjoint: once one starts at or after a span's
# end, none after it can touch the span, so the loops below stop there.


def quote_overlapping(quotes: list[QuoteSpan], start: int, end: int) -> QuoteSpan | None:
    for quote in quotes:
        if quote.start >= end:
            break
        if start < quote.end:
            return quote
    return None


def char_span(tokens: list[Token]) -> tuple[int, int]:
    """Characters from the first to the last of ``tokens`` (in any order); positions are read once."""
    positions = [t.i for t in tokens]
    first, last = tokens[positions.index(min(positions))], tokens[positions.index(max(positions))]
    return first.idx, last.idx + len(last.text)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing punctuation and spaces, but keep a closing quote mark and what it closes."""
    while end > start and text[end - 1] in TRAILING_PUNCT:
        end -= 1
    while start < end and text[start] in ",;:—– \n":
        start += 1
    return start, end


def grow_to_quotes(text: str, quotes: list[QuoteSpan], start: int, end: int, cue: tuple[int, int]) -> tuple[int, int]:
    """Grow a content span to the quotations it overlaps, unless that would swallow the cue."""
    for quote in quotes:
        if quote.start >= end:
            break  # a skipped quotation leaves ``end`` as it was, so every later one is past it too
        if start < quote.end:
            if quote.start <= cue[0] < quote.end:
                continue
            new_start, new_end = min(start, quote.start), max(end, quote.end)
            if start <= cue[0] < end or not (new_start <= cue[0] < new_end):
                start, end = new_start, new_end
    return start, end


def is_direct(quotes: list[QuoteSpan], start: int, end: int) -> bool:
    covered = 0
    for quote in quotes:
        if quote.start >= end:
            break
        covered += max(0, min(end, quote.end) - max(start, quote.start))
    return end > start and covered >= DIRECT_QUOTE_SHARE * (end - start)


def within_paragraph(text: str, anchor: int, start: int, end: int) -> tuple[int, int]:
    """Clip a parse-derived span to the anchor's paragraph: the parser runs sentences over paragraph
    breaks (a headline or the previous paragraph glued on); quotations that truly continue over
    paragraphs are added back from their marks afterwards."""
    paragraph_start = text.rfind("\n", 0, anchor) + 1
    paragraph_end = text.find("\n", anchor)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    return max(start, paragraph_start), min(end, paragraph_end)


def same_paragraph(a: Token, b: Token) -> bool:
    """False when the parser ran a sentence over a paragraph break (a headline glued to the lead)."""
    first, last = (a, b) if a.i < b.i else (b, a)
    return "\n" not in doc_text(a.doc)[first.idx : last.idx]
