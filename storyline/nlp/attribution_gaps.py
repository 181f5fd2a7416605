"""Contents that stand before their cue verb, where the verb has no complement of its own to read.

Input: a cue verb the lexicon or the cue classifier accepted, and its subject. Output: the content's
character span for an object-gap relative clause ("the plan she once supported": "the plan") and for a
passive with a by-phrase ("The move was criticized by economists": "The move"), else None. PolNeAR
marks both (train: ~70 such lexicon cues missed for want of a content after the verb). Also the next
paragraph for a cue ending its own with a colon ("Ruiz responded:"; train: 36 of 118 such lines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_bounds import EXPERIENCER_OBJECT_LEMMAS
from storyline.nlp.attribution_sources import source_bounds
from storyline.nlp.attribution_spans import EXPLETIVES, char_span, same_paragraph, trim_span
from storyline.nlp.doc_index import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Token

Bounds = tuple[int, int]
# Children that are a content after the verb: a cue with one of them is read the ordinary way.
COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "dative", "attr", "oprd", "acomp"})
# "told reporters on Monday:" — words a cue may run over before a colon that ends its paragraph.
MAX_TOKENS_BEFORE_COLON = 4
RELATIVE_WORDS = frozenset({"which", "that", "whom", "who", "what"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON"})
# Verbs whose passive subject is the one addressed, not what was said ("She was asked by a reporter").
ADDRESSEE_LEMMAS = frozenset(
    """ask press question urge tell pressure push challenge invite warn advise encourage remind inform brief
    interview petition lobby call contact approach""".split()
)


def content_before_cue(cue: Token, subject: Token | None) -> Bounds | None:
    """The content of a cue whose content precedes it (see the module docstring), else None."""
    if any(c.dep_ in COMPLEMENT_DEPS and c.i > cue.i for c in cue.children):
        return None
    return _gap_antecedent(cue, subject) or _passive_subject(cue, subject) or _participle_head(cue, subject)


def _gap_antecedent(cue: Token, subject: Token | None) -> Bounds | None:
    """ "the plan she once supported" → "the plan"; "…, which Mr. Volkov opposed" → "which": the object
    the relative clause leaves out is what the subject holds a view on."""
    if cue.dep_ != "relcl" or subject is None or subject.lower_ in RELATIVE_WORDS or subject.i > cue.i:
        return None
    antecedent = cue.head
    if antecedent.pos_ not in NOMINAL_POS or not same_paragraph(antecedent, cue):
        return None
    relative = next((c for c in cue.children if c.i < subject.i and c.lower_ in RELATIVE_WORDS), None)
    if relative is not None:
        return _trimmed(cue, [relative])
    if any(c.dep_ in ("advmod", "prep") and c.i < subject.i for c in cue.children):
        return None  # "the day when she spoke", "the group to which he wrote": no object left out
    first = antecedent.left_edge.i
    tokens = list(cue.doc[first : cue.left_edge.i])
    return _trimmed(cue, tokens) if tokens else None


def _passive_subject(cue: Token, subject: Token | None) -> Bounds | None:
    """ "The move was criticized by economists": what the by-phrase's speaker judged is the passive subject."""
    if subject is None or not any(c.dep_ == "agent" for c in cue.children):
        return None
    if cue.lemma_.lower() in ADDRESSEE_LEMMAS | EXPERIENCER_OBJECT_LEMMAS:
        return None  # "was asked by X": the subject is who was addressed; "angered by": who feels (see bounds)
    patient = next((c for c in cue.children if c.dep_ == "nsubjpass" and c.lower_ not in EXPLETIVES), None)
    if patient is None or patient.lower_ in RELATIVE_WORDS or not same_paragraph(patient, cue):
        return None
    return _trimmed(cue, list(patient.subtree))


def _participle_head(cue: Token, subject: Token | None) -> Bounds | None:
    """ "an allegation rejected by two inquiries" → "an allegation": a passive participle with a by-phrase
    modifying a noun; its speaker judged the noun phrase before it (the participle's own phrase left out)."""
    if cue.dep_ != "acl" or cue.tag_ != "VBN" or subject is None or subject.head.dep_ != "agent":
        return None
    if cue.lemma_.lower() in ADDRESSEE_LEMMAS | EXPERIENCER_OBJECT_LEMMAS:
        return None
    noun = cue.head
    if noun.pos_ not in NOMINAL_POS or noun.i > cue.i or not same_paragraph(noun, cue):
        return None
    tokens = list(cue.doc[noun.left_edge.i : cue.left_edge.i])
    return _trimmed(cue, tokens) if tokens else None


def next_paragraph_content(cue: Token) -> Bounds | None:
    """ "Ann Ruiz responded:" ending its paragraph: what she said is the next paragraph (a block quote)."""
    doc, text = cue.doc, doc_text(cue.doc)
    following = doc[cue.i + 1 : cue.i + 2 + MAX_TOKENS_BEFORE_COLON]
    colon = next((t for t in following if t.text == ":"), None)
    if colon is None or any(t.pos_ in ("VERB", "AUX") or t.is_quote for t in doc[cue.i + 1 : colon.i]):
        return None
    rest = text[colon.idx + 1 :]
    if not rest.lstrip(" \t").startswith("\n"):
        return None  # the content follows on the same line: read the ordinary way
    start = colon.idx + 1 + len(rest) - len(rest.lstrip())
    end = text.find("\n", start)
    start, end = trim_span(text, start, len(text) if end < 0 else end)
    return (start, end) if end > start else None


def _trimmed(cue: Token, tokens: list[Token]) -> Bounds | None:
    start, end = trim_span(doc_text(cue.doc), *char_span(tokens))
    return (start, end) if end > start else None


def passive_experiencer_roles(cue: Token) -> tuple[Bounds, Bounds] | None:
    """(content characters, source tokens) of "Officials were angered by the deal": the passive subject
    feels (the source), the by-phrase is what about (the content), the reverse of other passives."""
    if cue.lemma_.lower() not in EXPERIENCER_OBJECT_LEMMAS:
        return None
    felt = next((c for c in cue.children if c.dep_ == "nsubjpass" and c.pos_ in NOMINAL_POS), None)
    agent = next((c for c in cue.children if c.dep_ == "agent" and c.i > cue.i), None)
    cause = next((c for c in agent.children if c.dep_ in ("pobj", "pcomp")), None) if agent is not None else None
    if felt is None or cause is None or felt.lower_ in RELATIVE_WORDS or not same_paragraph(felt, cause):
        return None
    content = _trimmed(cue, list(cause.subtree))
    return (content, source_bounds(felt)) if content is not None else None
