"""Source spans of attributions: find a cue's subject and mark its noun phrase as PolNeAR does.

Input: a cue token. Output: the subject token, and token bounds of its phrase as a source (PolNeAR's
conventions, learned from its train split) or of the speaker's core name (for speaker resolution).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_spans import EXPLETIVES, QUOTE_MARK_TOKENS, same_paragraph

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A passive's grammatical subject is what was said, not who said it ("X is believed to …").
SUBJECT_DEPS = ("nsubj", "csubj")
DATELINE_DASHES = frozenset({"–", "—", "--", "-"})
PHRASE_BREAKS = frozenset({",", "(", "—", "–", ":", ";", "“", "”", '"'})
LEADING_SOURCE_DEPS = frozenset({"advmod", "cc", "preconj", "punct"})
# PolNeAR keeps a source's own quantifying adverbs ("Nearly half of voters", "Both parties").
SOURCE_LEADING_DEPS = frozenset({"cc", "punct"})
TRAILING_SOURCE_WORDS = frozenset({"both", "all", "alone"})
# Clauses modifying a source that PolNeAR leaves out of it when set off by a comma ("X, speaking at …,");
# relative clauses are in as often as out on train (annotators differ), so they stay in.
SOURCE_CLAUSE_DEPS = frozenset({"acl"})
CLAUSE_OPENERS = frozenset({",", "-", "—", "–"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON"})
# Verb heads an attribution may borrow its subject from ("…, saying that …", "and added that …").
SUBJECT_INHERITING_DEPS = ("advcl", "xcomp", "conj", "ccomp", "pcomp", "prep")


def _breaks_phrase(token: Token) -> bool:
    return token.is_space or "\n" in token.text or token.text in PHRASE_BREAKS


def speaker_core_bounds(subject: Token) -> tuple[int, int]:
    """Token bounds of the speaker's name or description alone, without what follows a comma (ages,
    appositions), relative clauses or participles: "Anna Berg" in "Anna Berg, who leads …, said"."""
    doc = subject.doc
    excluded = {t.i for child in subject.children if child.dep_ in ("relcl", "acl") for t in child.subtree}
    end = subject.i + 1
    for token in doc[subject.i + 1 : subject.right_edge.i + 1]:
        if _breaks_phrase(token) or token.i in excluded:
            break
        end = token.i + 1
    start = subject.i
    for token in reversed(doc[subject.left_edge.i : subject.i]):
        if _breaks_phrase(token) or token.dep_ in LEADING_SOURCE_DEPS:
            break
        start = token.i
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return start, end


def source_bounds(subject: Token) -> tuple[int, int]:
    """Token bounds of a subject's whole noun phrase, as PolNeAR marks sources: determiners, titles,
    appositions, parentheses and relative clauses in ("Sen. X (R-Texas), also a hopeful,"); sentence
    adverbs ("Meanwhile", "Only") and anything across a line break out."""
    doc = subject.doc
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    for token in doc[start : subject.i]:
        if token.is_space or "\n" in token.text_with_ws:
            start = token.i + 1
    start = _after_dateline(doc, start, end)
    for token in doc[subject.i + 1 : end]:
        if token.is_space or "\n" in token.text or _unbalanced_quote(token, start, end):
            end = token.i
            break
        if token.dep_ == "prep" and token.head.i == subject.i and _dated(token):
            end = token.i  # "the campaign on Monday said": the date belongs to the saying, not the source
            break
        if token.dep_ in SOURCE_CLAUSE_DEPS and token.head.i == subject.i and _set_off(token):
            end = token.left_edge.i  # PolNeAR leaves a participle set off by a comma out of the source
            break
    while start < subject.i and (doc[start].dep_ in SOURCE_LEADING_DEPS or doc[start].is_punct):
        start += 1
    inner_commas = sum(1 for t in doc[start : end - 1] if t.text == ",")
    while end - 1 > subject.i and doc[end - 1].is_punct and doc[end - 1].text != ")":
        if doc[end - 1].text == "," and inner_commas:
            break  # an apposition closed by a comma: PolNeAR keeps that comma
        end -= 1
    while end - 1 > subject.i and doc[end - 1].lower_ in TRAILING_SOURCE_WORDS:
        end -= 1
    if inner_commas and end < len(doc) and doc[end].text == "," and doc[end - 1].text != ",":
        end += 1  # the comma closing an apposition belongs to the source even when parsed onto the verb
    dashes = sum(1 for t in doc[start:end] if t.text in DATELINE_DASHES)
    if dashes % 2 == 1 and end < len(doc) and doc[end].text in DATELINE_DASHES:
        end += 1  # so does the dash closing an aside ("X — a former aide —")
    return start, end


def _unbalanced_quote(token: Token, start: int, end: int) -> bool:
    """A quote mark in a source ends it unless the marks pair up inside it (a title: author of “X”)."""
    if token.text not in QUOTE_MARK_TOKENS:
        return False
    before = sum(1 for t in token.doc[start : token.i] if t.text in QUOTE_MARK_TOKENS)
    if before % 2 == 1:
        return False  # it closes a title opened inside the source
    return not any(t.text in QUOTE_MARK_TOKENS for t in token.doc[token.i + 1 : end])


def _dated(prep: Token) -> bool:
    """A prepositional phrase that is only a date or time ("on Monday", "in June")."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and objects[0].ent_type_ in ("DATE", "TIME")


def _set_off(clause: Token) -> bool:
    """A clause opened by a comma or dash ("X, speaking on Monday, said")."""
    first = clause.left_edge.i
    return first > 0 and clause.doc[first - 1].text in CLAUSE_OPENERS


def _after_dateline(doc: Doc, start: int, end: int) -> int:
    """Skip a dateline ("CITY, July 9 (Agency) – Officials …") that the parser put into the source; a
    dash counts as a dateline's when it follows ")" or an all-caps place name."""
    for token in doc[start + 1 : end - 1]:
        before = doc[token.i - 1]
        if token.text in DATELINE_DASHES and (before.text == ")" or before.text.isupper() and len(before) > 1):
            start = token.i + 1
    return start


def outside_quote(subject: Token, cue: Token) -> Token | None:
    """The subject, unless a quote mark left open between it and the cue puts it inside the quotation
    ("… the same story: no water, no food," a spokeswoman said — the parser may make "water" the subject);
    then the apposition outside the quote ("a spokeswoman"), if the parser attached one."""
    if not quote_between(subject, cue):
        return subject
    return next((c for c in subject.children if c.dep_ == "appos" and not quote_between(c, cue)), None)


def quote_between(token: Token, cue: Token) -> bool:
    """An odd number of quote marks between the two tokens: one is inside a quotation, the other not."""
    low, high = sorted((token.i, cue.i))
    return sum(t.text in QUOTE_MARK_TOKENS for t in token.doc[low + 1 : high]) % 2 == 1


def find_subject(cue: Token) -> Token | None:
    token: Token | None = cue
    for _ in range(4):
        if token is None:
            return None
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS and child.lower_ not in EXPLETIVES:
                subject = outside_quote(child, cue)
                return subject if subject is not None and same_paragraph(subject, cue) else None
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return objects[0] if same_paragraph(objects[0], cue) else None
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in NOMINAL_POS:
            return token.head  # "voters saying they …": the participle's noun says it
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        if passive or token.dep_ not in SUBJECT_INHERITING_DEPS or token.head.i == token.i:
            return None
        token = token.head
    return None
