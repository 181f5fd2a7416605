"""The state of a counted group (killed, wounded, captured, displaced …) read from the dependency parse.

Input: the token a count hangs on (its counted noun or the number itself). Output: a state name or None.
Word tables map lemmas and words to states; ``verb_state`` walks from the anchor to its predicate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# State of whoever is the object (or passive subject) of these verbs.
OBJECT_STATES: dict[str, str] = {
    "kill": "killed",
    "murder": "killed",
    "massacre": "killed",
    "slaughter": "killed",
    "behead": "killed",
    "injure": "wounded",
    "wound": "wounded",
    "hurt": "wounded",
    "harm": "wounded",
    "maim": "wounded",
    "arrest": "captured",
    "detain": "captured",
    "capture": "captured",
    "seize": "captured",
    "imprison": "captured",
    "jail": "captured",
    "round": "captured",
    "execute": "executed",
    "kidnap": "kidnapped",
    "abduct": "kidnapped",
    "displace": "displaced",
    "evacuate": "displaced",
    "relocate": "displaced",
    "uproot": "displaced",
    "deploy": "deployed",
    "send": "deployed",
    "dispatch": "deployed",
    "station": "deployed",
    "trap": "remaining",
    "strand": "remaining",
    "hole": "remaining",
    "lose": "killed",
}
# Verbs that give a state only in the passive ("300 fighters are left", not "the storm left 300 homes").
PASSIVE_STATES: dict[str, str] = {"leave": "remaining"}
# "forced 45,000 people from their homes": verb + "from" + one of these places → displaced.
DISPLACING_VERBS = frozenset({"force", "drive", "chase", "push", "uproot"})
HOME_NOUNS = frozenset({"home", "house", "village", "town", "city", "land", "neighbourhood", "neighborhood"})
# State of the (active) subject of these verbs.
SUBJECT_STATES: dict[str, str] = {
    "die": "killed",
    "drown": "killed",
    "perish": "killed",
    "surrender": "surrendered",
    "flee": "displaced",
    "remain": "remaining",
    "stay": "remaining",
    "disappear": "missing",
    "miss": "missing",
}
# Adjectives or participles that state the condition directly ("80 dead", "reported missing").
STATE_WORDS: dict[str, str] = {
    "dead": "killed",
    "killed": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "hurt": "wounded",
    "missing": "missing",
    "unaccounted": "missing",
    "trapped": "remaining",
    "stranded": "remaining",
    "homeless": "displaced",
    "displaced": "displaced",
    "detained": "captured",
    "arrested": "captured",
    "captured": "captured",
    "kidnapped": "kidnapped",
    "abducted": "kidnapped",
    "executed": "executed",
}
# Nouns that carry the state themselves ("31 deaths") or pass it to an "of" phrase ("execution of 45").
STATE_NOUNS: dict[str, str] = {
    "death": "killed",
    "fatality": "killed",
    "casualty": "casualties",
    "injury": "wounded",
    "arrest": "captured",
    "execution": "executed",
    "evacuation": "displaced",
    "dead": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "toll": "killed",
    "kidnapping": "kidnapped",
    "abduction": "kidnapped",
    "deployment": "deployed",
}
# Verbs whose "to"/"at" object is the new value of a toll ("rose to 52", "stands at 112", "put at 73").
TOLL_VERBS = frozenset(
    {
        "rise",
        "climb",
        "reach",
        "jump",
        "increase",
        "stand",
        "put",
        "hit",
        "soar",
        "grow",
        "bring",
        "raise",
        "push",
        "take",
    }
)
# Verbs whose object is the value a toll passes ("the number of dead could exceed 500").
TOLL_OBJECT_VERBS = frozenset({"exceed", "top", "surpass", "pass", "reach", "hit"})
# Reporting verbs whose xcomp carries the real predicate ("believed to have fled").
RAISING_VERBS = frozenset({"believe", "report", "say", "think", "fear", "expect", "confirm", "claim"})


def state_from_children(token: Token) -> str | None:
    """Condition stated by a child: "shot dead", "reported missing", "80 people killed", "among the dead"."""
    for child in token.children:
        if child.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "amod", "acl", "advcl") and (child.lower_ in STATE_WORDS):
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
        c.dep_ == "prep" and c.lower_ in ("from", "out") and any(o.lemma_.lower() in HOME_NOUNS for o in c.subtree)
        for c in verb.children
    )


def second_object_state(anchor: Token) -> str | None:
    """ "killed 4 herders and between 6 and 8 traders": the parser often hangs the second, ranged object
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
    if (
        dep == "nsubj"
        and head.dep_ == "conj"
        and lemma in OBJECT_STATES
        and not any(c.dep_ == "dobj" for c in head.children)
    ):
        return OBJECT_STATES[lemma]  # gapped passive: "19 were killed and 31 wounded"
    if dep == "nsubj":
        if any(c.dep_ == "dobj" and c.lower_ == "lives" for c in head.children) and lemma == "lose":
            return "killed"
        return SUBJECT_STATES.get(lemma)
    return None


# Auxiliaries and adverbs that may stand between a subject and its participle ("were reportedly killed").
PASSIVE_BRIDGE = frozenset({"was", "were", "is", "are", "been", "have", "has", "had", "be", "reportedly",
                            "also", "all", "later", "allegedly", "apparently", "either"})


# Words a coordinated count phrase is made of ("80 police officers"), and how far it may reach.
COORDINATED_PHRASE_POS = frozenset({"NUM", "ADJ", "NOUN", "PROPN", "DET"})
MAX_COORDINATED_SPAN = 8


def passive_state_after(noun: Token) -> str | None:
    """The state of a count's noun read from the words right after its phrase, for when the parser hung the
    subject elsewhere ("According to X, 900 jihadists and 500 fighters were killed": "jihadists" parsed as an
    apposition of X). A second coordinated noun phrase may stand between. Needs at least one auxiliary, so
    an object ("killed 9 soldiers wounded") never qualifies."""
    doc, i = noun.doc, noun.right_edge.i + 1
    # "... 300 rebels and 80 police officers were killed": the "and" may end the noun's subtree or follow it
    coordinated = doc[i - 1].lower_ in ("and", "or")
    if not coordinated and i < len(doc) and doc[i].lower_ in ("and", "or"):
        i, coordinated = i + 1, True
    if coordinated:
        while i < len(doc) and doc[i].pos_ in COORDINATED_PHRASE_POS and i - noun.i <= MAX_COORDINATED_SPAN:
            i += 1
    bridged = 0
    while i < len(doc) and doc[i].lower_ in PASSIVE_BRIDGE:
        i, bridged = i + 1, bridged + 1
    if not bridged or i >= len(doc) or doc[i].lower_ not in STATE_WORDS:
        return None
    return STATE_WORDS[doc[i].lower_]
