"""The attribution lexicon: which words cue reported speech, which stance they carry, and hedges.

Reads ``storyline/data/attribution/cues.json`` (hand-written) and ``learned_cue_words.json`` (built
from PolNeAR train by ``scripts/train_attribution.py``) once per process; answers small questions
about tokens and strings (is this a cue? what stance? which hedges are in this text?).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "attribution"

# Verbs that only predict when their content talks about the future ("warned that X will …").
FUTURE_MARKERS = re.compile(r"\b(?:will|would|going to|is set to|are set to|'ll|shall)\b", re.IGNORECASE)
# Minimum share of a word's occurrences in PolNeAR train that were cues, for the learned table to count.
LEARNED_MIN_PRECISION = 0.30
# A learned verb with only an object (no clause, no quotation) needs this share to count.
STRONG_LEARNED_PRECISION = 0.3


@dataclass(frozen=True, slots=True)
class AttributionLexicon:
    """Every word list the attribution stage uses, loaded from data files."""

    stance_by_lemma: dict[str, str]
    needs_complement: frozenset[str]
    quote_speech_lemmas: frozenset[str]
    passive_hedge_lemmas: frozenset[str]
    anonymous_heads: frozenset[str]
    indefinite_determiners: frozenset[str]
    outlet_words: frozenset[str]
    role_words: frozenset[str]
    female_words: frozenset[str]
    male_words: frozenset[str]
    hedge_pattern: re.Pattern[str]
    number_words: frozenset[str]
    learned_cue_words: dict[str, float]  # lower-cased verb form -> share of train occurrences that cue

    def is_cue_verb(self, token: Token) -> bool:
        """A verb (or participle) that introduces an attribution."""
        if token.pos_ not in ("VERB", "AUX") or token.pos_ == "AUX" and token.dep_ == "aux":
            return False
        if token.lemma_.lower() in self.stance_by_lemma:
            return True
        return self.learned_cue_words.get(token.lower_, 0.0) >= LEARNED_MIN_PRECISION

    def strong_cue(self, token: Token) -> bool:
        """A cue even when it only takes an object ("denied the report"), not just a clause."""
        return token.lemma_.lower() in self.stance_by_lemma or (
            self.learned_cue_words.get(token.lower_, 0.0) >= STRONG_LEARNED_PRECISION
        )

    def stance(self, lemma: str, content: str) -> str:
        base = self.stance_by_lemma.get(lemma.lower(), "assert")
        if lemma.lower() in ("warn", "fear") and not FUTURE_MARKERS.search(content):
            return "assert"
        return base

    def hedges_in(self, text: str) -> tuple[str, ...]:
        """Hedge expressions found in ``text``, lower-cased, in order of appearance, without repeats."""
        found: list[str] = []
        for match in self.hedge_pattern.finditer(text):
            phrase = match.group(0).lower()
            if phrase not in found:
                found.append(phrase)
        return tuple(found)


def _read_json(name: str) -> dict[str, object]:
    path = DATA_DIR / name
    if not path.exists():
        return {}
    loaded = json.loads(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def _words(table: dict[str, object], key: str) -> frozenset[str]:
    values = table.get(key, [])
    return frozenset(str(v).lower() for v in values) if isinstance(values, list) else frozenset()


@lru_cache(maxsize=1)
def attribution_lexicon() -> AttributionLexicon:
    """Load the lexicon once per process (the data files are small)."""
    table = _read_json("cues.json")
    learned = _read_json("learned_cue_words.json").get("precision_by_word", {})
    stances = table.get("stance_by_lemma", {})
    patterns = table.get("hedge_patterns", [])
    hedge_regex = "|".join(f"(?:{p})" for p in patterns) if isinstance(patterns, list) else r"(?!)"
    return AttributionLexicon(
        stance_by_lemma={str(k): str(v) for k, v in stances.items()} if isinstance(stances, dict) else {},
        needs_complement=_words(table, "needs_complement"),
        quote_speech_lemmas=_words(table, "speech_lemmas_for_quotes"),
        passive_hedge_lemmas=_words(table, "passive_hedge_lemmas"),
        anonymous_heads=_words(table, "anonymous_heads"),
        indefinite_determiners=_words(table, "indefinite_determiners"),
        outlet_words=_words(table, "outlet_words"),
        role_words=_words(table, "role_words"),
        female_words=_words(table, "female_words"),
        male_words=_words(table, "male_words"),
        hedge_pattern=re.compile(hedge_regex or r"(?!)", re.IGNORECASE),
        number_words=_words(table, "number_words"),
        learned_cue_words={str(k): float(v) for k, v in learned.items()} if isinstance(learned, dict) else {},
    )
