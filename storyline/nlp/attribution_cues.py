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
from bisect import bisect_left
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
        if token.pos_ not in ("VERB", "AUX") or token.pos_ == "AUX" and token.dep_ == "aux":
            return False
        if token.lemma_.lower() in self.stance_by_lemma:
            return True
        return self.learned_cue_words.get(token.lower_, 0.0) >= LEARNED_MIN_PRECISION

    def is_cue_noun(self, token: Token) -> bool:
        """A noun that names an attribution ("the claim that", "criticism of")."""
        if token.pos_ != "NOUN":
            return False
        if token.lemma_.lower() in self.noun_cue_lemmas:
            return True
        return self.learned_cue_words.get(token.lower_, 0.0) >= LEARNED_NOUN_MIN_PRECISION

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


# Subjects (and, for nouns, possessors: "her support for") that are people.
HUMAN_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "who", "his", "her", "their", "my", "our"})
# Children whose presence says how a word is used (with a clause, an object, a preposition, a possessor …).
CUE_CHILD_DEPS = ("ccomp", "xcomp", "dobj", "prep", "nsubjpass", "agent", "dative", "poss", "acl", "advcl")
# Learned share bins: the classifier sees the train prior coarsely, so rare forms do not dominate.
PRIOR_BINS = (0.05, 0.15, 0.3, 0.5, 0.7)
VETO_PROBABILITY = 0.3
# Clause openings the classifier tells apart ("said that", "asked whether", "explained how").
CLAUSE_MARK_WORDS = frozenset({"that", "whether", "if", "how", "what", "why", "who", "when", "where"})
# Quote marks within this many tokens of a word: speech verbs sit next to quotations.
QUOTE_WINDOW = 8
QUOTE_MARK_TEXTS = frozenset({"“", "”", '"', "‘", "’", "``", "''"})
QUOTE_TOKENS_KEY = "storyline.claims.quote_tokens"
# Parts of speech the classifier scores: verbs (said, urged) and nouns (his claim, support for).
CLASSIFIED_POS = frozenset({"VERB", "NOUN"})


def _subject_kind(subject: Token | None, human_nouns: frozenset[str]) -> str:
    if subject is None:
        return "none"
    if subject.lower_ in HUMAN_SUBJECT_PRONOUNS:
        return "pron"
    if subject.lemma_.lower() in human_nouns:
        return "human"
    return subject.ent_type_ or subject.pos_


def _clause_mark(children: list[Token], token: Token) -> str:
    """How the token's clause starts: "that", "whether", a wh-word, "bare" (no mark) or "none" (no clause)."""
    for child in children:
        if child.dep_ == "ccomp" and child.i > token.i:
            first = child.left_edge.lower_
            return first if first in CLAUSE_MARK_WORDS else "bare"
    return "none"


def _quote_near(token: Token) -> bool:
    """A quote mark within ``QUOTE_WINDOW`` tokens; the doc's quote-mark positions are found once per doc."""
    doc = token.doc
    marks = doc.user_data.get(QUOTE_TOKENS_KEY)
    if marks is None:
        marks = [t.i for t in doc if t.text in QUOTE_MARK_TEXTS]
        doc.user_data[QUOTE_TOKENS_KEY] = marks
    nearest = bisect_left(marks, token.i - QUOTE_WINDOW)
    return nearest < len(marks) and marks[nearest] <= token.i + QUOTE_WINDOW


def cue_features(token: Token, prior: dict[str, float], human_nouns: frozenset[str] = frozenset()) -> list[str]:
    """Features of a verb or noun for the cue classifier: its lemma, how it is used (clause, object,
    preposition, passive), who its subject (a noun's possessor) and object are, what is around it (quote
    marks, the words before and after). Shared by ``scripts/train_attribution.py`` and the stage; the
    children are read once (spaCy builds a new Token object on every access)."""
    lemma = token.lemma_.lower()
    pos, dep = token.pos_, token.dep_
    children = list(token.children)
    child_deps = {c.dep_ for c in children}
    subject_dep = "poss" if pos == "NOUN" else "nsubj"
    subject_kind = _subject_kind(next((c for c in children if c.dep_ == subject_dep), None), human_nouns)
    share = prior.get(token.lower_, 0.0)
    prior_bin = sum(1 for edge in PRIOR_BINS if share >= edge)
    used = [f"child={d}" for d in CUE_CHILD_DEPS if d in child_deps]
    preps = [f"prep={c.lower_}" for c in children if c.dep_ == "prep" and c.i > token.i][:1]
    that = any(g.dep_ == "mark" and g.lower_ == "that" for c in children for g in c.children)
    doc = token.doc
    following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else "<end>"
    # The object tells idioms from speech: "put pressure on" vs "put forward a plan", "make sense".
    obj = next((c for c in children if c.dep_ == "dobj"), None)
    obj_lemma = obj.lemma_.lower() if obj is not None else "-"
    return [
        "bias",
        f"pos={pos}",
        f"lemma={lemma}",
        f"dep={dep}",
        f"tag={token.tag_}",
        f"head={token.head.lemma_.lower()}",
        f"subj={subject_kind}",
        f"prior={prior_bin}",
        f"prior_pos={prior_bin}|{pos}",
        f"lemma_subj={lemma}|{subject_kind}",
        f"dep_subj={dep}|{subject_kind}|{pos}",
        f"next={following}",
        f"lemma_next={lemma}|{following}",
        f"lemma_obj={lemma}|{obj_lemma}",
        *(["that_clause"] if that else []),
        *used,
        *preps,
        *(f"lemma_{u}={lemma}" for u in used[:2]),
        *(f"lemma_{p}|{lemma}" for p in preps),
        *_context_features(token, lemma, children, human_nouns),
    ]


def _context_features(token: Token, lemma: str, children: list[Token], human_nouns: frozenset[str]) -> list[str]:
    """How the clause opens, quote marks nearby, the word before, the object's and a passive's agent's
    kind, and the lemma's ending (for words train never saw: "-ion", "-ism" nouns, "-ize" verbs)."""
    pos, dep, head = token.pos_, token.dep_, token.head
    mark = _clause_mark(children, token)
    quoted = _quote_near(token)
    previous = token.doc[token.i - 1].lower_ if token.i > 0 else "<start>"
    any_object = next((c for c in children if c.dep_ == "dobj"), None) or next(
        (c for c in children if c.dep_ == "pobj"), None
    )
    features = [
        f"mark={mark}",
        f"lemma_mark={lemma}|{mark}",
        f"quote_near={quoted}",
        f"quote_pos={quoted}|{pos}",
        f"lemma_dep={lemma}|{dep}",
        f"head_dep={head.dep_}|{dep}",
        f"obj_kind={_subject_kind(any_object, human_nouns)}",
        f"prev={previous}",
        f"suffix={lemma[-3:]}|{pos}",
    ]
    if any(c.dep_ == "auxpass" for c in children):
        agent = next((g for c in children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        features += ["passive", f"lemma_passive={lemma}", f"agent={_subject_kind(agent, human_nouns)}"]
    if pos == "NOUN":
        features.append(f"noun_head={dep}|{head.lemma_.lower()}")
    return features


@dataclass(frozen=True, slots=True)
class CueClassifier:
    """Logistic regression over ``cue_features``, stored as feature weights (``cue_model.json``)."""

    weights: dict[str, float]
    threshold: float
    prior: dict[str, float]
    human_nouns: frozenset[str] = frozenset()
    noun_threshold: float = 1.0

    def probability(self, token: Token) -> float:
        score = sum(self.weights.get(f, 0.0) for f in cue_features(token, self.prior, self.human_nouns))
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
        return bool(self.weights) and token.pos_ == "NOUN" and self.probability(token) >= self.noun_threshold


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
