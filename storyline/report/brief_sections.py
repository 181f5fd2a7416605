"""The cited sections of a brief besides the account: key numbers, contested points, quotes, timeline, dossiers.

Input: ``StoryRows`` (a story's articles and extracted rows, citation numbers, origin per article) and the
``Store`` (claim ledger, entity dossiers). Output: tuples of brief records (storyline/report/brief_types.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from storyline.report.brief_account import crosses_sentences, sentence_around
from storyline.report.brief_types import (
    ContestedPoint,
    Dossier,
    KeyNumber,
    NotableQuote,
    Position,
    TimelineEntry,
    Whereabouts,
)
from storyline.report.dossier import WHEREABOUTS_WINDOW, entity_dossier
from storyline.report.summary import CASUALTY_STATES, speaker_name
from storyline.report.terminal import _bounds as format_bounds
from storyline.store import Store, schema

DOSSIER_LABELS = ("PERSON", "GROUP", "ORG")
UNKNOWN_OUTLET = "outlet unknown"
WHEREABOUTS_SNIPPET = 120  # longer mention-to-place snippets rarely still place the entity
# a locative word, then at most three words (articles, adjectives, "the town of") before the place at the end
LOCATIVE = re.compile(
    r"\b(?:in|at|near|inside|outside|around|into|from|toward|towards|across)\s+(?:\S+\s+){0,3}\S+$", re.IGNORECASE
)
MAX_DOSSIERS, MIN_DOSSIERS, MAX_QUOTES, MAX_TIMELINE, MAX_NUMBERS, MAX_WHEREABOUTS = 6, 3, 8, 15, 12, 5
QUOTE_SAME = 88  # rapidfuzz partial ratio above which two quotes are the same words
QUOTE_CHARS = (30, 400)
DISPUTE_STANCES = ("deny", "accuse")
TIMELINE_STANCES = ("deny", "accuse", "predict", "confirm")
# Words naming a role; a descriptor is the short phrase around a name that contains one.
ROLE_NOUNS = (
    "leader|commander|chief|head|spokesman|spokeswoman|spokesperson|president|minister|director|expert|"
    "official|researcher|consultant|analyst|secretary|general|colonel|governor|mayor|ambassador|envoy|"
    "founder|member|fighter|militant|emir|caliph|correspondent|reporter|editor|professor|officer|"
    "prime minister|foreign minister|monitor|observer|doctor|shooter|warlord|specialist"
)
ROLE_BEFORE = re.compile(rf"((?:[A-Z][\w.’'-]*\s+){{0,3}}(?i:{ROLE_NOUNS})(?:-in-chief)?)\s+$")
ROLE_AFTER = re.compile(rf"^,\s+((?:an?|the)\s+)?([^,.;“”\"]{{0,60}}\b(?i:{ROLE_NOUNS})\b[^,.;“”\"]{{0,60}})[,.;]")


@dataclass(frozen=True, slots=True)
class StoryRows:
    """Everything of one story read once from the store (rows as dicts)."""

    story: dict[str, Any]
    articles: list[dict[str, Any]]
    numbers: dict[str, int]  # article id → citation number
    origin_of: dict[str, str]
    tables: dict[str, list[dict[str, Any]]]

    def article(self, article_id: str) -> dict[str, Any]:
        return next(a for a in self.articles if a["id"] == article_id)

    def sentence(self, article_id: str, start: int, end: int) -> str:
        """The verbatim sentence of an article around a span."""
        text = self.article(article_id)["text"]
        s, e = sentence_around(text, start, end)
        return str(text[s:e]).strip()

    def source_label(self, article_id: str) -> str:
        """The outlet name (the citation number then tells unknown outlets apart)."""
        article = self.article(article_id)
        return str(article["outlet"] or UNKNOWN_OUTLET)

    def cite(self, article_ids: Any) -> tuple[int, ...]:
        return tuple(sorted({self.numbers[a] for a in article_ids if a in self.numbers}))


def origins_of(store: Store, articles: list[dict[str, Any]]) -> dict[str, str]:
    """Article id → its independent origin (copies, syndications and same-outlet reports share one)."""
    ids = [a["id"] for a in articles]
    try:
        from storyline.crossdoc.provenance import build_provenance
    except ImportError:  # provenance is optional: fall back on stored duplicate links
        return {a["id"]: a["duplicate_of"] or a["id"] for a in articles}
    graph = build_provenance(store, ids)
    return {aid: graph.whole.find("article:" + aid) for aid in ids}


# -- key numbers and contested points ---------------------------------------------------------------------
def load_ledger(store: Store, story_id: str) -> list[Any]:
    """The claim ledger's groups for the story, single-article ones included (shown as "single source")."""
    from storyline.crossdoc.ledger import build_ledger

    return build_ledger(store, story_id, min_articles=1)


