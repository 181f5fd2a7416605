"""Event typing: a text (snippet, sentence or clause) → ACLED-like event type and sub-type.

Inputs are plain strings; output is an ``EventTyping`` (label code, ACLED type/sub-type, CAMEO/PLOVER codes,
score, the cue that fired). Two layers, both built from data files in ``storyline/data/events``: a weighted
cue lexicon from the ACLED codebook definitions, and a TF-IDF + linear SVM trained on
snippets the storyline authors wrote (``examples*.tsv`` templates × ``slots.tsv`` fillers), shipped
pre-trained in ``typer_model.npz`` (see ``storyline.nlp.event_model``).
Three ACLED codebook rules then settle the territory, protest and disrupted-weapons sub-types.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from storyline.nlp.event_model import (
    LinearTextModel,
    StaleModel,
    fit_linear_model,
    load_model,
    packaged_model_path,
    source_hash,
)

LOG = logging.getLogger(__name__)
DATA_FOLDER = "data/events"
# How many filled copies each template yields; more copies vary the slot words, not the event words.
COPIES_PER_TEMPLATE = 4
TRAINING_SEED = 13
# Part of the shipped model's hash: change it whenever the way snippets are built or fed to the model changes.
TRAINING_RECIPE = "templates-x4-context-2"
# Relative weight of the lexicon against the model probabilities (lexicon share is in [0, 1)).
LEXICON_WEIGHT = 0.8
# A prior (e.g. the trigger word the pipeline matched) adds this much to its label's score, and more when
# the text itself has a cue for it: in "shelling and air strikes", each trigger keeps its own sub-type.
PRIOR_WEIGHT = 0.35
SUPPORTED_PRIOR_WEIGHT = 1.0
SLOT_PATTERN = re.compile(r"\{([A-Z]+)\}")
# Template tables, all written from the ACLED codebook definitions (none from benchmark text).
EXAMPLE_FILES = ("examples.tsv", "examples_codebook.tsv", "examples_boundaries.tsv")


@dataclass(frozen=True, slots=True)
class EventLabel:
    """One row of the typology table."""

    code: str  # CASE 2021 / ACLED-derived code, e.g. "AIR_STRIKE"
    event_type: str
    sub_event_type: str
    cameo: str | None
    plover: str | None
    definition: str


@dataclass(frozen=True, slots=True)
class EventTyping:
    """The typer's decision for one text."""

    code: str
    event_type: str
    sub_type: str
    score: float  # combined score of the winning label, roughly in [0, 2]
    trigger: str | None  # the lexicon cue that supported the label, if any
    cameo: str | None = None
    plover: str | None = None
    margin: float = 0.0  # winning score minus the runner-up's


@dataclass(frozen=True, slots=True)
class LexiconCue:
    label: str
    weight: float
    pattern: re.Pattern[str]


def _read_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file, without comment lines and the header row."""
    text = resources.files("storyline").joinpath(f"{DATA_FOLDER}/{name}").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return rows[1:]


def _optional_code(value: str) -> str | None:
    return None if value.strip() in ("", "-") else value.strip()


@lru_cache(maxsize=1)
def typology() -> dict[str, EventLabel]:
    """The typology table keyed by label code."""
    labels = {}
    for code, event_type, sub_type, cameo, plover, definition in _read_table("typology.tsv"):
        plover_code = None if plover.strip() in ("", "-") else plover.removesuffix(":-")
        labels[code] = EventLabel(code, event_type, sub_type, _optional_code(cameo), plover_code, definition)
    return labels


@lru_cache(maxsize=1)
def lexicon() -> tuple[LexiconCue, ...]:
    cues = []
    for label, weight, pattern in _read_table("lexicon.tsv"):
        cues.append(LexiconCue(label, float(weight), re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)))
    return tuple(cues)


def with_context(snippet: str, copy: int, context: Sequence[str], rng: random.Random) -> str:
    """Copy 0 stays bare (cross-validation tests on it); copy 1 gets a context line after, copy 2 before."""
    if copy == 1:
        return f"{snippet} {rng.choice(context)}"
    if copy == 2:
        return f"{rng.choice(context)} {snippet}"
    return snippet


def training_snippets(seed: int = TRAINING_SEED) -> tuple[list[str], list[str]]:
    """Texts and labels: each template filled COPIES_PER_TEMPLATE times, plus each label's definition."""
    fillers: dict[str, list[str]] = {}
    for slot, value in _read_table("slots.tsv"):
        fillers.setdefault(slot, []).append(value)
    context = [row[0] for row in _read_table("context.tsv")]
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    templates = [row for name in EXAMPLE_FILES for row in _read_table(name)]
    for label, template in templates:
        for copy in range(COPIES_PER_TEMPLATE):
            filled = SLOT_PATTERN.sub(lambda m: rng.choice(fillers[m.group(1)]), template)
            texts.append(with_context(filled[0].upper() + filled[1:], copy, context, rng))
            labels.append(label)
    for entry in typology().values():
        texts.append(entry.definition)
        labels.append(entry.code)
    return texts, labels


# LinearSVC margins are turned into probabilities with a softmax at this sharpness; 4 keeps a confident
# model (margin ~1) near 0.9 so the lexicon share (< LEXICON_WEIGHT) can only settle close calls.
MARGIN_SHARPNESS = 4.0


def softmax_margins(margins: np.ndarray) -> np.ndarray:
    scaled = margins * MARGIN_SHARPNESS
    scaled = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return scaled / scaled.sum(axis=1, keepdims=True)


def training_tables_hash() -> str:
    """Hash of every table the snippet model learns from (and the sampling settings)."""
    names = (*EXAMPLE_FILES, "slots.tsv", "context.tsv", "typology.tsv")
    folder = resources.files("storyline").joinpath(DATA_FOLDER)
    texts = [folder.joinpath(name).read_text(encoding="utf-8") for name in names]
    return source_hash([f"{TRAINING_RECIPE} copies={COPIES_PER_TEMPLATE} seed={TRAINING_SEED}", *texts])


def train_snippet_model() -> LinearTextModel:
    texts, labels = training_snippets(TRAINING_SEED)
    return fit_linear_model(texts, labels, training_tables_hash())


@lru_cache(maxsize=1)
def snippet_model() -> LinearTextModel:
    """The shipped model (``data/events/typer_model.npz``), loaded once per process; if the file is stale
    (the tables changed since ``scripts/train_event_typer.py --write``), a model trained here (~3-15 s)."""
    loaded = load_model(packaged_model_path(), training_tables_hash())
    if isinstance(loaded, StaleModel):
        LOG.warning("event typer: %s; training in process (run scripts/train_event_typer.py --write)", loaded.reason)
        return train_snippet_model()
    return loaded


def fit_snippet_model(texts: Sequence[str], labels: Sequence[str]) -> LinearTextModel:
    """A model fitted on the given snippets (cross-validation fits one per fold)."""
    return fit_linear_model(texts, labels)


