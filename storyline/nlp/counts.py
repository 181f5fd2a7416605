"""Stage quantities.v1: every amount in an article as a ``Quantity`` (counts and measures).

Input: the article's spaCy Doc (one parse, reused). Output: quantities with bounds from the number
grammar (``storyline.nlp.numbers``) and, for counts, what is counted, its affiliation and its state
(killed, wounded, captured …, see ``count_states``) read from the dependency parse around the number.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from storyline.nlp.count_states import (
    STATE_NOUNS,
    STATE_WORDS,
    passive_state_after,
    state_from_children,
    verb_state,
)
from storyline.nlp.doc_index import doc_text
from storyline.nlp.numbers import AMOUNT_KINDS, NumberPhrase, find_number_phrases
from storyline.records import ArticleAnalysis, Evidence, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from storyline.pipeline import Context

# Counted words that are themselves the state ("80 dead"): counted is left empty.
STATE_AS_NOUN = frozenset({"dead", "wounded", "injured", "missing"})
# Modifiers that say nothing about whose side a group is on ("more", "suspected", states such as "captured").
SKIPPED_MODIFIERS = frozenset(
    {
        "more",
        "other",
        "additional",
        "further",
        "least",
        "about",
        "some",
        "only",
        "last",
        "remaining",
        "suspected",
        "alleged",
        "estimated",
        "reported",
        "fewer",
        "many",
        *STATE_WORDS,
    }
)


def quantity_from(phrase: NumberPhrase, article_id: str, offset: int = 0) -> Quantity:
    """A Quantity for a number phrase with no syntactic reading (measures, or no parse available)."""
    return Quantity(
        evidence=Evidence(article_id, offset + phrase.start, offset + phrase.end),
        text=phrase.text,
        low=phrase.low,
        high=phrase.high,
        best=phrase.best,
        unit=phrase.unit,
        negated=phrase.negated,
    )


def number_token(span: Span) -> Token:
    """The syntactic root of the number phrase (its token whose head lies outside the phrase)."""
    for token in reversed(span):
        if not (span.start <= token.head.i < span.end) or token.head.i == token.i:
            return token
    return span[-1]


def counted_noun(span: Span, root: Token) -> Token | None:
    """The thing counted: head of the number, the object of "of", or the noun right after it."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN", "ADJ")]
            if objects:
                return objects[0]
    head = root.head
    while head.dep_ in ("compound", "amod") and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "Forty rebel fighters": the number hangs on the modifier
    if (
        root.dep_ in ("nummod", "quantmod", "amod", "compound", "det")
        and head.pos_ in ("NOUN", "PROPN")
        and (head.i >= span.end)
    ):
        return head
    doc = span.doc
    if span.end < len(doc):
        after = doc[span.end]
        if after.tag_ in ("NNS", "NNPS") and after.sent == span.sent:
            return after
        if (
            after.pos_ in ("NOUN", "PROPN", "ADJ")
            and after.dep_ in ("compound", "amod")
            and (after.head.tag_ in ("NNS", "NNPS") and after.head.i > after.i)
        ):
            return after.head
    return None


def group_modifiers(span: Span, noun: Token) -> str | None:
    """Modifiers between the number and the counted noun ("ISIS", "Syrian army"), or "fighters of X"."""
    words = [
        t.text
        for t in span.doc[span.end : noun.i]
        if t.dep_ in ("compound", "amod", "nmod", "npadvmod")
        and t.lower_ not in SKIPPED_MODIFIERS
        and t.pos_ not in ("NUM", "DET", "PUNCT")
    ]
    if not words:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
                if objects:
                    return objects[0].text
    return " ".join(words) or None


def proper_name(token: Token) -> str:
    """A name with its compound parts: "Forces" → "Syrian Democratic Forces"."""
    start = token.i
    if token.ent_type_:
        while start > 0 and token.doc[start].ent_iob_ == "I":
            start -= 1  # the whole named entity: "Free Syrian Army"
    else:
        parts = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        start = parts[0].i if parts else token.i
    while start < token.i and token.doc[start].pos_ == "DET":
        start += 1
    return token.doc[start : token.i + 1].text