def build_key_numbers(groups: list[Any], rows: StoryRows) -> tuple[KeyNumber, ...]:
    """Numbers reported by several articles (as the ledger judged them), then casualty-like single reports."""
    shared: list[KeyNumber] = []
    single: list[KeyNumber] = []
    for group in groups:
        if group.kind not in ("count", "measure"):
            continue
        if group.n_articles == 1 and not (group.kind == "count" and group.state in CASUALTY_STATES):
            continue
        values = sorted({format_bounds(m.low, m.high) + (f" {m.unit}" if m.unit else "") for m in group.members})
        verdict = group.verdict if group.n_articles > 1 else "single source"
        number = KeyNumber(
            group.what,
            " / ".join(values),
            rows.cite(m.article_id for m in group.members),
            group.independent_sources,
            verdict,
            group.reason if group.n_articles > 1 else "",
        )
        (shared if group.n_articles > 1 else single).append(number)
    return tuple((shared + single)[:MAX_NUMBERS])


def build_contested(groups: list[Any], rows: StoryRows) -> tuple[ContestedPoint, ...]:
    points = []
    for group in groups:
        if group.verdict in ("conflict", "deny") and group.n_articles > 1:
            positions = _merge_positions(
                rows,
                [(m.evidence.article_id, m.evidence.start, m.evidence.end, m.speaker, m.stance) for m in group.members],
            )
            points.append(ContestedPoint(group.what, group.verdict, positions, group.reason))
    disputes = [
        (c["article_id"], c["start_char"], c["end_char"], c["speaker"], c["stance"])
        for c in rows.tables["claims"]
        if c["stance"] in DISPUTE_STANCES
    ]
    if disputes:
        points.append(ContestedPoint("Accusations and denials", "disputed", _merge_positions(rows, disputes)))
    return tuple(points)


def _merge_positions(rows: StoryRows, spans: list[tuple[str, int, int, str | None, str]]) -> tuple[Position, ...]:
    """One position per distinct sentence, cited to every article stating it."""
    merged: dict[str, tuple[set[str], str | None, str]] = {}
    for article_id, start, end, speaker, stance in spans:
        text = rows.sentence(article_id, start, end)
        found = next((k for k in merged if fuzz.ratio(k, text) >= QUOTE_SAME), None)
        if found is None:
            merged[text] = ({article_id}, speaker, stance)
        else:
            merged[found][0].add(article_id)
    return tuple(Position(text, rows.cite(ids), speaker, stance) for text, (ids, speaker, stance) in merged.items())


# -- quotes -------------------------------------------------------------------------------------------------
def group_quotes(claims: list[dict[str, Any]], rows: StoryRows, entity_names: dict[str, str]) -> list[NotableQuote]:
    """Direct quotes, one per wording (a quote reused by several outlets is shown once with all of them)."""
    clusters: list[list[dict[str, Any]]] = []
    for claim in claims:
        if not claim["direct"] or not QUOTE_CHARS[0] <= len(claim["text"]) <= QUOTE_CHARS[1]:
            continue
        words = " ".join(re.findall(r"\w+", claim["text"].lower()))
        home = next((c for c in clusters if fuzz.partial_ratio(c[0]["_words"], words) >= QUOTE_SAME), None)
        (home.append if home is not None else lambda x: clusters.append([x]))({**claim, "_words": words})
    quotes = []
    for cluster in clusters:
        named = [c for c in cluster if c["speaker_kind"] == "named"] or cluster
        speaker = Counter(speaker_name(c, entity_names) for c in named).most_common(1)[0][0]
        ids = {c["article_id"] for c in cluster}
        outlets = tuple(sorted({rows.source_label(a) for a in ids}))
        dates = [c["said_on"] for c in cluster if c["said_on"]]
        quotes.append(
            NotableQuote(
                speaker,
                max(cluster, key=lambda c: len(c["text"]))["text"].strip(),
                rows.cite(ids),
                outlets,
                min(dates) if dates else None,
            )
        )
    quotes.sort(key=lambda q: (-len(q.outlets), q.speaker is None, -len(q.quote)))
    return quotes


