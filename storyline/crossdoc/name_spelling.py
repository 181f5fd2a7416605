"""How names are spelled across articles: name parts, transliteration folding and person-name matching.

Inputs are surface forms ("Abu Bakr al-Baghdadi"); outputs are significant parts, folded spellings, phonetic
blocking keys and a verdict on whether two person names are variants or one contains the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from storyline.nlp.entities import NAME_PARTICLES, name_tokens

# Transliteration spellings of one Arabic/Kurdish sound, folded before comparing names (order matters).
TRANSLITERATION = (
    ("dh", "d"),
    ("gh", "g"),
    ("kh", "k"),
    ("th", "t"),
    ("sh", "s"),
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "i"),
    ("ie", "i"),
    ("q", "k"),
    ("c", "k"),
    ("y", "i"),
    ("w", "u"),
)
# Caches of name parts live as long as the process: a bound keeps a long stream of updates from holding every
# name it ever saw (one batch's distinct forms fit, so a batch still computes each once).
NAME_CACHE = 16384
TOKEN_MATCH = 85  # rapidfuzz ratio for two name parts to count as one spelling ("bagdadi" ~ "baghdadi")


@lru_cache(maxsize=NAME_CACHE)
def significant_parts(surface: str) -> tuple[str, ...]:
    parts = tuple(t for t in name_tokens(surface) if t not in NAME_PARTICLES)
    return parts or name_tokens(surface)


@lru_cache(maxsize=NAME_CACHE)
def transliterated(part: str) -> str:
    for written, sound in TRANSLITERATION:
        part = part.replace(written, sound)
    return re.sub(r"(.)\1+", r"\1", part)


@lru_cache(maxsize=NAME_CACHE)
def skeleton(part: str) -> str:
    """Phonetic blocking key: first letter plus consonants of the transliterated form."""
    folded = transliterated(part)
    return folded[:1] + re.sub(r"[aeiou]", "", folded[1:])


@lru_cache(maxsize=NAME_CACHE)
def form_blocking_keys(form: str) -> frozenset[str]:
    """Phonetic keys of a form's significant parts (one-letter and two-letter parts are too short to block)."""
    return frozenset(skeleton(p) for p in significant_parts(form) if len(p) > 2)


@lru_cache(maxsize=NAME_CACHE)
def form_pair_keys(form: str) -> frozenset[str]:
    """Narrower keys under each part's blocking key: another part's initial ("bd&k") and the folded part
    itself ("bd=bada"); crossdoc.entities.node_pair_keys says when each is read."""
    parts = [p for p in significant_parts(form) if len(p) > 2]
    skeletons = [skeleton(p) for p in parts]
    exact = {f"{a}={transliterated(p)}" for a, p in zip(skeletons, parts, strict=True)}
    return frozenset(
        exact | {f"{a}&{b[:1]}" for i, a in enumerate(skeletons) for j, b in enumerate(skeletons) if i != j}
    )


def folded_spelling(widest: str) -> str:
    """A name's significant parts, transliterated: what candidates are ranked by (token-set similarity)."""
    return " ".join(transliterated(p) for p in significant_parts(widest))


def parts_match(x: str, y: str) -> bool:
    tx, ty = transliterated(x), transliterated(y)
    return tx == ty or (min(len(tx), len(ty)) > 3 and fuzz.ratio(tx, ty) >= TOKEN_MATCH)


def compare_person_names(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """Token-set compatibility: every part of the shorter name must match a distinct part of the longer."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    unused = list(longer)
    for part in shorter:
        match = next((u for u in unused if parts_match(part, u)), None)
        if match is None:
            return "different"
        unused.remove(match)
    if len(a) == len(b):
        return "variant"
    return "a_in_b" if shorter is a else "b_in_a"
