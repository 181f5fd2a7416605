"""Stage quantities.v1: every amount in an article as a ``Quantity`` (counts and measures).

Input: the article's spaCy Doc (one parse, reused). Output: quantities with bounds from the number
grammar (``storyline.nlp.numbers``) and, for counts, what is counted, its affiliation and its state
(killed, wounded, captured …) read from the dependency parse around the number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.numbers import AMOUNT_KINDS, NumberPhrase, find_number_phrases
from storyline.records import ArticleAnalysis, Evidence, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from storyline.pipeline import Context

# State of whoever is the object (or passive subject) of these verbs.
OBJECT_STATES: dict[str, str] = {
    "kill": "killed", "murder": "killed", "massacre": "killed", "slaughter": "killed", "behead": "killed",
    "injure": "wounded", "wound": "wounded", "hurt": "wounded", "harm": "wounded", "maim": "wounded",
    "arrest": "captured", "detain": "captured", "capture": "captured", "seize": "captured",
    "imprison": "captured", "jail": "captured", "round": "captured",
    "execute": "executed", "kidnap": "kidnapped", "abduct": "kidnapped",
    "displace": "displaced", "evacuate": "displaced", "relocate": "displaced", "uproot": "displaced",
    "deploy": "deployed", "send": "deployed", "dispatch": "deployed", "station": "deployed",
    "trap": "remaining", "strand": "remaining", "hole": "remaining", "lose": "killed",
}
# Verbs that give a state only in the passive ("300 fighters are left", not "the storm left 300 homes").
PASSIVE_STATES: dict[str, str] = {"leave": "remaining"}
# "forced 45,000 people from their homes": verb + "from" + one of these places → displaced.
DISPLACING_VERBS = frozenset({"force", "drive", "chase", "push", "uproot"})
HOME_NOUNS = frozenset({"home", "house", "village", "town", "city", "land", "neighbourhood", "neighborhood"})
# State of the (active) subject of these verbs.
SUBJECT_STATES: dict[str, str] = {
    "die": "killed", "drown": "killed", "perish": "killed", "surrender": "surrendered",
    "flee": "displaced", "remain": "remaining", "stay": "remaining",
    "disappear": "missing", "miss": "missing",
}
# Adjectives or participles that state the condition directly ("80 dead", "reported missing").
STATE_WORDS: dict[str, str] = {
    "dead": "killed", "killed": "killed", "wounded": "wounded", "injured": "wounded", "hurt": "wounded",
    "missing": "missing", "unaccounted": "missing", "trapped": "remaining", "stranded": "remaining",
    "homeless": "displaced", "displaced": "displaced", "detained": "captured", "arrested": "captured",
    "captured": "captured", "kidnapped": "kidnapped", "abducted": "kidnapped", "executed": "executed",
}
# Nouns that carry the state themselves ("31 deaths") or pass it to an "of" phrase ("execution of 45").
STATE_NOUNS: dict[str, str] = {
    "death": "killed", "fatality": "killed", "casualty": "casualties", "injury": "wounded",
    "arrest": "captured", "execution": "executed", "evacuation": "displaced", "dead": "killed",
    "wounded": "wounded", "injured": "wounded", "toll": "killed", "kidnapping": "kidnapped",
    "abduction": "kidnapped", "deployment": "deployed",
}
# Verbs whose "to"/"at" object is the new value of a toll ("rose to 52", "stands at 112", "put at 73").
TOLL_VERBS = frozenset({"rise", "climb", "reach", "jump", "increase", "stand", "put", "hit", "soar", "grow",
                        "bring", "raise", "push", "take"})
# Verbs whose object is the value a toll passes ("the number of dead could exceed 500").
TOLL_OBJECT_VERBS = frozenset({"exceed", "top", "surpass", "pass", "reach", "hit"})
# Reporting verbs whose xcomp carries the real predicate ("believed to have fled").
RAISING_VERBS = frozenset({"believe", "report", "say", "think", "fear", "expect", "confirm", "claim"})
# Counted words that are themselves the state ("80 dead"): counted is left empty.
STATE_AS_NOUN = frozenset({"dead", "wounded", "injured", "missing"})
# Modifiers that say nothing about whose side a group is on ("more", "suspected", states such as "captured").
SKIPPED_MODIFIERS = frozenset({
    "more", "other", "additional", "further", "least", "about", "some", "only", "last", "remaining",
    "suspected", "alleged", "estimated", "reported", "fewer", "many", *STATE_WORDS,
})


def quantity_from(phrase: NumberPhrase, article_id: str, offset: int = 0) -> Quantity:
    """A Quantity for a number phrase with no syntactic reading (measures, or no parse available)."""
    return Quantity(
        evidence=Evidence(article_id, offset + phrase.start, offset + phrase.end),
        text=phrase.text, low=phrase.low, high=phrase.high, best=phrase.best, unit=phrase.unit,
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
    if root.dep_ in ("nummod", "quantmod", "amod", "compound", "det") and head.pos_ in ("NOUN", "PROPN") and (
        head.i >= span.end
    ):
        return head
    doc = span.doc
    if span.end < len(doc):
        after = doc[span.end]
        if after.tag_ in ("NNS", "NNPS") and after.sent == span.sent:
            return after
        if after.pos_ in ("NOUN", "PROPN", "ADJ") and after.dep_ in ("compound", "amod") and (
            after.head.tag_ in ("NNS", "NNPS") and after.head.i > after.i
        ):
            return after.head
    return None


def group_modifiers(span: Span, noun: Token) -> str | None:
    """Modifiers between the number and the counted noun ("ISIS", "Syrian army"), or "fighters of X"."""
    words = [
        t.text for t in span.doc[span.end:noun.i]
        if t.dep_ in ("compound", "amod", "nmod", "npadvmod") and t.lower_ not in SKIPPED_MODIFIERS
        and t.pos_ not in ("NUM", "DET", "PUNCT")
    ]
    if not words:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
                if objects:
                    return objects[0].text
    return " ".join(words) or None


def state_from_children(token: Token) -> str | None:
    """Condition stated by a child: "shot dead", "reported missing", "80 people killed", "among the dead"."""
    for child in token.children:
        if child.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "amod", "acl", "advcl") and (
            child.lower_ in STATE_WORDS
        ):
            return STATE_WORDS[child.lower_]
        if child.dep_ == "prep" and child.lower_ == "among":
            for obj in child.children:
                if obj.lemma_.lower() in STATE_NOUNS or obj.lower_ in STATE_WORDS:
                    return STATE_NOUNS.get(obj.lemma_.lower()) or STATE_WORDS[obj.lower_]
                described = [c.lower_ for c in obj.children if c.dep_ in ("acl", "amod", "relcl")]
                if any(word in STATE_WORDS for word in described):  # "among those hurt"
                    return next(STATE_WORDS[w] for w in described if w in STATE_WORDS)
        if child.dep_ == "acl" and child.lemma_.lower() in OBJECT_STATES and child.tag_ == "VBN":
            return OBJECT_STATES[child.lemma_.lower()]
    return None


def toll_state(verb: Token) -> str | None:
    """For "the death toll rose to 52": the state named by the verb's subject or object."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
            words = {t.lemma_.lower() for t in child.subtree}
            if words & {"injure", "injured", "wounded", "wound", "injury"}:
                return "wounded"
            if words & {"death", "dead", "toll", "fatality", "kill", "killed"}:
                return "killed"
    return None


