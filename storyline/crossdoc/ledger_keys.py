"""How the ledger normalizes what a fact is about into comparable grouping keys.

Input: raw strings from stored rows (counted nouns, affiliations, speakers, claim contents). Output:
canonical forms: "jihadists" → "fighters", "ISIS" → "islamic state", "seized"/"took" → "capture".
"""

from __future__ import annotations

import re
from functools import lru_cache

from storyline.nlp.entity_names import AliasTable, alias_form, load_alias_table

# Head nouns that count the same thing ("40 deaths" / "40 people killed"); others are singularized.
COUNTED_CLASSES: dict[str, tuple[str, ...]] = {
    "people": ("people", "persons", "person", "deaths", "dead", "victims", "lives", "individuals", "bodies"),
    "fighters": ("fighters", "militants", "jihadists", "insurgents", "combatants", "gunmen", "terrorists"),
    "soldiers": ("soldiers", "troops", "servicemen", "service members", "personnel"),
    "civilians": ("civilians", "non-combatants"),
    "children": ("children", "kids", "minors"),
}
# Heads too generic to compare without a state: "thousands of people" may be anyone.
GENERIC_HEADS = ("people",)
# Main predicates of statements, by lemma-ish class: "seized"/"took"/"captured" state the same thing.
PREDICATE_FORMS: dict[str, tuple[str, ...]] = {
    "kill": ("kill", "kills", "killed", "killing", "die", "died", "dies", "dead"),
    "capture": ("capture", "captured", "captures", "seize", "seized", "seizes", "took", "taken", "takes",
                "overran", "overrun", "stormed", "storm", "conquered", "retook", "retaken", "recaptured"),
    "withdraw": ("withdraw", "withdrew", "withdrawn", "withdrawing", "retreated", "retreat", "abandoned",
                 "pulled"),
    "flee": ("flee", "fled", "fleeing", "flees"),
    "strike": ("strike", "struck", "strikes", "bombed", "bombing", "shelled", "shelling", "airstrikes",
               "hit", "targeted"),
    "use": ("use", "used", "using", "uses", "deployed", "fired", "dropped"),
    "attack": ("attack", "attacked", "attacks", "ambushed", "raided", "assaulted"),
    "hide": ("hide", "hiding", "hid", "hidden", "sheltering"),
    "execute": ("execute", "executed", "execution", "beheaded"),
    "arrest": ("arrest", "arrested", "detained", "detain", "abducted", "kidnapped"),
    "surrender": ("surrender", "surrendered", "surrendering"),
    "escape": ("escape", "escaped", "escaping"),
}


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    """The shared alias table ("ISIS" → "Islamic State"), read once for the ledger."""
    return load_alias_table()


def canonical_name(name: str | None) -> str:
    if not name:
        return ""
    cleaned = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)
    forms = alias_table().by_form
    found = forms.get(alias_form(cleaned))
    if found is None:  # "Syrian Democratic Forces" also matches its acronym "SDF"
        acronym = "".join(w[0] for w in cleaned.split() if w[:1].isupper())
        found = forms.get(alias_form(acronym)) if len(acronym) >= 2 and len(cleaned.split()) > 1 else None
    return (found.canonical if found else cleaned).casefold()


@lru_cache(maxsize=1)
def counted_class_index() -> dict[str, str]:
    return {form: head for head, forms in COUNTED_CLASSES.items() for form in forms}


def counted_head(counted: str) -> str:
    """Lemma-ish head of the counted thing: synonym class, else a crude singular of the last word."""
    word = counted.casefold().split()[-1] if counted.split() else ""
    if word in counted_class_index():
        return counted_class_index()[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def speaker_origin(speaker: str | None, kind: str | None) -> str | None:
    """The trailing proper-name run of a named/nominal speaker ("the monitoring group Burkina Watch")."""
    if not speaker or kind not in ("named", "nominal"):
        return None
    words = speaker.split()
    run: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper():
            break
        run.insert(0, word)
    while run and run[0].casefold() in ("the", "a", "an"):  # sentence-initial "The United Nations"
        run.pop(0)
    return " ".join(run).casefold() or None


@lru_cache(maxsize=1)
def predicate_index() -> dict[str, str]:
    return {form: lemma for lemma, forms in PREDICATE_FORMS.items() for form in forms}


# The main clause comes first; a predicate deep inside a long quote is rarely what the claim states.
PREDICATE_WINDOW_WORDS = 12


def main_predicate(content: str) -> str | None:
    """The first content word naming a known predicate class ("the coalition used cluster bombs" → use)."""
    for word in re.findall(r"[a-z]+", content.casefold())[:PREDICATE_WINDOW_WORDS]:
        if word in predicate_index():
            return predicate_index()[word]
    return None
