"""Events stage (events.v1): what happened, in an ACLED-like typology, from clauses and nominalizations.

Input: an article's spaCy ``Doc`` and its ``ArticleAnalysis`` with mentions, places, times and quantities.
Output: ``Event`` records — trigger (lemma lexicon in ``data/events/triggers.tsv``, indexed once), type from
``classify_event_text`` on the trigger's clause, actors from the parse, nearest place/date in the sentence,
fatalities from "killed" quantities (groups summed, see ``event_fatalities``), and a background flag for
past context ("had captured", "in 2014").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.nlp.attribution_sources import DATELINE_DASHES
from storyline.nlp.doc_index import doc_text, sentence_of, span_text
from storyline.nlp.event_fatalities import sentence_fatalities
from storyline.nlp.event_reality import governing_verb, is_aggregate, is_real_trigger
from storyline.nlp.event_typing import (
    EventTyping,
    _read_table,
    classify_event_text,
    label_scores,
    prime_label_scores,
    typology,
)
from storyline.nlp.times import is_start_anchor
from storyline.records import ArticleAnalysis, Event, Evidence, PlaceRef, TimeRef

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from storyline.pipeline import Context

# Dependency labels that start a separate clause, excluded when cutting a verb's own clause.
CLAUSE_BREAK_DEPS = frozenset({"conj", "cc", "advcl", "ccomp", "parataxis", "relcl", "punct"})
# Prepositions whose object is the target of the action ("fired at the base", "attack on the town").
TARGET_PREPOSITIONS = frozenset({"against", "on", "at", "upon", "into"})
# "took control of the town": the place after "of" is the target, not the word "control".
CONTROL_NOUNS = frozenset({"control", "possession", "charge", "hold"})
# Verbs whose object noun is the event and whose subject is its actor ("launched an attack").
SUPPORT_VERBS = frozenset("launch carry conduct stage mount make perform lead wage hold unleash".split())
# Labels that are not an event in themselves; the trigger's own label is kept instead.
NON_EVENT_CODES = frozenset({"ATTRIB", "DIPLO", "OTHER"})
# Entity types that name when or how many, never who: "on Monday" is not a target.
NON_ACTOR_ENTITY_TYPES = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"})
# A bare "attack"/"raid" with no cue in its sentence: a clash if the model sees armed targets, else an attack.
UNCUED_VIOLENCE_CODES = frozenset({"ARMED_CLASH", "ATTACK"})
PRONOUNS = frozenset(
    "he she it they we i you him her them us this that who which himself herself itself themselves "
    "his its their our my your".split()
)
YEAR_PATTERN = re.compile(r"\b(?:in|since|from|by|during|of)\s+((?:19|20)\d\d)\b", re.IGNORECASE)
BACKGROUND_CUES = re.compile(r"\b(?:since|first seen|years? ago|back in|previously|formerly|once)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TriggerRow:
    """One row of triggers.tsv."""

    lemmas: tuple[str, ...]
    pos: str  # VERB | NOUN | *
    prior: str | None
    generic: bool  # "kill", "attack": folds into a more specific event of the same clause
    forms: tuple[str, ...]  # irregular inflections of the head word

    @property
    def head_at(self) -> int:
        # Verb phrases hang on their first word ("took control"), noun compounds on their last ("air strike").
        return 0 if self.pos == "VERB" else len(self.lemmas) - 1


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    head: Token  # the token the trigger's grammar hangs on
    text: str
    prior: str | None
    generic: bool
    start_char: int
    end_char: int


@lru_cache(maxsize=1)
def trigger_table() -> tuple[TriggerRow, ...]:
    rows = []
    for lemmas, pos, prior, forms in _read_table("triggers.tsv"):
        generic = prior == "-" or prior.startswith("~")
        code = None if prior == "-" else prior.lstrip("~")
        extra = () if forms == "-" else tuple(forms.split(","))
        rows.append(TriggerRow(tuple(lemmas.split()), pos, code, generic, extra))
    return tuple(rows)


TriggerIndex = dict[str, tuple[int, ...]]


def build_trigger_index() -> TriggerIndex:
    """Head word (lemma or irregular form) → rows of the trigger table; built once per context.

    A dictionary lookup per token is several times cheaper than a spaCy Matcher with ~90 set predicates."""
    index: dict[str, list[int]] = {}
    for number, row in enumerate(trigger_table()):
        for key in {row.lemmas[row.head_at], *row.forms}:
            index.setdefault(key, []).append(number)
    return {key: tuple(rows) for key, rows in index.items()}


def row_matches(row: TriggerRow, head: Token) -> Span | None:
    """The trigger span if the words around ``head`` complete the row's phrase (and POS fits)."""
    if row.pos == "VERB" and head.pos_ not in ("VERB", "AUX"):
        return None  # the small model mis-tags "-ing" nominals ("Shelling" as ADJ): only verbs are checked
    doc = head.doc
    start = head.i - row.head_at
    end = start + len(row.lemmas)
    if start < 0 or end > len(doc):
        return None
    for offset, word in enumerate(row.lemmas):
        if offset != row.head_at and doc[start + offset].lower_ != word:
            return None
    return doc[start:end]