def build_quotes(store: Store, rows: StoryRows) -> tuple[NotableQuote, ...]:
    ids = {c["speaker_entity_id"] for c in rows.tables["claims"] if c["speaker_entity_id"]}
    names = {e["id"]: e["name"] for e in store.rows(schema.entities, schema.entities.c.id.in_(ids))}
    return tuple(group_quotes(rows.tables["claims"], rows, names)[:MAX_QUOTES])


# -- timeline -----------------------------------------------------------------------------------------------
def build_timeline(rows: StoryRows) -> tuple[TimelineEntry, ...]:
    entries: dict[tuple[Any, ...], tuple[Any, str | None, str, str, set[str]]] = {}
    for e in rows.tables["events"]:
        if e["background"] or e["event_date"] is None or _dated_by_estimate(e, rows):
            continue
        key = (e["event_date"].date(), e["sub_event_type"], e["place_id"])
        text = rows.sentence(e["article_id"], e["start_char"], e["end_char"])
        entries.setdefault(key, (e["event_date"], e["date_precision"], e["sub_event_type"], text, set()))[4].add(
            e["article_id"]
        )
    for c in rows.tables["claims"]:
        if c["stance"] in TIMELINE_STANCES and c["said_on"] is not None:
            text = rows.sentence(c["article_id"], c["start_char"], c["end_char"])
            key = (c["said_on"].date(), "statement", text[:80])
            entries.setdefault(key, (c["said_on"], "day", f"statement ({c['stance']})", text, set()))[4].add(
                c["article_id"]
            )
    ordered, seen = [], set()
    for entry in sorted(entries.values(), key=lambda v: (v[0], v[2])):
        if entry[3] not in seen:  # one sentence may yield several events: list it once, at its first date
            seen.add(entry[3])
            ordered.append(entry)
    return tuple(TimelineEntry(d, p, kind, text, rows.cite(ids)) for d, p, kind, text, ids in ordered[:MAX_TIMELINE])


def _dated_by_estimate(event: dict[str, Any], rows: StoryRows) -> bool:
    """An event with no date of its own took its article's date; an estimated article date (the latest date
    the text mentions) is only a lower bound, too weak to place the event on a timeline."""
    return event["time_id"] is None and rows.article(event["article_id"]).get("published_source") == "estimated"


# -- entity dossiers ----------------------------------------------------------------------------------------
def _entity_groups(rows: StoryRows, entity_names: dict[str, tuple[str, str, list[str]]]) -> list[dict[str, Any]]:
    """Mentions of PERSON/GROUP/ORG grouped by cross-article entity (or by in-article key when unresolved)."""
    groups: dict[str, dict[str, Any]] = {}
    for m in rows.tables["mentions"]:
        label = entity_names[m["entity_id"]][1] if m["entity_id"] in entity_names else m["label"]
        if label not in DOSSIER_LABELS:
            continue
        key = m["entity_id"] or "key:" + m["entity_key"].lower()
        group = groups.setdefault(
            key, {"entity_id": m["entity_id"], "label": label, "mentions": [], "keys": set(), "articles": set()}
        )
        group["mentions"].append(m)
        group["keys"].add((m["article_id"], m["entity_key"]))
        group["articles"].add(m["article_id"])
    place_names = {p["text"].casefold() for p in rows.tables["places"] if p["latitude"] is not None}
    # a "person" or "group" whose name the gazetteer resolved elsewhere in the story is a mislabelled place
    groups = {
        k: g
        for k, g in groups.items()
        if Counter(m["text"] for m in g["mentions"]).most_common(1)[0][0].casefold() not in place_names
    }
    ranked = sorted(groups.values(), key=lambda g: (-len(g["articles"]), -len(g["mentions"])))
    chosen = [g for g in ranked if len(g["mentions"]) >= 2][:MAX_DOSSIERS]
    return chosen if len(chosen) >= MIN_DOSSIERS else ranked[:MIN_DOSSIERS]


def roles_near(text: str, start: int, end: int) -> list[str]:
    """Role descriptors written next to a name: "SDF commander X", "X, head of the Observatory,"."""
    found = []
    before = ROLE_BEFORE.search(text[max(0, start - 60) : start])
    if before:
        found.append(before.group(1).strip())
    after = ROLE_AFTER.search(text[end : end + 160])
    if after:
        found.append(after.group(2).strip())
    return found


def build_dossiers(store: Store, rows: StoryRows) -> tuple[Dossier, ...]:
    ids = {m["entity_id"] for m in rows.tables["mentions"] if m["entity_id"]}
    names = {
        e["id"]: (e["name"], e["label"], list(e["aliases"] or []))
        for e in store.rows(schema.entities, schema.entities.c.id.in_(ids))
    }
    speaker_names = {eid: n[0] for eid, n in names.items()}
    dossiers = []
    for group in _entity_groups(rows, names):
        stored = entity_dossier(store, group["entity_id"]) if group["entity_id"] else None
        dossiers.append(_dossier(group, rows, names, stored, speaker_names))
    return tuple(dossiers)


