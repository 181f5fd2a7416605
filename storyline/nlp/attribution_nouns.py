"""Attributions cued by "according to" and by nouns ("his claim that …", "concerns about …").

Input: the cue token and the article's quotations. Output: an ``Attribution`` (or None when the cue has no
content), with PolNeAR's conventions: the possessor is the source, "the claim that" keeps "that" in the content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_sources import source_bounds
from storyline.nlp.attribution_spans import (
    EXPLETIVES,
    Attribution,
    char_span,
    grow_to_quotes,
    is_direct,
    same_paragraph,
    trim_span,
    within_paragraph,
)
from storyline.nlp.doc_index import doc_text, sentence_of
from storyline.nlp.quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Token

# Noun cues: what introduces their content, and which left modifiers PolNeAR counts as cue.
NOUN_CLAUSE_DEPS = frozenset({"acl", "ccomp", "appos"})
NOUN_CONTENT_PREPS = frozenset({"about", "of", "on", "against", "over", "toward", "towards", "for", "to"})
NOUN_CUE_PREFIX_DEPS = frozenset({"det", "amod", "compound"})
# Children of "be" holding the clause a subject noun is equated with ("the claim is that …").
COPULAR_CLAUSE_DEPS = frozenset({"ccomp", "attr"})
# Sources that speak through "in": "in the latest poll", "in a Gallup survey".
POLL_NOUNS = frozenset({"poll", "survey", "average", "tracker"})


def according_to(according: Token) -> Attribution | None:
    """ "according to X, …" / "…, according to X": X is the source, the rest of the clause the content."""
    to = next((c for c in according.children if c.lower_ == "to"), None)
    if to is None and according.i + 1 < len(according.doc) and according.nbor(1).lower_ == "to":
        to = according.nbor(1)
    if to is None:
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    return _framing_attribution(according, to, objects[0], "according to")


def in_poll(prep: Token) -> Attribution | None:
    """ "…leads by 9 points in the latest Monmouth poll" / "In a CBS survey, …": the poll is the source,
    "in" the cue and the rest of the clause what the poll says."""
    if prep.lower_ != "in" or prep.dep_ != "prep" or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    poll = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if poll is None or poll.lemma_.lower() not in POLL_NOUNS:
        return None
    return _framing_attribution(prep, prep, poll, "in")


def _framing_attribution(first: Token, last: Token, source: Token, lemma: str) -> Attribution | None:
    """An attribution whose cue phrase (``first``…``last`` and the source after it) frames a clause: the
    content is the sentence after the phrase when it opens the sentence, else the sentence before it."""
    doc = first.doc
    phrase = [first, *last.subtree]
    phrase_start, phrase_end = min(t.i for t in phrase), max(t.i for t in phrase) + 1
    sentence = sentence_of(first)
    text = doc_text(doc)
    if phrase_start - sentence.start <= 1:
        start, end = (doc[phrase_end].idx if phrase_end < len(doc) else sentence.end_char, sentence.end_char)
    else:
        start, end = sentence.start_char, first.idx
    start, end = trim_span(text, start, end)
    if end <= start:
        return None
    return Attribution(
        content=(start, end),
        cue=(first.idx, last.idx + len(last)),
        cue_lemma=lemma,
        source=source_bounds(source),
        direct=False,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )


# Prepositions joining a noun cue to the verb its speaker is the subject of ("argued in favor of").
MANNER_PREPOSITIONS = frozenset({"in", "with", "at"})


def _that_clause(noun: Token) -> Token | None:
    """The clause a noun introduces with "that" ("the claim that X"), not a relative clause."""
    for child in noun.children:
        if child.i > noun.i and child.dep_ in NOUN_CLAUSE_DEPS:
            if any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                return child
    return None


def copular_clause(noun: Token) -> Token | None:
    """The that-clause a noun cue is equated with ("Her main argument is that …", "The fear is that …");
    train: 15 of 23 such lexicon nouns are gold cues, the clause their content."""
    link = noun.head
    if noun.dep_ != "nsubj" or link.lemma_.lower() != "be":
        return None
    for child in link.children:
        if child.i > link.i and child.dep_ in COPULAR_CLAUSE_DEPS:
            if any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                return child
    return None


def _infinitive(noun: Token) -> Token | None:
    """The infinitive a noun of intent takes ("her plan to rally …", "his decision to run"); PolNeAR keeps
    "to" in the content."""
    for child in noun.children:
        if child.i > noun.i and child.dep_ == "acl" and _has_to(child):
            return child
    return None


def _has_to(verb: Token) -> bool:
    return any(g.dep_ == "aux" and g.lower_ == "to" for g in verb.children)


def _noun_source(noun: Token) -> tuple[int, int] | None:
    """The possessor ("his", "the judges’") or, for an object noun, its verb's subject ("critics voiced
    concerns"). PolNeAR keeps the possessive mark with the source."""
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor.left_edge.i, possessor.right_edge.i + 1
    verb = _governing_verb(noun)
    if verb is not None:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ not in EXPLETIVES and same_paragraph(subject, noun):
            return source_bounds(subject)
    return None


def _governing_verb(noun: Token) -> Token | None:
    """The verb whose subject holds a noun cue: of its object ("critics voiced concerns"), of a copula's
    noun ("she has been a critic of"), or of a manner phrase ("argued in favor of", "spoke with
    admiration of", "spoke at length about")."""
    if noun.dep_ in ("dobj", "attr"):
        return noun.head
    prep = noun.head
    if noun.dep_ == "pobj" and prep.lower_ in MANNER_PREPOSITIONS and prep.head.pos_ in ("VERB", "AUX"):
        return prep.head if prep.i > prep.head.i else None
    return None


def noun_attribution(noun: Token, quotes: list[QuoteSpan]) -> Attribution | None:
    """A noun cue with its content: "his suggestion that …", "concerns about …", "criticism of …"."""
    clause = _that_clause(noun) or _infinitive(noun) or copular_clause(noun)
    cue_tokens = [noun]
    for child in sorted(noun.children, key=lambda t: -t.i):
        if child.i == min(t.i for t in cue_tokens) - 1 and child.dep_ in NOUN_CUE_PREFIX_DEPS:
            cue_tokens.append(child)
    if clause is not None:
        content_tokens = list(clause.subtree)
    else:
        prep = next(
            (c for c in noun.children if c.dep_ == "prep" and c.i > noun.i and c.lower_ in NOUN_CONTENT_PREPS),
            None,
        )
        objects = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")] if prep is not None else []
        if prep is None or not objects:
            return None
        cue_tokens.append(prep)
        content_tokens = list(objects[0].subtree)
    text = doc_text(noun.doc)
    cue_chars = char_span(cue_tokens)
    start, end = within_paragraph(text, noun.idx, *char_span(content_tokens))
    start, end = trim_span(text, *grow_to_quotes(text, quotes, start, end, cue_chars))
    if end <= start:
        return None
    sentence = sentence_of(noun)
    return Attribution(
        content=(start, end),
        cue=cue_chars,
        cue_lemma=noun.lemma_.lower(),
        source=_noun_source(noun),
        direct=is_direct(quotes, start, end),
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )
