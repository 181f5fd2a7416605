"""The attribution lexicon: which words cue reported speech, which stance they carry, and hedges.

Reads ``storyline/data/attribution/cues.json`` (hand-written) and ``learned_cue_words.json`` (built
from PolNeAR train by ``scripts/train_attribution.py``) once per process; answers small questions
about tokens and strings (is this a cue? what stance? which hedges are in this text?). Also holds the
cue classifier (``cue_model.json``, logistic regression weights over ``cue_features``, same script).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.nlp.attribution_cue_features import cue_features_at
from storyline.nlp.claim_token_table import TokenTable, token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "attribution"

# Verbs that only predict when their content talks about the future ("warned that X will …").
FUTURE_MARKERS = re.compile(r"\b(?:will|would|going to|is set to|are set to|'ll|shall)\b", re.IGNORECASE)
# Minimum share of a word's occurrences in PolNeAR train that were cues, for the learned table to count.
LEARNED_MIN_PRECISION = 0.30
# A learned verb with only an object (no clause, no quotation) needs this share to count.
STRONG_LEARNED_PRECISION = 0.3
# Nouns need a higher share: a noun's complement is often a topic, not something said.
LEARNED_NOUN_MIN_PRECISION = 0.4


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
    noun_cue_lemmas: frozenset[str] = frozenset()

    def is_cue_verb(self, token: Token) -> bool:
        """A verb (or participle) that introduces an attribution."""
        return self.is_cue_verb_at(token_table(token.doc), token.i)

    def is_cue_verb_at(self, table: TokenTable, i: int) -> bool:
        """``is_cue_verb`` of token ``i``, read from the doc's token table."""
        pos = table.pos[i]
        if pos not in ("VERB", "AUX") or pos == "AUX" and table.dep[i] == "aux":
            return False
        if table.lemma[i] in self.stance_by_lemma:
            return True
        return self.learned_cue_words.get(table.lower[i], 0.0) >= LEARNED_MIN_PRECISION

    def is_cue_noun(self, token: Token) -> bool:
        """A noun that names an attribution ("the claim that", "criticism of")."""
        return self.is_cue_noun_at(token_table(token.doc), token.i)

    def is_cue_noun_at(self, table: TokenTable, i: int) -> bool:
        """``is_cue_noun`` of token ``i``, read from the doc's token table."""
        if table.pos[i] != "NOUN":
            return False
        if table.lemma[i] in self.noun_cue_lemmas:
            return True
        return self.learned_cue_words.get(table.lower[i], 0.0) >= LEARNED_NOUN_MIN_PRECISION

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


VETO_PROBABILITY = 0.3
# Parts of speech the classifier scores: verbs (said, urged) and nouns (his claim, support for).
CLASSIFIED_POS = frozenset({"VERB", "NOUN"})


def cue_features(token: Token, prior: dict[str, float], human_nouns: frozenset[str] = frozenset()) -> list[str]:
    """Features of a verb or noun for the cue classifier (see ``attribution_cue_features``); shared by
    ``scripts/train_attribution.py`` and the stage."""
    doc = token.doc
    return cue_features_at(doc, token_table(doc), token.i, prior, human_nouns)


@dataclass(frozen=True, slots=True)
class CueClassifier:
    """Logistic regression over ``cue_features``, stored as feature weights (``cue_model.json``)."""

    weights: dict[str, float]
    threshold: float
    prior: dict[str, float]
    human_nouns: frozenset[str] = frozenset()
    noun_threshold: float = 1.0

    def probability(self, token: Token) -> float:
        doc = token.doc
        return self.probability_at(doc, token_table(doc), token.i)

    def probability_at(self, doc: Doc, table: TokenTable, i: int) -> float:
        """``probability`` of token ``i``, read from the doc's token table."""
        features = cue_features_at(doc, table, i, self.prior, self.human_nouns)
        score = sum(map(self.weights.get, features, repeat(0.0)))  # in feature order, as training summed
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def vetoes(self, token: Token, probability: float | None = None) -> bool:
        """A lexicon cue the classifier finds very unlikely in its use here ("put pressure on"). Only
        object-taking uses are vetoed: with a clause the lexicon is right far more often.
        ``probability``: the token's, when the caller already computed it."""
        if not self.weights or token.pos_ != "VERB" or any(c.dep_ in ("ccomp", "xcomp") for c in token.children):
            return False
        return (self.probability(token) if probability is None else probability) < VETO_PROBABILITY

    def is_cue(self, token: Token) -> bool:
        return bool(self.weights) and token.pos_ == "VERB" and self.probability(token) >= self.threshold

    def is_noun_cue(self, token: Token) -> bool:
        """A noun the classifier finds likely to name an attribution ("her support for", "his claim")."""
        doc = token.doc
        return self.is_noun_cue_at(doc, token_table(doc), token.i)

    def is_noun_cue_at(self, doc: Doc, table: TokenTable, i: int) -> bool:
        """``is_noun_cue`` of token ``i``, read from the doc's token table."""
        if not self.weights or table.pos[i] != "NOUN":
            return False
        return self.probability_at(doc, table, i) >= self.noun_threshold


@lru_cache(maxsize=1)
def cue_classifier() -> CueClassifier:
    """The trained classifier, loaded once; an empty one (never a cue) when the model file is absent."""
    model = _read_json("cue_model.json")
    weights = model.get("weights", {})
    threshold = model.get("threshold", 1.0)
    noun_threshold = model.get("noun_threshold", 1.0)
    lexicon = attribution_lexicon()
    return CueClassifier(
        weights={str(k): float(v) for k, v in weights.items()} if isinstance(weights, dict) else {},
        threshold=float(threshold) if isinstance(threshold, (int, float)) else 1.0,
        prior=lexicon.learned_cue_words,
        human_nouns=lexicon.anonymous_heads | lexicon.role_words,
        noun_threshold=float(noun_threshold) if isinstance(noun_threshold, (int, float)) else 1.0,
    )


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
        noun_cue_lemmas=_words(table, "noun_cue_lemmas"),
    )
