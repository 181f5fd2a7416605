"""Story summaries read from the database: the data behind `storyline report`, exports and the web app.

``summarize_stories(store)`` returns one ``StorySummary`` per story (largest first): its outlets, key
entities, places, numbers, events, quotes and copy links, each item keeping the articles it came from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storyline.crossdoc.event_ties import figures_agree, toll_figure
from storyline.store import Store, schema

CASUALTY_STATES = ("killed", "wounded", "executed", "captured", "surrendered", "displaced", "remaining",
                   "deployed", "missing", "kidnapped", "arrested")


# Entity labels that name places and things, never actors.
NON_ACTOR_LABELS = frozenset({"LOC", "FAC"})
# GeoNames feature classes of towns, waters, terrain, spots and vegetation ("P.PPL", "H.STM"); countries and
# admin areas ("A.PCLI", "A.ADM1") stay, as governments act under their names.
NON_ACTOR_FEATURES = frozenset({"P.", "H.", "T.", "S.", "V.", "U."})


@dataclass
class StorySummary:
    id: str
    title: str | None
    articles: list[dict[str, Any]]
    first: datetime | None
    last: datetime | None
    entities: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, label, mentions, articles
    places: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted({a["outlet"] for a in self.articles if a["outlet"]})


def summarize_stories(store: Store, *, top: int = 8) -> list[StorySummary]:
    articles = {row["id"]: row for row in store.rows(schema.articles)}
    members: dict[str, list[str]] = defaultdict(list)
    for link in store.rows(schema.story_articles):
        members[link["story_id"]].append(link["article_id"])
    summaries = []
    for story in store.rows(schema.stories):
        ids = [i for i in members.get(story["id"], []) if i in articles]
        rows = sorted((articles[i] for i in ids), key=lambda a: (a["published"] is None, a["published"] or 0))
        summary = StorySummary(story["id"], story["title"], rows, story["first_published"],
                               story["last_published"])
        _fill(store, summary, set(ids), articles, top)
        summaries.append(summary)
    summaries.sort(key=lambda s: len(s.articles), reverse=True)
    return summaries


def _fill(store: Store, summary: StorySummary, ids: set[str], articles: dict[str, Any], top: int) -> None:
    def source(article_id: str) -> str:
        row = articles[article_id]
        return row["outlet"] or row["title"] or row["origin"]

    in_story = schema.mentions.c.article_id.in_(ids)
    entity_names = {e["id"]: (e["name"], e["label"]) for e in store.rows(schema.entities)}
    mention_counts: Counter[tuple[str, str]] = Counter()
    mention_articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    places = store.rows(schema.places, schema.places.c.article_id.in_(ids))
    # "Who" lists actors; "Where" lists places. An adjective naming a place ("Iraqi border"), a town, a river
    # or a building is no actor, while a country or an organisation may act ("Russia accused …").
    not_actors = {(p["article_id"], p["start_char"], p["end_char"]) for p in places
                  if p["is_demonym"] or (p["feature_code"] or "")[:2] in NON_ACTOR_FEATURES}
    for m in store.rows(schema.mentions, in_story):
        if (m["article_id"], m["start_char"], m["end_char"]) in not_actors or m["label"] in NON_ACTOR_LABELS:
            continue
        key = entity_names.get(m["entity_id"], (m["entity_key"], m["label"]))
        mention_counts[key] += 1
        mention_articles[key].add(m["article_id"])
    summary.entities = [
        (name, label, n, len(mention_articles[(name, label)]))
        for (name, label), n in mention_counts.most_common(top)
    ]
    place_groups: dict[Any, dict[str, Any]] = {}
    for p in places:
        if p["geonames_id"] is None:
            continue
        group = place_groups.setdefault(p["geonames_id"], {**p, "sources": set(), "n": 0})
        group["n"] += 1
        group["sources"].add(source(p["article_id"]))
    summary.places = sorted(place_groups.values(), key=lambda g: -g["n"])[:top]
    summary.numbers = merged_numbers(
        {**q, "source": source(q["article_id"])}
        for q in store.rows(schema.quantities, schema.quantities.c.article_id.in_(ids))
        if q["state"] in CASUALTY_STATES or q["negated"]
    )
    place_of = {p["id"]: p["geonames_id"] for p in places}
    summary.events = merged_events(
        {**e, "source": source(e["article_id"]), "geonames_id": place_of.get(e["place_id"])}
        for e in store.rows(schema.events, schema.events.c.article_id.in_(ids))
    )
    names = {entity_id: name for entity_id, (name, _label) in entity_names.items()}
    summary.quotes = merged_quotes(
        {**c, "source": source(c["article_id"]), "speaker_name": speaker_name(c, names)}
        for c in store.rows(schema.claims, schema.claims.c.article_id.in_(ids))
        if c["direct"]
    )
    summary.links = [
        {**link, "source": source(link["source_id"]), "target": source(link["target_id"])}
        for link in store.rows(schema.article_links, schema.article_links.c.source_id.in_(ids))
    ]


def speaker_name(claim: dict[str, Any], entity_names: dict[str, str]) -> str | None:
    """Who a stored claim is by, for display: the resolved entity's name ("he" → "Moussa Zerbo"), else the
    speaker as written; an unresolved pronoun names nobody."""
    if claim.get("speaker_entity_id") in entity_names:
        return entity_names[claim["speaker_entity_id"]]
    if claim["speaker_kind"] == "pronoun" or not claim["speaker"]:
        return None
    return str(claim["speaker"])


# Rows telling one thing (an event, a figure, a quote) merge into one item that keeps every source, so a
# figure four outlets repeat is one line "(A, B, C, D)" and ranks above a detail one outlet mentions.


def _merge(rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> list[dict[str, Any]]:
    merged: dict[Any, dict[str, Any]] = {}
    for row in rows:
        item = merged.setdefault(key(row), {**row, "sources": [], "article_ids": []})
        if row["article_id"] not in item["article_ids"]:
            item["article_ids"].append(row["article_id"])
        if row["source"] not in item["sources"]:
            item["sources"].append(row["source"])
    return list(merged.values())


def _words(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def event_arguments(event: dict[str, Any]) -> set[tuple[str, Any]]:
    """What pins an event down: its place, day, actors and death toll."""
    pins = {("place", event["geonames_id"]), ("actor", _words(event["actor1"])), ("target", _words(event["actor2"])),
            ("deaths", (event["fatalities_low"], event["fatalities_high"]))}
    if event["event_date"] is not None:
        pins.add(("day", event["event_date"].date()))
    return {(kind, value) for kind, value in pins if value not in (None, "", (None, None))}


def corroborated_groups(events: list[dict[str, Any]]) -> dict[int, int]:
    """Row index → group: rows event coreference linked join only where they share a place, day, actor or
    toll (within the slack linking allows), so a displayed source list never lumps two bare "killed" of
    different outlets into one event."""
    group = list(range(len(events)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    by_cluster: dict[str, list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        if event["coref_id"]:
            by_cluster[event["coref_id"]].append(i)
    for members in by_cluster.values():
        holders: dict[tuple[str, Any], int] = {}
        for i in members:
            for pin in event_arguments(events[i]):
                if pin in holders:
                    group[root(i)] = root(holders[pin])
                holders.setdefault(pin, i)
        # Tolls agree as linking judged them ("at least 320" and "more than 320"), not only when equal.
        figures = ((toll_figure(events[i]["fatalities_low"], events[i]["fatalities_high"]), i) for i in members)
        tolls = sorted((figure, i) for figure, i in figures if figure is not None)
        for (figure, i), (next_figure, j) in zip(tolls, tolls[1:], strict=False):
            if figures_agree(figure, next_figure):
                group[root(j)] = root(i)
    return {i: root(i) for i in range(len(events))}


def merged_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per event: linked rows that share an argument (else one row's sub-type and words), ranked
    by how many articles tell it, then known fatalities, named actors, a date, and the clause's length (a
    bare trigger word is the least informative evidence)."""
    rows = sorted(events, key=lambda e: -len(e["text"] or ""))  # the fullest telling represents the group
    groups = corroborated_groups(rows)
    for i, row in enumerate(rows):
        row["group"] = groups[i] if row["coref_id"] else None  # rows no link joined stay apart
    items = _merge(rows, lambda e: e["group"] if e["group"] is not None
                   else (e["article_id"], e["sub_event_type"], _words(e["text"])))
    return sorted(items, key=lambda e: (
        -len(e["article_ids"]),
        e["fatalities_low"] is None and e["fatalities_high"] is None,
        not (e["actor1"] or e["actor2"]),
        e["event_date"] is None,
        -min(len(e["text"] or ""), 120),
    ))