# Distinct (lemma, lower) pairs kept in a context's row cache before it starts afresh (memory bound).
ROW_CACHE_LIMIT = 200_000


def find_triggers(
    doc: Doc, index: TriggerIndex, rows_of: dict[tuple[int, int], tuple[int, ...]] | None = None
) -> list[TriggerMatch]:
    """Longest trigger per head token ("suicide bombing" beats "bombing"). ``rows_of`` caches the index
    rows per (lemma, lower) hash pair; pass one dict per ``index`` to share it between docs."""
    from spacy.attrs import LEMMA, LOWER

    found: list[TriggerMatch] = []
    table = trigger_table()
    strings = doc.vocab.strings
    # Rows per (lemma, lower) hash pair, read from the attribute array: most tokens start no trigger,
    # and building a Token object and its strings for each of them cost more than the matching.
    # String hashes are stable, so the pairs seen in earlier docs need no new look-up.
    if rows_of is None:
        rows_of = {}
    for i, (lemma, lower) in enumerate(doc.to_array([LEMMA, LOWER]).tolist()):
        rows = rows_of.get((lemma, lower))
        if rows is None:
            rows = index.get(strings[lemma].lower(), ()) + index.get(strings[lower], ())
            rows_of[(lemma, lower)] = rows
        if not rows:
            continue
        token = doc[i]
        best: TriggerMatch | None = None
        for number in dict.fromkeys(rows):
            row = table[number]
            span = row_matches(row, token)
            if span is not None and (best is None or len(span_text(span)) > len(best.text)):
                best = TriggerMatch(token, span_text(span), row.prior, row.generic, span.start_char, span.end_char)
        if best is not None:
            found.append(best)
    return found


def is_dateline(token: Token) -> bool:
    """The all-caps place opening a dateline ("KABUL (Agency) - ...") that the parser made a subject."""
    doc = token.doc
    return (
        token.i - sentence_of(token).start <= 1
        and token.text.isupper()
        and len(token.text) > 1
        and any(t.text in DATELINE_DASHES for t in doc[token.i + 1 : token.i + 7])
    )


def after_dateline(dateline: Token, verb: Token) -> Token | None:
    """The real subject when the parser made the dateline one: another subject of the verb, or the phrase
    it hung on the dateline after the dash ("KABUL (Agency) - Fighters ... took")."""
    others = [c for c in verb.children if c.dep_ == "nsubj" and c.i != dateline.i]
    dash = next(t.i for t in dateline.doc[dateline.i + 1 :] if t.text in DATELINE_DASHES)
    hung = [c for c in dateline.children if c.dep_ == "appos" and c.i > dash]
    candidates = others or hung
    return candidates[0] if candidates else None


def clause_of(token: Token) -> Span:
    """The clause a trigger stands in: its verb's subtree without coordinated or subordinate clauses."""
    verb = governing_verb(token)
    if verb.pos_ not in ("VERB", "AUX"):
        return sentence_of(token)
    kept = [verb.i]
    for child in verb.children:
        if child.dep_ not in CLAUSE_BREAK_DEPS or child.i == token.i or token in child.subtree:
            kept.extend(t.i for t in child.subtree)
    doc = token.doc
    return doc[min(kept) : max(kept) + 1]


def noun_phrase(token: Token) -> Span:
    """The token's phrase without relative clauses or appositions trailing it."""
    left = min((t.i for t in token.subtree if t.i <= token.i), default=token.i)
    right = token.i
    for child in token.rights:  # "town of Qasra" keeps its "of"; "town on the river" stops at "town"
        if child.i == right + 1 and (child.dep_ in ("compound", "flat") or child.lower_ == "of"):
            right = max(t.i for t in child.subtree)
    return token.doc[left : right + 1]


