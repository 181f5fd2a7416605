"""Find direct quotations in text by their quote marks, paragraph by paragraph.

Input: the cleaned article text. Output: ``QuoteSpan``s (character offsets including the marks).
Handles curly and straight double quotes, British single quotes (‘…’), PTB-style ``…'' and
archive-style ''…'', quotes that continue over paragraphs (a paragraph ending inside a quote continues
when the next paragraph opens with a quote mark), and unbalanced marks (a quote never runs past its
paragraph otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARAGRAPH_BREAK = re.compile(r"\n")
# Opening mark -> the closing marks that may end it.
CLOSERS: dict[str, tuple[str, ...]] = {
    "“": ("”", '"'),
    '"': ('"', "”"),
    "``": ("''", '"', "”"),
    "''": ("''", "”", '"'),
    "‘": ("’", "'"),
    "'": ("'", "’"),
}
DOUBLE_OPENERS = ("``", "“", "''", '"')
# Some archives (NYT in PolNeAR) write both marks as two apostrophes: ''It is,'' he said.
APOSTROPHE_PAIR = "''"
SINGLE_OPENERS = ("‘", "'")
WORD_CHAR = re.compile(r"\w")
# Every opening or closing mark starts with one of these: the scan jumps between them, not char by char.
MARK_START = re.compile("[\"“”‘’'`]")
# Curly openers that sloppy typing also uses to close a quotation.
MISPRINTED_CLOSERS = frozenset({"“", "‘"})


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation ``text[start:end]`` including its marks; ``closed`` False when capped at a paragraph."""

    start: int
    end: int
    closed: bool


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if match.start() > begin:
            spans.append((begin, match.start()))
        begin = match.end()
    if begin < len(text):
        spans.append((begin, len(text)))
    return spans


def _opener_at(text: str, i: int) -> str | None:
    """The opening mark starting at ``i``, if the context makes it an opener (not an apostrophe)."""
    before = text[i - 1] if i > 0 else " "
    for mark in DOUBLE_OPENERS:
        if text.startswith(mark, i):
            # A straight double quote after a word character closes rather than opens.
            if mark == '"' and WORD_CHAR.match(before):
                return None
            if mark == APOSTROPHE_PAIR and not _opens_word(text, i + 2, before):
                return None  # a pair after a word or before a space closes a quotation
            return mark
    for mark in SINGLE_OPENERS:
        if text.startswith(mark, i):
            after = text[i + 1] if i + 1 < len(text) else " "
            # ‘ or ' opens only after space/opening punctuation and before a word: not "rock 'n' roll"'s tail.
            if (before.isspace() or before in "([—–-:") and (after.isalnum() or after in "…."):
                return mark
    return None


def _opens_word(text: str, after_mark: int, before: str) -> bool:
    after = text[after_mark] if after_mark < len(text) else " "
    return (before.isspace() or before in "([—–-:") and (after.isalnum() or after in "….$'")


def _closer_at(text: str, i: int, opener: str) -> str | None:
    if _misprinted_closer(text, i, opener):
        return opener
    for mark in CLOSERS[opener]:
        if text.startswith(mark, i):
            if opener in SINGLE_OPENERS:
                after = text[i + 1] if i + 1 < len(text) else " "
                if after.isalnum():  # don’t, Syria’s: an apostrophe, not a closing quote
                    return None
            return mark
    return None


def _misprinted_closer(text: str, i: int, opener: str) -> bool:
    """An opening curly mark typed where the closing one belongs ("“It's late,“ she said"): it follows
    the quoted words directly and a space or the paragraph's end follows it."""
    if opener not in MISPRINTED_CLOSERS or not text.startswith(opener, i) or i == 0:
        return False
    after = text[i + len(opener)] if i + len(opener) < len(text) else "\n"
    return not text[i - 1].isspace() and (after.isspace() or after in ",.;:")


def _scan_paragraph(
    text: str, start: int, end: int, opener: str | None, open_at: int
) -> tuple[list[QuoteSpan], str | None, int]:
    """Scan one paragraph; returns closed quotes plus the quote still open at its end (if any)."""
    quotes: list[QuoteSpan] = []
    i = start
    while i < end:
        next_mark = MARK_START.search(text, i, end)
        if next_mark is None:
            break
        i = next_mark.start()
        if opener is None:
            mark = _opener_at(text, i)
            if mark:
                opener, open_at = mark, i
                i += len(mark)
                continue
        else:
            mark = _closer_at(text, i, opener)
            if mark:
                quotes.append(QuoteSpan(open_at, i + len(mark), True))
                opener = None
                i += len(mark)
                continue
        i += 1
    return quotes, opener, open_at


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every quotation in ``text``, in order; never longer than a paragraph unless continued."""
    quotes: list[QuoteSpan] = []
    paragraphs = _paragraphs(text)
    opener: str | None = None
    open_at = 0
    for index, (start, end) in enumerate(paragraphs):
        found, opener, open_at = _scan_paragraph(text, start, end, opener, open_at)
        quotes.extend(found)
        if opener is None:
            continue
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        if following and _opener_at(text, following[0]) is not None:
            # Multi-paragraph convention: the next paragraph re-opens the same quotation; skip its mark.
            next_mark = _opener_at(text, following[0]) or ""
            paragraphs[index + 1] = (following[0] + len(next_mark), following[1])
            continue
        quotes.append(QuoteSpan(open_at, end, False))
        opener = None
    return quotes