# Words that count people without saying who they were: "40 killed", "40 people", "40 deaths" are one figure.
UNSPECIFIED_PEOPLE = frozenset({"", "people", "persons", "person", "deaths", "dead", "victims", "casualties", "lives"})


def _counted(quantity: dict[str, Any]) -> str:
    words = _words(quantity["counted"])
    return "people" if words in UNSPECIFIED_PEOPLE else words


def merged_numbers(quantities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per figure (bounds, what, state, side), the most repeated first, then deaths and injuries
    before other states, larger before smaller."""
    items = _merge(quantities, lambda q: (q["low"], q["high"], _counted(q), q["state"], q["affiliation"]))
    severity = {state: rank for rank, state in enumerate(CASUALTY_STATES)}
    return sorted(items, key=lambda q: (
        -len(q["article_ids"]), severity.get(q["state"], len(severity)), -(q["low"] or q["high"] or 0)))


def merged_quotes(quotes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per quotation (a syndicated quote is one statement reused, not several), the most reused
    first, then those whose speaker is known."""
    items = _merge(quotes, lambda c: _words(c["text"]).strip(QUOTE_MARKS + " ,.")[:80])
    return sorted(items, key=lambda c: (-len(c["article_ids"]), c["speaker_name"] is None))


QUOTE_MARKS = "\"'“”‘’«»"
