"""Which event triggers report something that happened: not a name ("Attack helicopter museum"), not negated,
not modal or planned ("could capture", "vowed to retake"), not an open question ("unclear whether anyone
was killed"), not a habit ("fighters attack convoys"). Reads a spaCy parse; answers yes/no per trigger head
for the events stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.doc_index import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Token

# Words that, governing a trigger, make it unreal or not (yet) happened: "threatened to attack", "plans".
IRREALIS_GOVERNORS = frozenset(
    "threaten vow plan plot prepare intend want seek try aim warn fear risk discuss debate talk consider "
    "propose demand urge call deny avoid prevent foil thwart could would should might may will "
    "keen eager wish hope bounty".split()
)
# Modal auxiliaries on the trigger verb itself: "could attack", "will capture".
IRREALIS_AUXILIARIES = frozenset("will would could might may should shall must can 'll".split())
# Governors after which an infinitive did happen: "managed to capture".
COMPLETION_GOVERNORS = frozenset("manage succeed".split())
# A trigger inside these entity types is a name, not an event: "Attack helicopter museum".
NAME_ENTITY_TYPES = frozenset({"ORG", "FAC", "WORK_OF_ART", "PRODUCT", "LAW"})
# Marks of an open question or condition: "unclear whether anyone was killed", "did not say how many died".
QUESTION_MARKS = frozenset({"whether", "if"})
HYPHENS = frozenset({"-", "‐", "‑"})
# Determiners that make a trigger noun any occurrence, not one: "each withdrawal", "every attack".
DISTRIBUTIVE_DETERMINERS = frozenset({"each", "every", "any"})
# Words that make a plural trigger a sum of many events: "several attacks", "a series of ambushes".
AGGREGATE_QUANTIFIERS = frozenset("several many numerous multiple repeated frequent countless series spate string wave "
                                  "dozens hundreds scores".split())


def governing_verb(token: Token) -> Token:
    """The token itself if a verb, else the nearest verb above it (or the sentence root)."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return verb


def is_unreal(verb: Token) -> bool:
    """Negated, modal ("could capture") or a bare infinitive ("vowed to retake", "an offensive to retake")."""
    children = list(verb.children)
    if any(c.dep_ == "neg" for c in children):
        return True
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in IRREALIS_AUXILIARIES for c in children):
        return True
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in children)
    return infinitive and verb.head.lemma_.lower() not in COMPLETION_GOVERNORS


def is_open_question(verb: Token) -> bool:
    """A clause that asks rather than tells: "whether/if anyone was killed", "how many soldiers died"."""
    if any(c.dep_ == "mark" and c.lower_ in QUESTION_MARKS for c in verb.children):
        return True
    subjects = (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))
    return any(t.lower_ == "how" for subject in subjects for t in subject.subtree)


def is_generic(head: Token, verb: Token) -> bool:
    """A habit or a type, not an occurrence: a gerund subject ("Retaking a town is the easy part") or, below
    the headline (which news writes in the present), a present-tense verb of a bare plural ("fighters first
    cut the roads, then target water points, and only attack once the garrison is exhausted")."""
    if head.tag_ == "VBG" and head.dep_ in ("csubj", "csubjpass"):
        return True
    if any(c.dep_ == "det" and c.lower_ in DISTRIBUTIVE_DETERMINERS for c in head.children):
        return True  # "each withdrawal has been followed by weeks of insecurity"
    if verb.tag_ not in ("VBP", "VBZ") or sentence_of(verb).start == 0:
        return False
    if verb.dep_ == "relcl":
        return True  # a present-tense relative clause describes a role: "auxiliaries who fight alongside the army"
    clause = verb
    while clause.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in clause.children):
        clause = clause.head
    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    return (subject is not None and subject.tag_ == "NNS"
            and not any(c.dep_ in ("det", "poss", "nummod") for c in subject.children))


def opens_hyphenated_word(token: Token) -> bool:
    """The first part of a hyphenated word ("battle-hardened", "war-torn", "bomb-making"): a modifier, not
    the word the sentence is about."""
    doc = token.doc
    return (
        token.i + 2 < len(doc)
        and not token.whitespace_
        and doc[token.i + 1].text in HYPHENS
        and not doc[token.i + 1].whitespace_
        and doc[token.i + 2].is_alpha
    )


def is_aggregate(head: Token) -> bool:
    """Many events summed up ("several attacks since early last year", "a series of ambushes"): context
    for the news, not one event of it."""
    if head.tag_ != "NNS":
        return False
    if any(c.lower_ in AGGREGATE_QUANTIFIERS for c in head.children if c.dep_ in ("amod", "det", "nummod")):
        return True
    return head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in AGGREGATE_QUANTIFIERS


def is_real_trigger(head: Token) -> bool:
    """Reject modifiers ("attack plan", "battle-hardened"), names, negated and unreal ("plans to attack")
    triggers."""
    if head.ent_type_ in NAME_ENTITY_TYPES or opens_hyphenated_word(head):
        return False
    coordinated = any(child.dep_ in ("cc", "conj") for child in head.children)
    if head.dep_ in ("compound", "amod") and head.pos_ != "VERB" and not coordinated:
        return False  # "attack plan", "Attack helicopter" — but "Shelling and air strikes" is two events
    if any(child.dep_ == "neg" for child in head.children):
        return False
    verb = governing_verb(head)
    if is_unreal(verb) or is_open_question(verb) or is_generic(head, verb):
        return False
    governor = head.head
    for _ in range(3):  # the trigger, its verb, and that verb's governor
        if governor.lemma_.lower() in IRREALIS_GOVERNORS and governor.i != head.i:
            return False
        if governor.head.i == governor.i:
            break
        governor = governor.head
    return True