def model_probabilities(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Label codes and one probability row per text (softmax of the SVM margins)."""
    model = snippet_model()
    leads = [with_lead_twice(text) for text in texts]
    return [str(code) for code in model.classes_], softmax_margins(model.decision_function(leads))


# A sentence end: ".", "!" or "?" then space and a capital; abbreviations ("Capt. Ali") are not ends.
SENTENCE_END = re.compile(r"(\w*)[.!?][\"'’”)]?(?=\s+[\"“‘(]?[A-Z])")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen col lt sgt maj capt cpl gov sen rep rev prof jr sr inc ltd co no vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s a.m p.m".split()
)


def with_lead_twice(text: str) -> str:
    """News puts the event in the lead sentence (inverted pyramid): the model counts the lead's words twice."""
    for end in SENTENCE_END.finditer(text):
        word = end.group(1).lower()
        if word in ABBREVIATIONS or len(word) == 1:  # "Capt. Kasereka", "J. Smith"
            continue
        return f"{text[: end.end()]} {text}"
    return text


def lexicon_scores(text: str) -> tuple[dict[str, float], dict[str, tuple[float, str]]]:
    """Summed cue weights per label, and each label's strongest matched cue (weight, matched text)."""
    scores, best_cue = _cached_lexicon_scores(text)
    return dict(scores), dict(best_cue)


# (label, summed weight) pairs and (label, (weight, matched text)) pairs.
CueScores = tuple[tuple[tuple[str, float], ...], tuple[tuple[str, tuple[float, str]], ...]]


# Typing one sentence reads its cues three times (scores, protest and weapon refinements): search once.
@lru_cache(maxsize=1024)
def _cached_lexicon_scores(text: str) -> CueScores:
    scores: dict[str, float] = {}
    best_cue: dict[str, tuple[float, str]] = {}
    for cue in lexicon():
        match = cue.pattern.search(text)
        if match is None:
            continue
        scores[cue.label] = scores.get(cue.label, 0.0) + cue.weight
        if cue.weight > best_cue.get(cue.label, (0.0, ""))[0]:
            best_cue[cue.label] = (cue.weight, match.group(0))
    return tuple(scores.items()), tuple(best_cue.items())


TERRITORY_CODES = ("GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER")
CAPTURE_VERB = re.compile(
    r"\b(recaptur|captur|retak|retook|regain|reclaim|seiz|overr[au]n|took (back |over |control)|"
    r"taken (back|over|control)|take (back|over|control)|liberat|wrest|control)\w*",
    re.IGNORECASE,
)


REPORTING_VERB = re.compile(r"\b(?:said|says|told|reported|announced|confirmed|claimed|stated|added)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def territory_actors() -> dict[str, re.Pattern[str]]:
    return {
        side: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE) for side, pattern in _read_table("territory_actors.tsv")
    }


def territory_side(text: str) -> str | None:
    """Which side took territory: a passive "by" agent, else the first side named before the verb."""
    verb = CAPTURE_VERB.search(text)
    if verb is None:
        return None
    agent = re.match(r"\w*\s+(?:\S+\s+){0,4}?by\s+(.{0,60})", text[verb.start() :])
    if agent:  # passive: "was recaptured by the army"
        for side, pattern in territory_actors().items():
            if pattern.search(agent.group(1)):
                return side
    # The subject usually comes first in its sentence: "The army and allied militias took back …".
    before = re.split(r"[.;!?]\s", text[: verb.start()])[-1]
    # …but in reported speech it follows the reporting verb: "an army spokesman said rebels took over …".
    reports = list(REPORTING_VERB.finditer(before))
    if reports and any(p.search(before[reports[-1].end() :]) for p in territory_actors().values()):
        before = before[reports[-1].end() :]
    first_seen = {side: p.search(before) for side, p in territory_actors().items()}
    named = [(match.start(), side) for side, match in first_seen.items() if match is not None]
    return min(named)[1] if named else None


def refine_territory(code: str, text: str) -> str:
    """ACLED splits territory changes by the gaining actor: apply that rule to the typer's choice."""
    if code not in TERRITORY_CODES:
        return code
    side = territory_side(text)
    if side == "state":
        return "GOV_REGAINS_TERIT"
    if side == "non_state":
        return "NON_STATE_ACTOR_OVERTAKES_TER"
    return code


LabelScores = tuple[tuple[tuple[str, float], ...], tuple[tuple[str, tuple[float, str]], ...], frozenset[str]]
# Scores per text: the stage types a sentence once per trigger label, and vectorizing is the costly part.
_SCORE_CACHE: dict[str, LabelScores] = {}
SCORE_CACHE_SIZE = 4096


def clear_score_cache() -> None:
    _SCORE_CACHE.clear()
    _cached_lexicon_scores.cache_clear()


def prime_label_scores(texts: Sequence[str]) -> None:
    """Score many texts with one vectorizer/model call (much cheaper than one call per text)."""
    missing = list(dict.fromkeys(t for t in texts if t not in _SCORE_CACHE))
    if not missing:
        return
    if len(_SCORE_CACHE) + len(missing) > SCORE_CACHE_SIZE:
        _SCORE_CACHE.clear()
    classes, rows = model_probabilities(missing)
    for text, probabilities in zip(missing, rows, strict=True):
        combined = dict(zip(classes, (float(p) for p in probabilities), strict=True))
        lexical, best_cue = lexicon_scores(text)
        lexical_total = sum(lexical.values())
        for code, weight in lexical.items():
            # Share of all cue weight, damped so a single weak cue cannot outvote a confident model.
            combined[code] = combined.get(code, 0.0) + LEXICON_WEIGHT * weight / (lexical_total + 2.0)
        _SCORE_CACHE[text] = (tuple(combined.items()), tuple(best_cue.items()), frozenset(lexical))


def label_scores(text: str) -> LabelScores:
    """Model probability plus lexicon share per label, each label's best cue, and the labels with cues."""
    if text not in _SCORE_CACHE:
        prime_label_scores([text])
    return _SCORE_CACHE[text]


# ACLED's protest sub-types by precedence: demonstrators' own violence makes a riot whatever the police did;
# else harmful force against the protesters; else a non-lethal intervention; else a peaceful protest.
PROTEST_PRECEDENCE = ("VIOL_DEMONSTR", "FORCE_AGAINST_PROTEST", "PROTEST_WITH_INTER", "PEACE_PROTEST")
STRONG_CUE_WEIGHT = 2.0


def refine_protest(code: str, text: str) -> str:
    """Within the protest/riot family, let the strongest-precedence sub-type with a strong cue decide."""
    if code not in PROTEST_PRECEDENCE:
        return code
    lexical, _ = lexicon_scores(text)
    # "Peaceful" is never forced by a cue: protest words are everywhere in this family; the model decides it.
    return next((c for c in PROTEST_PRECEDENCE[:-1] if lexical.get(c, 0.0) >= STRONG_CUE_WEIGHT), code)


# Weapon words suggest an explosion; a strong "found/seized/defused/intercepted" cue means it was stopped.
WEAPON_USE_CODES = frozenset({"ART_MISS_ATTACK", "REM_EXPLOS", "GRENADE", "AIR_STRIKE", "SUIC_BOMB"})
DISRUPTION_CUE_WEIGHT = 2.5


def refine_disrupted(code: str, text: str) -> str:
    """A strong disruption cue turns weapon use into DISR_WEAP; DISR_WEAP with no disruption cue at all but a
    strong weapon-use cue was the model matching weapon words only ("shells and rockets rained down")."""
    lexical, _ = lexicon_scores(text)
    if code == "DISR_WEAP" and "DISR_WEAP" not in lexical:
        used = {c: w for c, w in lexical.items() if c in WEAPON_USE_CODES and w >= DISRUPTION_CUE_WEIGHT}
        return max(used, key=lambda c: used[c]) if used else code
    if code not in WEAPON_USE_CODES:
        return code
    return "DISR_WEAP" if lexical.get("DISR_WEAP", 0.0) >= DISRUPTION_CUE_WEIGHT else code


@dataclass(frozen=True, slots=True)
class CodebookRule:
    from_codes: frozenset[str]
    to_code: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def codebook_rules() -> tuple[CodebookRule, ...]:
    return tuple(
        CodebookRule(frozenset(codes.split(",")), to_code, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
        for codes, to_code, pattern in _read_table("codebook_rules.tsv")
    )


def refine_by_codebook(code: str, text: str) -> str:
    """Who did what to whom, per the codebook: e.g. protesters who burn shops make a riot, not arson."""
    for rule in codebook_rules():
        if code in rule.from_codes and rule.pattern.search(text):
            return rule.to_code
    return code


def classify_event_text(text: str, prior: str | None = None, allowed: Collection[str] | None = None) -> EventTyping:
    """Type one text. ``prior`` is a label code suggested by context (the pipeline's trigger word);
    ``allowed`` restricts the answer to some labels (the stage never types a trigger as a mere claim)."""
    base, best_cue, lexical = label_scores(text)
    combined = dict(base)
    if prior in combined:
        combined[prior] += SUPPORTED_PRIOR_WEIGHT if prior in lexical else PRIOR_WEIGHT
    candidates = {c: v for c, v in combined.items() if allowed is None or c in allowed} or combined
    ranked = sorted(candidates.items(), key=lambda item: item[1], reverse=True)
    code, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    code = refine_by_codebook(refine_disrupted(refine_protest(refine_territory(code, text), text), text), text)
    label = typology()[code]
    cue = dict(best_cue).get(code)
    return EventTyping(
        code=code,
        event_type=label.event_type,
        sub_type=label.sub_event_type,
        score=round(score, 4),
        trigger=cue[1] if cue else None,
        cameo=label.cameo,
        plover=label.plover,
        margin=round(score - runner_up, 4),
    )