def actor_key(token: Token | None, analysis: ArticleAnalysis) -> str | None:
    """An actor's entity key when a mention covers its phrase, else the phrase text (no pronouns)."""
    if token is not None and token.ent_type_ in ("CARDINAL", "QUANTITY"):
        token = preposition_object(token, frozenset({"of"}))  # "thousands of students" → students
    if token is None or token.lower_ in PRONOUNS or token.ent_type_ in NON_ACTOR_ENTITY_TYPES:
        return None
    phrase = noun_phrase(token)
    # The mention covering the head word or a compound before it ("SDF fighters") names the actor.
    anchors = [token.idx] + [c.idx for c in token.children if c.dep_ == "compound"]
    for mention in analysis.mentions:
        if any(mention.evidence.start <= anchor < mention.evidence.end for anchor in anchors):
            return mention.entity_key
    words = [t for t in phrase if t.dep_ not in ("det", "predet", "punct")]
    if not words:
        return None
    text = doc_text(token.doc)[words[0].idx : words[-1].idx + len(words[-1])]
    if text.count("(") > text.count(")"):  # "Fighters of the Movement (SDM" lost its closing bracket
        text = text[: text.rindex("(")].rstrip()
    return text


def child_with(token: Token, deps: Iterable[str]) -> Token | None:
    wanted = set(deps)
    return next((child for child in token.children if child.dep_ in wanted), None)


def preposition_object(token: Token, prepositions: frozenset[str]) -> Token | None:
    for child in token.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in prepositions:
            target = child_with(child, ("pobj",))
            if target is not None:
                return target
    return None


