"""Mention features for coreference, read once from a spaCy parse: what a mention is and what it is about.

Input: a parsed Doc and the token span of one gold or predicted mention; output: ``MentionFeatures`` (head
lemma and lexical class, context class, the years dating it, a reporting verb's speaker, a name's tokens, a
relative pronoun's antecedent). Events and entities are clustered from these in coref_mentions/coref_entities.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.crossdoc.coref_lexicon import (
    FIRE_PROJECTILES,
    LEGAL_CONTENT_CLASSES,
    LEGAL_GOVERNORS,
    PARTICLE_ADVERBS,
    REFLEXIVES,
    REPORTING_LEMMAS,
    SYNONYM_OF,
    stem,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_APOSTROPHES = "'’"  # "Lohan'" / "Lohan’" as tokenised from a possessive is still "Lohan"
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_YEAR_LINKS = frozenset({"pobj", "nummod", "compound", "npadvmod"})  # how a year dates a word ("the 2005 murder")


@dataclass(frozen=True, slots=True)
class MentionFeatures:
    """What mention linking looks at: head lemma, context class and the arguments that can conflict."""

    key: Hashable
    document: Hashable
    sentence: int  # token index where the head's sentence starts
    position: int  # token index of the head
    head_lemma: str
    head_pos: str
    text: str
    phrase: str  # lemmas of the mention's words and of the head's particle ("pass away", "open fire")
    arguments: frozenset[str]  # lemmas of proper nouns and numbers in the head's clause
    context_class: str = ""  # class forced by the context (a legal charge, a reflexive act); "" if none
    years: frozenset[str] = frozenset()  # years that date the mention itself ("the 1967 slayings")
    speaker: str = ""  # lemma of the subject of a reporting verb
    antecedent: str = ""  # lemma of the noun a relative pronoun ("who", "which") attaches to
    name: tuple[str, ...] = ()  # lowercased proper-noun words of the mention ("lindsay", "lohan")

    @property
    def lexical_class(self) -> str:
        if self.context_class:
            return self.context_class
        if self.phrase in SYNONYM_OF:  # a listed multi-word expression wins over its head alone
            return SYNONYM_OF[self.phrase]
        stemmed = stem(self.head_lemma)
        return SYNONYM_OF.get(stemmed, stemmed)


def _phrase(span: Span, head: Token) -> str:
    """Lemmas of the mention plus the head's particles and a reflexive object marker ("kill oneself")."""
    words = {t.i: t for t in span if not t.is_punct}
    for child in head.children:
        if child.dep_ == "prt" or (child.dep_ == "advmod" and child.lower_ in PARTICLE_ADVERBS):
            words.setdefault(child.i, child)
    lemmas = [words[i].lemma_.lower() for i in sorted(words)]
    if any(c.dep_ == "dobj" and c.lower_ in REFLEXIVES for c in head.children):
        lemmas.append("oneself")
    return " ".join(lemmas)


def _governor(head: Token) -> str:
    """Lemma of the word the mention hangs from, looking through a preposition ("charged with murder")."""
    governor = head.head
    if governor.dep_ == "prep" or governor.pos_ == "ADP":
        governor = governor.head
    return governor.lemma_.lower() if governor.i != head.i else ""


def _names_a_charge(head: Token, lexical_class: str) -> bool:
    """A bare killing noun under a legal word ("charged with murder"); "charged with the murder of X" or
    "her murder" still name the act, since the victim is given."""
    if head.pos_ != "NOUN" or lexical_class not in LEGAL_CONTENT_CLASSES or _governor(head) not in LEGAL_GOVERNORS:
        return False
    return not any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in head.children)


def _attached_years(head: Token) -> frozenset[str]:
    """Years that date the mention itself: its dependents, or through a preposition ("killed in 1967").

    Weekdays are left out on purpose: reports written on different days name one event's day differently
    often enough ("Friday night" / "early Saturday") that they cost more merges than they save on ECB+ dev.
    """
    years: set[str] = set()
    for child in head.children:
        for token in (child, *child.children) if child.dep_ == "prep" else (child,):
            if _YEAR.match(token.text) and token.dep_ in _YEAR_LINKS:
                years.add(token.text)
    return frozenset(years)


def _speaker(verb: Token) -> str:
    """Lemma of who reports: the verb's subject, or the object of "to" in "according to police"."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child.lemma_.lower()
        if child.dep_ == "prep" and child.lower_ == "to":
            return next((g.lemma_.lower() for g in child.children if g.dep_ == "pobj"), "")
    return ""


def _content_head(span: Span) -> Token:
    """The span's syntactic root, or for "in Palermo" / "on Friday" the noun the preposition governs."""
    root = span.root
    if root.pos_ == "ADP":
        inside = [c for c in root.children if c.dep_ == "pobj" and span.start <= c.i < span.end]
        if inside:
            return inside[0]
    return root


def mention_features(doc: Doc, start: int, end: int, key: Hashable, document: Hashable) -> MentionFeatures:
    """Features of the mention ``doc[start:end]`` (token indices)."""
    span = doc[start:end]
    head = _content_head(span)
    sentence = head.sent
    arguments = frozenset(t.lemma_.lower() for t in sentence if t.pos_ in ("PROPN", "NUM") and not (start <= t.i < end))
    phrase = _phrase(span, head)
    base = MentionFeatures(
        key,
        document,
        sentence.start,
        head.i,
        head.lemma_.lower() or head.lower_,
        head.pos_,
        span.text.lower(),
        phrase,
        arguments,
    )
    context_class = ""
    if _names_a_charge(head, base.lexical_class):
        context_class = "charge:" + base.lexical_class
    elif head.pos_ == "VERB" and base.head_lemma == "fire" and phrase == "fire":
        shot = any(c.dep_ == "dobj" and c.lower_ in FIRE_PROJECTILES for c in head.children)
        context_class = SYNONYM_OF[stem("shoot" if shot else "dismiss")]
    speaker = _speaker(head) if base.head_lemma in REPORTING_LEMMAS else ""
    antecedent = head.head.head.lemma_.lower() if head.pos_ == "PRON" and head.head.dep_ == "relcl" else ""
    return MentionFeatures(
        key,
        document,
        sentence.start,
        head.i,
        base.head_lemma,
        head.pos_,
        span.text.lower(),
        phrase,
        arguments,
        context_class,
        _attached_years(head),
        speaker,
        antecedent,
        tuple(t.lower_.rstrip(_APOSTROPHES) for t in span if t.pos_ == "PROPN" and t.lower_.rstrip(_APOSTROPHES)),
    )
