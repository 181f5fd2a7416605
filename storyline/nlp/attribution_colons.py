"""Headline and lead style attributions "Name: what they said" for the claims stage.

Input: the spaCy doc (and attributions already kept). Output: ``Attribution`` records whose source is a
short capitalised phrase opening a paragraph and whose content is the rest of the paragraph after the colon.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_sources import DATELINE_DASHES
from storyline.nlp.attribution_spans import Attribution
from storyline.nlp.claim_token_table import token_table
from storyline.nlp.doc_index import doc_text, sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# "Name: content" attributions: the longest source before the colon, the shortest content after it.
MAX_COLON_SOURCE_TOKENS = 6
MIN_COLON_CONTENT_WORDS = 3
# Paragraph labels that look like a name before a colon but introduce no one's words.
NOT_COLON_SOURCES = frozenset(
    {
        "related",
        "update",
        "updated",
        "photo",
        "photos",
        "video",
        "watch",
        "read",
        "note",
        "editor",
        "source",
        "sources",
        "tags",
        "share",
        "caption",
        "image",
        "credit",
        "breaking",
        "advertisement",
        "subscribe",
        "click",
        "more",
        "also",
        "see",
        "follow",
        "contact",
        "email",
        "correction",
        "q",
        "a",
    }
)


def colon_attributions(doc: Doc, kept: list[Attribution]) -> list[Attribution]:
    """Headline and lead style "Name: what they said" ("Mayor Ruiz: ‘We will rebuild’"): a short noun
    phrase opening a paragraph, then a colon; the rest of the paragraph is the content."""
    text = doc_text(doc)
    added: list[Attribution] = []
    for colon in (doc[i] for i, lower in enumerate(token_table(doc).lower) if lower == ":"):
        paragraph_start = text.rfind("\n", 0, colon.idx) + 1
        head = [t for t in doc[max(0, colon.i - MAX_COLON_SOURCE_TOKENS - 1) : colon.i] if t.idx >= paragraph_start]
        head = [t for t in head if not t.is_space]
        # A lead-in label before a dash ("Pollsters agree - Ann Lee: …") is not part of the source.
        dashes = [t for t in head if t.text in DATELINE_DASHES]
        if dashes:
            head = [t for t in head if t.i > dashes[-1].i]
            paragraph_start = head[0].idx if head else paragraph_start
        if not _names_a_source(head, text, paragraph_start):
            continue
        paragraph_end = text.find("\n", colon.idx)
        start, end = colon.idx + 1, len(text) if paragraph_end < 0 else paragraph_end
        start, end = _trim_colon_content(text, start, end)
        if len(text[start:end].split()) < MIN_COLON_CONTENT_WORDS:
            continue
        if any(a.content[0] < end and start < a.content[1] for a in [*kept, *added]):
            continue
        sentence = sentence_of(colon)
        added.append(
            Attribution(
                content=(start, end),
                cue=(colon.idx, colon.idx + 1),
                cue_lemma=":",
                source=(head[0].i, head[-1].i + 1),
                direct=False,
                sentence_start=sentence.start_char,
                sentence_end=max(sentence.end_char, end),
            )
        )
    return added


def _names_a_source(head: list[Token], text: str, paragraph_start: int) -> bool:
    """A short verbless phrase that starts its paragraph and ends in a capitalised word ("Poll",
    "Sen. Ruiz", "Republican pollster Ann Lee"); the tagger often calls a lone headline name NOUN or ADJ,
    so capitalisation decides, not the tag."""
    if not head or head[0].idx != paragraph_start or len(head) > MAX_COLON_SOURCE_TOKENS:
        return False
    if any(t.pos_ in ("VERB", "AUX", "PRON") or t.lower_ in NOT_COLON_SOURCES for t in head):
        return False
    return head[0].text[:1].isupper() and head[-1].text[:1].isupper() and head[-1].is_alpha


def _trim_colon_content(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " .\t":
        end -= 1
    return start, end
