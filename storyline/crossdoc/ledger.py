"""The cross-source claim ledger: the same number or statement from different articles, grouped and judged.

Input: a ``Store`` (quantities, claims, events, places, mentions, articles, links). Output: ``ClaimGroup``s
with a verdict (agree/refine/conflict/deny/superseded), independent-origin support and a dated history.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from storyline.crossdoc.ledger_counts import attach_stateless, attach_unaffiliated, without_restatements
from storyline.crossdoc.ledger_keys import (
    canonical_name,
    counted_head,
    main_predicate,
    speaker_origin,
)
from storyline.crossdoc.ledger_scope import Incident, incident_of, same_incident_possible, split_groups
from storyline.crossdoc.ledger_text import render_ledger
from storyline.crossdoc.ledger_verdicts import bounds, numeric_verdict, overlaps
from storyline.crossdoc.provenance import ProvenanceGraph, SourcedItem, build_provenance
from storyline.nlp.number_lexicon import VAGUE_AMOUNTS
from storyline.records import Evidence
from storyline.store import Store, schema
from storyline.store.queries import story_article_ids

# unit → (dimension, factor to the dimension's base unit); only these measures are compared across articles.
UNIT_DIMENSIONS: dict[str, tuple[str, float]] = {
    "km": ("length", 1.0), "m": ("length", 0.001), "mi": ("length", 1.609344),
    "km2": ("area", 1.0), "sq_mi": ("area", 2.589988), "ha": ("area", 0.01), "acre": ("area", 0.00404686),
}
BASE_UNITS = {"length": "km", "area": "km2"}
DIMENSION_LABELS = {"length": "distance from", "area": "area near"}
# Measures are rounded in prose ("20 miles" ≈ 32 km): bounds this close still agree.
MEASURE_TOLERANCE = 0.03
# Words joining a distance to its reference place; "30 km along the river" is a length, not a distance from.
MEASURE_RELATIONS = re.compile(r"\b(?:from|of|to|away|outside|near|north|south|east|west|inside|beyond)\b")
# States whose totals only grow as a story develops: a later, higher figure updates an earlier one.
CUMULATIVE_STATES = ("killed", "wounded", "injured", "displaced", "captured", "arrested", "executed",
                     "missing", "kidnapped", "surrendered", "dead")
VERDICT_ORDER = {"conflict": 0, "deny": 1, "superseded": 2, "refine": 3, "agree": 4}


@dataclass(frozen=True, slots=True)
class LedgerMember:
    """One article's version of a grouped fact."""

    article_id: str
    outlet: str | None
    outlet_kind: str | None
    published: datetime | None
    low: float | None  # in ``unit``; None = unbounded (or no number, for statements)
    high: float | None
    unit: str | None
    text: str
    evidence: Evidence
    speaker: str | None = None
    stance: str = "assert"
    hedges: tuple[str, ...] = ()
    negated: bool = False


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    published: datetime | None
    outlet: str | None
    low: float | None
    high: float | None
    unit: str | None
    stance: str = "assert"


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    key: str
    kind: str  # count | measure | statement | event_attribute
    what: str  # human-readable description of the grouped fact
    members: tuple[LedgerMember, ...]
    verdict: str  # agree | refine | conflict | deny | superseded
    reason: str
    independent_sources: int
    n_articles: int
    history: tuple[HistoryPoint, ...]
    state: str | None = None  # counts: killed, wounded, displaced … ("" when none was read)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A member before grouping, with its grouping key and who it is attributed to."""

    key: str
    kind: str
    what: str
    member: LedgerMember
    attributed_to: str | None = None
    state: str | None = None
    incident: Incident | None = None  # what the count's sentence reports happening (counts only)


@dataclass
class StoryData:
    """The rows of one story (or the whole database) the ledger reads."""

    articles: dict[str, dict[str, Any]]
    graph: ProvenanceGraph
    whole_database: bool  # no story/date filter: read tables without a (possibly huge) IN list
    entity_names: dict[str, str]  # cross-article entity id → name, to show statement arguments

    def member(self, row: dict[str, Any], low: float | None, high: float | None, unit: str | None,
               **fields: Any) -> LedgerMember:
        article = self.articles[row["article_id"]]
        return LedgerMember(
            article_id=row["article_id"], outlet=article["outlet"],
            outlet_kind=self.graph.outlet_kinds.get(row["article_id"]), published=article["published"],
            low=low, high=high, unit=unit, text=row["text"],
            evidence=Evidence(row["article_id"], row["start_char"], row["end_char"]), **fields)


def load_story(store: Store, story_id: str | None, as_of: datetime | None) -> StoryData:
    a = schema.articles
    where: list[Any] = [a.c.id.in_(story_article_ids(store, story_id))] if story_id else []
    if as_of is not None:
        # Undated articles cannot be placed before a date, so "what was known then" leaves them out.
        where.append(a.c.published.is_not(None) & (a.c.published <= as_of))
    articles = {row["id"]: row for row in store.rows(a, *where)}
    graph = build_provenance(store, articles if where else None)
    names = {row["id"]: row["name"] for row in store.rows(schema.entities)}
    return StoryData(articles, graph, whole_database=not where, entity_names=names)


def rows_of(store: Store, table: Any, data: StoryData) -> list[dict[str, Any]]:
    where = () if data.whole_database else (table.c.article_id.in_(list(data.articles)),)
    rows = store.rows(table, *where, order_by=table.c.start_char)
    return [row for row in rows if row["article_id"] in data.articles]


def by_article(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["article_id"]].append(row)
    return grouped


def enclosed(rows: list[dict[str, Any]], start: int, end: int) -> list[dict[str, Any]]:
    return [row for row in rows if start <= row["start_char"] and row["end_char"] <= end]


def enclosing(rows: list[dict[str, Any]], start: int, end: int) -> dict[str, Any] | None:
    """The first row (of one article) whose span contains [start, end)."""
    return next((row for row in rows if row["start_char"] <= start and end <= row["end_char"]), None)


# Vague amounts below ten ("several", "a few", "a handful"), from the number lexicon, are no figure anyone
# could confirm or contradict: "several displaced people said …" describes speakers, not a toll.
UNWEIGHABLE_AMOUNTS = frozenset(" ".join(words) for words, (_low, high) in VAGUE_AMOUNTS.items() if high < 10)


def is_vague_amount(text: str | None) -> bool:
    return " ".join((text or "").lower().split()).removesuffix(" of") in UNWEIGHABLE_AMOUNTS


def count_candidates(quantities: list[dict[str, Any]], claims: list[dict[str, Any]], events: list[dict[str, Any]],
                     places: dict[str, dict[str, Any]], data: StoryData) -> list[Candidate]:
    """Counts keyed by (counted head, affiliation, state); the enclosing claim gives speaker and hedges,
    the event of the sentence the incident."""
    claims_of, events_of = by_article(claims), by_article(events)
    out = []
    for q in quantities:
        if q["unit"] is not None or not q["counted"] or is_vague_amount(q["text"]):
            continue
        head, affiliation = counted_head(q["counted"]), canonical_name(q["affiliation"])
        state = q["state"] or ""
        claim = enclosing(claims_of[q["article_id"]], q["start_char"], q["end_char"])
        speaker = claim["speaker"] if claim else None
        what = " ".join(part for part in (state, affiliation, head) if part)
        member = data.member(q, 0.0 if q["negated"] else q["low"], 0.0 if q["negated"] else q["high"], None,
                             speaker=speaker, hedges=tuple(claim["hedges"]) if claim else (),
                             stance=claim["stance"] if claim else "assert", negated=bool(q["negated"]))
        origin = speaker_origin(speaker, claim["speaker_kind"] if claim else None)
        incident = incident_of(q["start_char"], q["end_char"], data.articles[q["article_id"]]["text"],
                               events_of[q["article_id"]], places)
        out.append(Candidate(f"count|{head}|{affiliation}|{state}", "count", what, member, origin, state,
                             incident))
    return without_restatements(attach_unaffiliated(attach_stateless(out)))


def sentence_end(text: str, start: int) -> int:
    match = re.compile(r"[.!?](?=\s)|\n").search(text, start)
    return match.start() if match else len(text)


def measure_candidates(quantities: list[dict[str, Any]], places: list[dict[str, Any]],
                       data: StoryData) -> list[Candidate]:
    """Distances/areas keyed by dimension and reference place ("50 km west of the Iraqi border")."""
    places_of = by_article(places)
    out = []
    for q in quantities:
        if q["unit"] not in UNIT_DIMENSIONS:
            continue
        dimension, factor = UNIT_DIMENSIONS[q["unit"]]
        text = data.articles[q["article_id"]]["text"]
        end = sentence_end(text, q["end_char"])
        after = [p for p in places_of[q["article_id"]] if q["end_char"] <= p["start_char"] < end]
        if not after:
            continue  # a distance with no reference place cannot be compared with anything
        anchor = after[0]
        near_text = text[q["end_char"] : anchor["end_char"]]
        if not MEASURE_RELATIONS.search(text[q["end_char"] : anchor["start_char"]].casefold()):
            continue
        # "the Iraqi border" and "the border with Iraq" both name the border, not the country.
        border = "border" if "border" in near_text + text[anchor["end_char"] : anchor["end_char"] + 8] else ""
        name = anchor["name"] or anchor["text"]
        low, high = (None if v is None else v * factor for v in (q["low"], q["high"]))
        member = data.member(q, low, high, BASE_UNITS[dimension])
        what = f"{DIMENSION_LABELS[dimension]} {name} {border}".rstrip()
        out.append(Candidate(f"measure|{dimension}|{name.casefold()}|{border}", "measure", what, member))
    return out


def event_candidates(events: list[dict[str, Any]], places: dict[str, dict[str, Any]],
                     data: StoryData) -> list[Candidate]:
    out = []
    for e in events:
        place = places.get(e["place_id"] or "")
        if e["background"] or e["fatalities_low"] is None or place is None:
            continue
        name = place["name"] or place["text"]
        member = data.member(e, e["fatalities_low"], e["fatalities_high"], None, speaker=e["actor1"])
        key = f"event|{e['event_type']}|{e['sub_event_type']}|{name.casefold()}"
        what = f"fatalities: {e['sub_event_type']} at {name}"
        out.append(Candidate(key, "event_attribute", what, member, state="killed"))
    return out


def statement_candidates(claims: list[dict[str, Any]], mentions: list[dict[str, Any]],
                         data: StoryData) -> list[Candidate]:
    """Claims keyed by predicate + the entities they are about, whoever says them (speaker-independent)."""
    mentions_of = by_article(mentions)
    seeds: list[tuple[str, frozenset[str], str]] = []  # (predicate, arguments, key) of each group so far
    out = []
    for claim in claims:
        predicate = main_predicate(claim["text"])
        inside = enclosed(mentions_of[claim["article_id"]], claim["start_char"], claim["end_char"])
        arguments = {m["entity_id"] or canonical_name(m["entity_key"]) for m in inside}
        if claim["stance"] == "deny" and claim["speaker"]:
            # "X denied using …": the denier is the agent of the denied statement.
            arguments.add(claim["speaker_entity_id"] or canonical_name(claim["speaker"]))
        if predicate is None or not arguments:
            continue
        key = matching_seed(seeds, predicate, frozenset(arguments))
        shown = sorted(data.entity_names.get(a, a) for a in arguments_of_key(key))
        member = data.member(claim, None, None, None, speaker=claim["speaker"], stance=claim["stance"],
                             hedges=tuple(claim["hedges"]))
        origin = speaker_origin(claim["speaker"], claim["speaker_kind"])
        out.append(Candidate(key, "statement", f"{predicate}({', '.join(shown)})", member, origin))
    return out


def arguments_of_key(key: str) -> list[str]:
    return key.split("(", 1)[1].rstrip(")").split(", ")


def matching_seed(seeds: list[tuple[str, frozenset[str], str]], predicate: str,
                  arguments: frozenset[str]) -> str:
    """The key of the first group with this predicate sharing half its arguments, else a new group's key."""
    for seed_predicate, seed_arguments, key in seeds:
        shared = seed_arguments & arguments
        if seed_predicate == predicate and len(shared) * 2 >= len(seed_arguments | arguments):
            return key
    key = f"statement|{predicate}({', '.join(sorted(arguments))})"
    seeds.append((predicate, arguments, key))
    return key