def driven_from_home(verb: Token) -> bool:
    return any(
        c.dep_ == "prep" and c.lower_ in ("from", "out")
        and any(o.lemma_.lower() in HOME_NOUNS for o in c.subtree)
        for c in verb.children
    )


def second_object_state(anchor: Token) -> str | None:
    """"killed 4 herders and between 6 and 8 traders": the parser often hangs the second, ranged object
    on the verb itself (as "conj", or under a "between" conj); it is still the verb's object."""
    joint = anchor.head if anchor.dep_ == "pobj" and anchor.head.lower_ == "between" else anchor
    verb = joint.head
    if joint.dep_ != "conj" or verb.pos_ != "VERB" or not any(c.dep_ == "dobj" for c in verb.children):
        return None
    return OBJECT_STATES.get(verb.lemma_.lower())


def verb_state(anchor: Token) -> str | None:
    """State from the predicate governing ``anchor`` (passives, objects, subjects, copulas, tolls)."""
    if anchor.pos_ in ("NOUN", "PROPN") and (stated := second_object_state(anchor)):
        return stated
    while anchor.dep_ in ("conj", "appos") and anchor.head.i != anchor.i:
        anchor = anchor.head
    head, dep = anchor.head, anchor.dep_
    if dep == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        noun = head.head
        if noun.lemma_.lower() in STATE_NOUNS:
            return STATE_NOUNS[noun.lemma_.lower()]
        return verb_state(noun) if noun.i != anchor.i else None
    if dep == "pobj" and head.lower_ in ("including", "among") and head.head.pos_ in ("NOUN", "PROPN", "NUM"):
        return state_from_children(head.head) or verb_state(head.head)  # "33 people, including 9 children"
    if dep == "pobj" and head.lower_ in ("to", "at") and head.head.lemma_.lower() in TOLL_VERBS:
        return toll_state(head.head)
    if head.pos_ not in ("VERB", "AUX"):
        return None
    lemma = head.lemma_.lower()
    if dep == "dobj" and lemma in TOLL_OBJECT_VERBS:
        return toll_state(head)
    stated = state_from_children(head)
    if stated:
        return stated
    if lemma in RAISING_VERBS:
        for child in head.children:
            if child.dep_ == "xcomp" and child.pos_ == "VERB":
                lemma = child.lemma_.lower()
                passive = child.tag_ == "VBN"
                return SUBJECT_STATES.get(lemma) or (OBJECT_STATES.get(lemma) if passive else None)
    if dep == "dobj" and lemma in DISPLACING_VERBS and driven_from_home(head):
        return "displaced"
    if dep == "nsubjpass" and lemma in PASSIVE_STATES:
        return PASSIVE_STATES[lemma]
    if dep in ("nsubjpass", "dobj", "obj"):
        return OBJECT_STATES.get(lemma)
    if dep == "nsubj" and head.dep_ == "conj" and lemma in OBJECT_STATES and not any(
        c.dep_ == "dobj" for c in head.children
    ):
        return OBJECT_STATES[lemma]  # gapped passive: "19 were killed and 31 wounded"
    if dep == "nsubj":
        if any(c.dep_ == "dobj" and c.lower_ == "lives" for c in head.children) and lemma == "lose":
            return "killed"
        return SUBJECT_STATES.get(lemma)
    return None


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
    return token.doc[start:token.i + 1].text


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
    if anchor.head.lemma_.lower() == "lose" and anchor.dep_ == "dobj" and affiliation is None:
        subjects = [c for c in anchor.head.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
        affiliation = proper_name(subjects[0]) if subjects else None
    if noun is not None and noun.lemma_.lower() == "troop" and state is None and any(
        c.dep_ == "prep" and c.lower_ == "from" for c in noun.children
    ):
        state = "deployed"
    return counted, affiliation, state


def is_pronoun_one(span: Span) -> bool:
    """"one" as a pronoun or in idioms ("one day", "one another") rather than the number 1."""
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
    for phrase in find_number_phrases(doc.text):
        span = doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if phrase.kind == "year" and span.end < len(doc) and doc[span.end].tag_ == "NNS" and (
            span.start == 0 or doc[span.start - 1].dep_ not in ("det", "poss", "case")
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
        found.append(Quantity(
            evidence=base.evidence, text=base.text, low=base.low, high=base.high, best=base.best,
            unit=None, counted=counted, affiliation=affiliation, state=state, negated=phrase.negated,
        ))
    return found


def extract_quantities(doc: Doc, analysis: ArticleAnalysis, ctx: Context) -> tuple[Quantity, ...]:
    """Stage quantities.v1: amounts with bounds, units, and counted/affiliation/state for counts."""
    return tuple(quantities_in(doc, analysis.article.id))