def _dossier(
    group: dict[str, Any],
    rows: StoryRows,
    names: dict[str, tuple[str, str, list[str]]],
    stored: dict[str, Any] | None,
    speaker_names: dict[str, str],
) -> Dossier:
    surface = Counter(m["text"] for m in group["mentions"])
    name = (
        names[group["entity_id"]][0]
        if group["entity_id"] in names
        else max(surface, key=lambda s: (surface[s], len(s)))
    )
    known = set(names[group["entity_id"]][2]) if group["entity_id"] in names else set()
    aliases = sorted((known | set(surface)) - {name})
    roles: Counter[str] = Counter()
    for m in group["mentions"]:
        roles.update(roles_near(rows.article(m["article_id"])["text"], m["start_char"], m["end_char"]))
    claims = [
        c
        for c in rows.tables["claims"]
        if (group["entity_id"] and c["speaker_entity_id"] == group["entity_id"])
        or (c["article_id"], c["speaker_key"]) in group["keys"]
    ]
    quotes = tuple(group_quotes(claims, rows, speaker_names)[:4])
    places = stored["whereabouts"] if stored else _whereabouts(group["mentions"], rows)
    # a place only locates the entity when both are named in one sentence ("X, in Hajin"), not across a break
    whereabouts = _merge_whereabouts(
        [w for w in places if w["article_id"] in rows.numbers and locates(w["evidence"], (name, *aliases))], rows
    )
    return Dossier(
        group["entity_id"],
        name,
        group["label"],
        len(group["mentions"]),
        tuple(aliases),
        tuple(r for r, _ in roles.most_common(4)),
        quotes,
        whereabouts,
    )


def locates(evidence: str, forms: tuple[str, ...]) -> bool:
    """Does the snippet from a mention to a place put the entity there? Only within one sentence, with the
    name first and a locative word just before the place ("X may be hiding in Hajin"); otherwise the place
    is a modifier or a list item ("US President X", "Iraq, X", "attempts by the Russian, US")."""
    if crosses_sentences(evidence) or len(evidence) > WHEREABOUTS_SNIPPET:
        return False
    return any(evidence.startswith(form) for form in forms) and LOCATIVE.search(evidence) is not None


def _whereabouts(mentions: list[dict[str, Any]], rows: StoryRows) -> list[dict[str, Any]]:
    """entity_dossier's whereabouts for mentions not resolved to a stored entity."""
    found = []
    for m in mentions:
        for p in rows.tables["places"]:
            if (
                p["article_id"] == m["article_id"]
                and p["latitude"] is not None
                and not p["is_demonym"]
                and abs(p["start_char"] - m["start_char"]) <= WHEREABOUTS_WINDOW
            ):
                article = rows.article(m["article_id"])
                lo, hi = min(m["start_char"], p["start_char"]), max(m["end_char"], p["end_char"])
                found.append(
                    {
                        "place": p["name"],
                        "latitude": p["latitude"],
                        "longitude": p["longitude"],
                        "outlet": article["outlet"],
                        "published": article["published"],
                        "article_id": article["id"],
                        "evidence": article["text"][lo:hi][:400],
                    }
                )
    return found


def _merge_whereabouts(items: list[dict[str, Any]], rows: StoryRows) -> tuple[Whereabouts, ...]:
    """One line per place, cited to every article placing the entity there (shortest evidence shown)."""
    merged: dict[Any, dict[str, Any]] = {}
    for w in items:
        entry = merged.setdefault(w["place"], {**w, "ids": set()})
        entry["ids"].add(w["article_id"])
        if len(w["evidence"]) < len(entry["evidence"]):
            entry["evidence"] = w["evidence"]
        if w["published"] and (entry["published"] is None or w["published"] < entry["published"]):
            entry["published"] = w["published"]
    ordered = sorted(merged.values(), key=lambda w: (-len(w["ids"]), w["place"] or ""))[:MAX_WHEREABOUTS]
    return tuple(
        Whereabouts(
            w["place"],
            w["latitude"],
            w["longitude"],
            tuple(sorted({rows.source_label(a) for a in w["ids"]})),
            w["published"],
            rows.cite(w["ids"]),
            " ".join(w["evidence"].split()),
        )
        for w in ordered
    )