def read_count(span: Span, phrase: NumberPhrase) -> tuple[str | None, str | None, str | None]:
    """(counted, affiliation, state) of a count phrase from the parse around it."""
    root = number_token(span)
    noun = counted_noun(span, root)
    counted = affiliation = state = None
    if noun is not None:
        lemma = noun.lemma_.lower()
        if noun.lower_ in STATE_AS_NOUN:
            state = STATE_WORDS[noun.lower_]
        else:
            counted = noun.text
            affiliation = group_modifiers(span, noun)
            state = STATE_NOUNS.get(lemma) if lemma != "toll" else None
    via_of = noun is not None and noun.head.lower_ == "of" and noun.head.head.i == root.i
    anchor = noun if noun is not None and counted is not None and not via_of else root
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if noun is None and after is not None and after.lower_ in STATE_WORDS:
        state = STATE_WORDS[after.lower_]  # "left at least 9 dead", "leaving 4,000 homeless"
    # The governing verb outranks a participle modifier: "executed 9 captured soldiers" → executed.
    state = state or verb_state(anchor) or state_from_children(anchor)
    if state is None and counted is not None and anchor.pos_ in ("NOUN", "PROPN"):
        state = passive_state_after(anchor)
    if anchor.head.lemma_.lower() == "lose" and anchor.dep_ == "dobj" and affiliation is None:
        subjects = [c for c in anchor.head.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
        affiliation = proper_name(subjects[0]) if subjects else None
    if (
        noun is not None
        and noun.lemma_.lower() == "troop"
        and state is None
        and any(c.dep_ == "prep" and c.lower_ == "from" for c in noun.children)
    ):
        state = "deployed"
    return counted, affiliation, state


def is_pronoun_one(span: Span) -> bool:
    """ "one" as a pronoun or in idioms ("one day", "one another") rather than the number 1."""
    if span.text.lower() == "one day" and span.start == span.sent.start:
        return True  # the idiom "One day, …"
    if span.text.lower() != "one":
        return False
    token = span[0]
    if token.dep_ == "nummod" and token.head.lower_ not in ("day", "time", "another", "way", "point"):
        return False
    return not has_of_phrase(token)


def has_of_phrase(token: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)


def quantities_in(doc: Doc, article_id: str) -> list[Quantity]:
    """Every amount in ``doc``; non-amounts (years, dates, ages, labels …) are left out."""
    found: list[Quantity] = []
    for phrase in find_number_phrases(doc_text(doc)):
        span = doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if (
            phrase.kind == "year"
            and span.end < len(doc)
            and doc[span.end].tag_ == "NNS"
            and (span.start == 0 or doc[span.start - 1].dep_ not in ("det", "poss", "case"))
        ):  # "2000 people" is a count, "the 2017 floods" a year
            phrase = NumberPhrase(phrase.start, phrase.end, phrase.text, phrase.low, phrase.high, phrase.best)
        if phrase.kind not in AMOUNT_KINDS or is_pronoun_one(span):
            continue
        base = quantity_from(phrase, article_id)
        if phrase.kind == "measure":
            found.append(base)
            continue
        counted, affiliation, state = read_count(span, phrase)
        if phrase.text.lower() == "one" and state is None and not has_of_phrase(span[0]):
            continue  # "one option", "on the one hand": a determiner, not a reported count
        found.append(replace(base, unit=None, counted=counted, affiliation=affiliation, state=state))
    return found


def extract_quantities(doc: Doc, analysis: ArticleAnalysis, ctx: Context) -> tuple[Quantity, ...]:
    """Stage quantities.v1: amounts with bounds, units, and counted/affiliation/state for counts."""
    return tuple(quantities_in(doc, analysis.article.id))