def verb_actors(verb: Token) -> tuple[Token | None, Token | None]:
    """actor1 = subject (or "by" agent of a passive), actor2 = object, passive subject or target."""
    agent = preposition_object(verb, frozenset({"by"}))
    subject = child_with(verb, ("nsubj",))
    if subject is not None and is_dateline(subject):
        subject = after_dateline(subject, verb)
    passive_subject = child_with(verb, ("nsubjpass",))
    # "fired 50 missiles at the base": the prepositional target beats the weapon in the object slot.
    candidates = (preposition_object(verb, TARGET_PREPOSITIONS), child_with(verb, ("dobj",)), passive_subject)
    target = next((t for t in candidates if t is not None and t.ent_type_ not in NON_ACTOR_ENTITY_TYPES), None)
    if target is not None and target.lemma_.lower() in CONTROL_NOUNS:
        target = preposition_object(target, frozenset({"of"})) or target
    if subject is None and verb.dep_ in ("xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        subject = child_with(verb.head, ("nsubj",))
    return agent or subject, target


def noun_actors(noun: Token) -> tuple[Token | None, Token | None]:
    """Nominal trigger: "X's capture of Y", "the capture of Y by X", "X launched an attack on Y"."""
    actor = preposition_object(noun, frozenset({"by"})) or child_with(noun, ("poss",))
    if actor is None:
        actor = next((c for c in noun.children if c.dep_ in ("amod", "compound") and c.ent_type_), None)
    target = preposition_object(noun, TARGET_PREPOSITIONS | {"of"})
    if actor is None and noun.dep_ == "dobj" and noun.head.lemma_.lower() in SUPPORT_VERBS:
        actor = child_with(noun.head, ("nsubj",))
    if target is None and noun.dep_ == "nsubj":  # "air strikes killed 12 civilians"
        target = child_with(noun.head, ("dobj",)) or preposition_object(noun.head, TARGET_PREPOSITIONS)
    return actor, target


def nearest(records: Iterable[PlaceRef] | Iterable[TimeRef], sentence: Span, anchor: int) -> object | None:
    """The record inside the sentence closest to the trigger (records expose ``.evidence``)."""
    inside = [r for r in records if sentence.start_char <= r.evidence.start < sentence.end_char]
    return min(inside, key=lambda r: abs(r.evidence.start - anchor), default=None)


def is_repeated(head: Token, repeating: list[tuple[int, int]]) -> bool:
    """A habit told with a recurring time ("the shooting at night, every day"): no one event to date."""
    sentence = sentence_of(head)
    return any(sentence.start_char <= start < sentence.end_char for start, _ in repeating)


def is_background(trigger: Token, clause: Span, date: TimeRef | None, published: datetime | None) -> bool:
    """Past context: pluperfect ("had captured"), "since 2012", a date/year well before the article, or many
    events summed up ("several attacks since early last year")."""
    if any(c.lower_ == "had" and c.dep_ == "aux" for c in trigger.children) and trigger.tag_ == "VBN":
        return True
    if is_aggregate(trigger):
        return True
    if published is None:
        return bool(BACKGROUND_CUES.search(span_text(clause))) and bool(YEAR_PATTERN.search(span_text(clause)))
    if date is not None and date.end is not None and (published - date.end.replace(tzinfo=None)).days > 180:
        return True
    years = [int(m.group(1)) for m in YEAR_PATTERN.finditer(span_text(clause))]
    return any(year < published.year for year in years)


@lru_cache(maxsize=1)
def event_codes() -> frozenset[str]:
    return frozenset(code for code in typology() if code not in NON_EVENT_CODES)


def type_event(sentence: Span, prior: str | None, cache: dict[tuple[int, str | None], EventTyping]) -> EventTyping:
    """Type on the whole sentence (a clause alone is too short to type reliably), guided by the trigger."""
    key = (sentence.start, prior)
    if key not in cache:
        # Only labels the sentence has a cue for (or the trigger suggests): a bare "attack" must not
        # become a chemical attack because the model leans that way on unrelated words.
        text = span_text(sentence)
        supported = label_scores(text)[2]
        allowed = event_codes() & (supported | {prior})
        cache[key] = classify_event_text(text, prior=prior, allowed=allowed or UNCUED_VIOLENCE_CODES)
    return cache[key]


def build_event(trigger: TriggerMatch, analysis: ArticleAnalysis, typing: EventTyping, clause: Span) -> Event:
    head = trigger.head
    actor1, actor2 = verb_actors(head) if head.pos_ in ("VERB", "AUX") else noun_actors(head)
    sentence = sentence_of(head)
    dated = (
        t
        for t in analysis.times  # not PAST_REF, not "since 2012"
        if t.timex_type == "DATE" and t.start is not None and not is_start_anchor(analysis.article.text, t)
    )
    date = nearest(dated, sentence, trigger.start_char)
    location = nearest(analysis.places, sentence, trigger.start_char)
    low, high = sentence_fatalities(analysis.quantities, sentence)
    return Event(
        evidence=Evidence(analysis.article.id, clause.start_char, clause.end_char),
        trigger=trigger.text,
        event_type=typing.event_type,
        sub_event_type=typing.sub_type,
        actor1=actor_key(actor1, analysis),
        actor2=actor_key(actor2, analysis),
        location=location if isinstance(location, PlaceRef) else None,
        date=date if isinstance(date, TimeRef) else None,
        fatalities_low=low,
        fatalities_high=high,
        background=is_background(head, clause, date if isinstance(date, TimeRef) else None, analysis.article.published),
        cameo=typing.cameo,
    )


def extract_events(doc: Doc, analysis: ArticleAnalysis, ctx: Context) -> tuple[Event, ...]:
    """events.v1: one Event per distinct (sentence, sub-type); duplicate triggers of one event merge."""
    index = ctx.resource("events.trigger_index", build_trigger_index)
    cache: dict[tuple[int, str | None], EventTyping] = {}
    found: list[tuple[int, Event]] = []
    seen: set[tuple[int, str]] = set()
    seen_clauses: set[tuple[str, str]] = set()
    clause_roots: list[int] = []
    # Specific triggers first, so a generic "killing" can fold into the air strike that caused it.
    rows_of = ctx.resource("events.trigger_rows_by_hashes", dict)
    if len(rows_of) > ROW_CACHE_LIMIT:
        rows_of.clear()
    triggers = sorted(find_triggers(doc, index, rows_of), key=lambda t: (t.generic, t.start_char))
    repeating = [(t.evidence.start, t.evidence.end) for t in analysis.times if t.timex_type == "SET"]
    triggers = [t for t in triggers if is_real_trigger(t.head) and not is_repeated(t.head, repeating)]
    prime_label_scores([span_text(sentence_of(t.head)) for t in triggers])  # one model call for the whole article
    for trigger in triggers:
        lineage = (trigger.head, *trigger.head.ancestors)
        if trigger.generic and any(t.i in clause_roots for t in lineage):
            continue  # "blew himself up, killing four": the killing is that event's outcome
        clause = clause_of(trigger.head)
        sentence = sentence_of(trigger.head)
        typing = type_event(sentence, trigger.prior, cache)
        # "the clashes … fighting" in one sentence is one event, and so is a clause the article repeats
        # word for word (a paragraph quoted again further down).
        key = (sentence.start, typing.code)
        repeated = (" ".join(span_text(clause).split()), trigger.text.lower())
        if key in seen or repeated in seen_clauses:
            continue
        seen.add(key)
        seen_clauses.add(repeated)
        clause_roots.append(clause.root.i)
        found.append((trigger.start_char, build_event(trigger, analysis, typing, clause)))
    return tuple(event for _, event in sorted(found, key=lambda pair: pair[0]))
