"""Where a reported clause stops: before a second statement the parser hung on it.

Input: the head of a cue's complement clause and the clause's tokens. Output: the tokens up to the first
piece that is a statement of its own ("… and urged Y"), which PolNeAR marks as a separate attribution
of the same speaker; and, for that statement's cue, the outer cue whose speaker it shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_cues import attribution_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# Conjunctions joining a second statement of the speaker ("said X and urged Y"); "or" and "rather than"
# join alternatives inside what was said.
STATEMENT_CONJUNCTIONS = frozenset({"and", "but"})
# Complements a cue's content is read from (see ``attribution_verbs``).
CONTENT_HEAD_DEPS = frozenset({"ccomp", "xcomp"})
# Measured on PolNeAR train (840 articles): cutting before a coordinated cue raised content exact F1
# 0.5926 -> 0.5938 and overlap F1 0.8497 -> 0.8505, cue exact F1 0.6998 -> 0.7007. Cutting before a
# participle ("…, insisting that Y": PolNeAR nests it in the outer content), an adverbial clause
# ("because she sees …") or a gerund after a preposition ("by mentioning …") lowered source or attribution F1.


def clause_without_second_statement(head: Token, tokens: list[Token]) -> list[Token]:
    """``tokens`` cut before the first right-hand piece of ``head`` that is a cue of its own (a
    coordinated verb without a subject), with the comma or conjunction that opens it."""
    cut = next((child for child in head.rights if _is_second_statement(child)), None)
    if cut is None:
        return tokens
    doc = head.doc
    start = cut.left_edge.i
    while start - 1 > head.i and (doc[start - 1].is_punct or doc[start - 1].dep_ == "cc"):
        start -= 1  # ", and", " - ", ","
    kept = [t for t in tokens if t.i < start]
    return kept if kept else tokens


def without_dangling_conjunction(tokens: list[Token]) -> list[Token]:
    """A clause whose last word is a conjunction that joins something outside it ("… run out of insulin
    and" when the parser hung "warned" on the cue): the conjunction is not what was said."""
    ordered = sorted(tokens, key=lambda t: t.i)
    while len(ordered) > 1 and ordered[-1].dep_ == "cc":
        ordered.pop()  # a comma left before it goes with the content's trimming
    return ordered


def outer_cue(cue: Token) -> Token | None:
    """The cue whose content ``cue``'s statement was cut from ("said the party was calm and urged …":
    "said" for "urged"): that statement's speaker is the outer cue's, not the subject of the clause the
    parser hung it on."""
    head = cue.head
    if head.dep_ not in CONTENT_HEAD_DEPS or head.head.i == head.i or cue.i < head.i:
        return None
    return head.head if _is_second_statement(cue) else None


def _is_second_statement(piece: Token) -> bool:
    """A cue verb coordinated by "and"/"but" with no subject of its own ("… and urged Y")."""
    if piece.dep_ != "conj" or piece.pos_ not in ("VERB", "AUX") or _has_subject(piece):
        return False
    joined = any(c.dep_ == "cc" and c.lower_ in STATEMENT_CONJUNCTIONS for c in piece.head.children if c.i < piece.i)
    return joined and _speaks(piece)


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS for c in verb.children)


def _speaks(verb: Token) -> bool:
    return attribution_lexicon().is_cue_verb(verb)