def history_of(members: Iterable[LedgerMember]) -> tuple[HistoryPoint, ...]:
    ordered = sorted(members, key=lambda m: (m.published or datetime.max, m.outlet or ""))
    return tuple(HistoryPoint(m.published, m.outlet, m.low, m.high, m.unit, m.stance) for m in ordered)


def judge(key: str, candidates: list[Candidate], graph: ProvenanceGraph) -> ClaimGroup:
    members = [c.member for c in candidates]
    kind = candidates[0].kind
    if kind == "statement":
        stances = {m.stance == "deny" for m in members}
        denied = len(stances) == 2
        verdict, reason = ("deny", "one source denies it") if denied else ("agree", "same statement")
    else:
        cumulative = kind != "measure" and any(c.state in CUMULATIVE_STATES for c in candidates)
        tolerance = MEASURE_TOLERANCE if kind == "measure" else 0.0
        verdict, reason = numeric_verdict(members, cumulative, tolerance)
    items = [SourcedItem(m.article_id, (m.evidence.start, m.evidence.end), c.attributed_to)
             for m, c in zip(members, candidates, strict=True)]
    return ClaimGroup(key=key, kind=kind, what=candidates[0].what, members=tuple(members), verdict=verdict,
                      reason=reason, independent_sources=graph.origins(items),
                      n_articles=len({m.article_id for m in members}), history=history_of(members),
                      state=candidates[0].state)


def comparable_parts(key: str, group: list[Candidate]) -> list[tuple[str, list[Candidate]]]:
    """Counts of one key that may be compared: not two different incidents, and, without a killed/wounded/…
    state, not two different values (5,000 fighters holding out and 1,000 in custody are two facts)."""
    if group[0].kind != "count":
        return [(key, group)]

    def fits(a: Candidate, b: Candidate) -> bool:
        return same_incident_possible(a.incident, b.incident) and bool(
            a.state or overlaps(bounds(a.member), bounds(b.member), 0.0))

    parts = split_groups(group, fits)
    return [(key if n == 0 else f"{key}|{n + 1}", part) for n, part in enumerate(parts)]


def unify_speakers(candidates: list[Candidate]) -> list[Candidate]:
    """Within a group, "Zerbo" and "Colonel Moussa Zerbo" are one speaker: map each to its shortest suffix."""
    names = {c.attributed_to for c in candidates if c.attributed_to}

    def shortest(name: str) -> str:
        suffixes = [n for n in names if name == n or name.endswith(" " + n)]
        return min(suffixes, key=len)
    return [replace(c, attributed_to=shortest(c.attributed_to)) if c.attributed_to else c for c in candidates]


def build_ledger(store: Store, story_id: str | None = None, as_of: datetime | None = None, *,
                 min_articles: int = 2) -> list[ClaimGroup]:
    """Facts reported by at least ``min_articles`` articles, grouped and judged (pure reads)."""
    data = load_story(store, story_id, as_of)
    if not data.articles:
        return []
    quantities = rows_of(store, schema.quantities, data)
    claims = rows_of(store, schema.claims, data)
    places = rows_of(store, schema.places, data)
    events = rows_of(store, schema.events, data)
    places_by_id = {p["id"]: p for p in places}
    candidates = count_candidates(quantities, claims, events, places_by_id, data)
    candidates += measure_candidates(quantities, places, data)
    candidates += event_candidates(events, places_by_id, data)
    candidates += statement_candidates(claims, rows_of(store, schema.mentions, data), data)
    grouped: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        grouped[candidate.key].append(candidate)
    groups = [judge(key, unify_speakers(part), data.graph) for key, group in grouped.items()
              for key, part in comparable_parts(key, group)
              if len({c.member.article_id for c in part}) >= min_articles]
    return sorted(groups, key=lambda g: (VERDICT_ORDER[g.verdict], -g.n_articles, g.key))


__all__ = ["ClaimGroup", "HistoryPoint", "LedgerMember", "build_ledger", "render_ledger"]
