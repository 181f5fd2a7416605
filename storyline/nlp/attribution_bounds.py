"""Where an attribution's roles begin and end when the verb is not a plain speech verb.

Input: a cue token, its subject, the quotations. Output: content, cue and source bounds for
object-experiencer verbs ("it angered Democrats"), objects framing a quotation ("called him a “liar”"),
aspectual verbs ("continued to insist"), speech-noun objects ("voiced support for"), clauses the parser
split in two and relative clauses glossing the end of a content — PolNeAR's conventions as counted on
its train split (the counts are quoted where each rule is).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from storyline.nlp.attribution_sources import EXPERIENCER_OBJECT_LEMMAS, NOMINAL_POS, source_bounds
from storyline.nlp.attribution_spans import char_span, same_paragraph, trim_span
from storyline.nlp.claim_token_table import token_table
from storyline.nlp.doc_index import doc_text
from storyline.nlp.quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Token

Bounds = tuple[int, int]


def experiencer_roles(cue: Token, subject: Token | None) -> tuple[Bounds, Bounds] | None:
    """(content characters, source tokens) of "Her comments angered many Democrats": the object is the
    source and the subject the content, the reverse of a speech verb; None for other verbs."""
    if cue.lemma_.lower() not in EXPERIENCER_OBJECT_LEMMAS or subject is None:
        return None
    experiencer = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i and c.pos_ in NOMINAL_POS), None)
    if experiencer is None or not same_paragraph(experiencer, cue):
        return None
    start, end = trim_span(doc_text(cue.doc), *char_span(list(subject.subtree)))
    return (start, end), source_bounds(experiencer)


def object_with_quote(content_tokens: list[Token], quote: QuoteSpan, cue: Bounds) -> Bounds:
    """A quotation inside the cue's object phrase ("called Trump a “liar”", "stressed the need for
    “unity” at home") is content with the words that frame it; a quotation on its own is all of it."""
    if not content_tokens:
        return quote.start, quote.end
    start, end = char_span(content_tokens)
    if cue[1] <= start <= quote.start <= end:
        return start, max(end, quote.end)
    return quote.start, quote.end


# Verbs of phase or effort whose infinitive carries the attribution: PolNeAR marks "continued to insist"
# as one cue (train: continue 14, have 13, try 11 of 139 such cues; "want", "seek", "expect" stay out).
ASPECTUAL_HEAD_LEMMAS = frozenset(
    {"continue", "try", "tend", "attempt", "start", "begin", "keep", "have", "need", "manage", "struggle", "go"}
)


def aspectual_inner(cue: Token) -> Token | None:
    """The infinitive after an aspectual cue ("insist" in "continued to insist that …"), else None."""
    if cue.lemma_.lower() not in ASPECTUAL_HEAD_LEMMAS:
        return None
    return next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i and c.pos_ == "VERB"), None)


def aspectual_head(cue: Token) -> Token | None:
    """The aspectual verb a cue infinitive hangs on ("continued" in "continued to insist"), else None."""
    head = cue.head
    if cue.dep_ != "xcomp" or head.i >= cue.i or head.lemma_.lower() not in ASPECTUAL_HEAD_LEMMAS:
        return None
    return head


def continued_clause(cue: Token, clause: Token) -> list[Token]:
    """Tokens of a second complement clause the parser hung on the cue right after the first ("said he
    was inundated with email, some of it naming Trump"): one content, as PolNeAR marks it. A clause
    opened by a conjunction ("…, but said …") is a new statement and stays out."""
    doc = cue.doc
    last = clause.right_edge.i
    for sibling in sorted((c for c in cue.children if c.dep_ == "ccomp" and c.left_edge.i > last), key=lambda c: c.i):
        between = doc[last + 1 : sibling.left_edge.i]
        if any(not t.is_punct or "\n" in t.text_with_ws for t in between):
            break
        last = sibling.right_edge.i
    return list(doc[clause.right_edge.i + 1 : last + 1])


def without_trailing_relative(cue: Token, content: Bounds, quotes: list[QuoteSpan]) -> Bounds:
    """Indirect content ending in a relative clause set off by a comma ("…the Islamic State, which
    controls…"): the writer's gloss, which PolNeAR leaves out more often than not (train: 54 out, 37 in)."""
    doc, text = cue.doc, doc_text(cue.doc)
    if "," not in text[content[0] : content[1]]:
        return content
    span = doc.char_span(*content, alignment_mode="expand")
    if span is None or len(span) < 3:
        return content
    dep = token_table(doc).dep  # only relative clauses need a spaCy Token
    for token in (doc[i] for i in range(span.start, span.end) if dep[i] == "relcl"):
        if not (span.start <= token.head.i < token.left_edge.i) or token.left_edge.i < 1:
            continue
        comma = doc[token.left_edge.i - 1]
        if comma.text != "," or comma.i <= span.start or token.right_edge.i < span.end - 2:
            continue
        if any(q.start <= comma.idx < q.end for q in quotes):
            continue  # a quotation's own words are kept whole
        return trim_span(text, content[0], comma.idx)
    return content


def split_noun_object(
    cue: Token, content: Bounds, names_attribution: Callable[[Token], bool]
) -> tuple[Bounds, int] | None:
    """(content, cue end) when the cue's object is itself a speech noun with its own complement ("voiced
    support for X", "issued a statement saying X") or an adjective of attitude ("remain reluctant to X",
    "are supportive of X"): PolNeAR's cue runs over the noun or adjective (train: 63 of 96 nouns with a
    preposition, 12 of 15 with a participle), the content is what it is about."""
    adjective = next((c for c in cue.children if c.dep_ == "acomp" and c.i > cue.i), None)
    if adjective is not None and adjective.left_edge.idx == content[0]:
        return _split_at_complement(adjective, content, ("xcomp", "ccomp"))
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if obj is None or obj.left_edge.idx != content[0] or not names_attribution(obj):
        return None
    return _split_at_complement(obj, content, ("acl",))


def _split_at_complement(word: Token, content: Bounds, clause_deps: tuple[str, ...]) -> tuple[Bounds, int] | None:
    """The content after ``word``'s first complement: a preposition's object (the preposition joins the
    cue) or a clause (an infinitive or "that"-clause; a participle joins the cue: "a statement saying")."""
    for child in word.children:
        if child.i < word.i:
            continue
        if child.dep_ == "prep":
            inner = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if inner is not None and inner.left_edge.idx < content[1]:
                return (inner.left_edge.idx, content[1]), child.idx + len(child)
        if child.dep_ in clause_deps and child.left_edge.idx < content[1]:
            if child.dep_ != "acl":
                return (child.left_edge.idx, content[1]), word.idx + len(word)
            if child.tag_ == "VBG" and child.i + 1 < len(word.doc):  # "a statement saying that …"
                return (word.doc[child.i + 1].idx, content[1]), child.idx + len(child)
    return None
