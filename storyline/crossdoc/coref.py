"""Cross-document coreference: group documents into sub-topics, then link event/entity mentions inside them.

Inputs: document texts (→ sub-topic clusters), mention features read from a spaCy parse (→ mention clusters
within each document cluster), and stored event rows (→ ``link_events``: one cluster id per event row,
merging rows of one story that agree on type, place, date and actors and are tied by their article or a
shared specific argument). Outputs are plain cluster ids.
Mention features and mention clustering live in coref_features / coref_mentions / coref_entities and are
re-exported here.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from storyline.crossdoc import event_ties
from storyline.crossdoc.coref_features import MentionFeatures, mention_features
from storyline.crossdoc.coref_lexicon import stem
from storyline.crossdoc.coref_mentions import cluster_mentions
from storyline.crossdoc.event_blocking import EventClusterIndex
from storyline.records import content_id

__all__ = [
    "EventRow",
    "MentionFeatures",
    "cluster_document_levels",
    "cluster_documents",
    "cluster_mentions",
    "link_events",
    "relink_events",
    "mention_features",
    "stem",
]

# Average-linkage cosine distances (set on ECB+ dev): first coarse topics, then sub-topics inside each
# topic with IDF recomputed locally, so words every document of the topic shares stop counting.
TOPIC_DISTANCE = 0.9
SUBTOPIC_DISTANCE = 0.9
MIN_SUBTOPIC_SIZE = 3  # smaller sub-topic fragments join the nearest bigger one of their topic
_TERM = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,.]*\d|\d|[.!?]")
_SENTENCE_END = frozenset(".!?")


def document_terms(text: str) -> str:
    """Space-joined terms: lowercased words, "CAP_x" for capitalised words inside a sentence, "NUM_n"."""
    terms: list[str] = []
    sentence_start = True
    for token in _TERM.findall(text):
        if token in _SENTENCE_END:
            sentence_start = True
            continue
        if token[0].isdigit():
            terms.append("NUM_" + token.replace(",", ""))
        else:
            if token[0].isupper() and not sentence_start:
                terms.append("CAP_" + token.lower())  # names carry the "which instance" signal
            terms.append(token.lower())
        sentence_start = False
    return " ".join(terms)


def _similarities(term_texts: Sequence[str], max_df: float) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", max_df=max_df, token_pattern=r"\S+", lowercase=False
    )
    try:
        rows = normalize(vectorizer.fit_transform(term_texts))
    except ValueError:  # every term pruned (tiny or identical documents): no signal to split on
        return np.ones((len(term_texts), len(term_texts)))
    return np.asarray((rows @ rows.T).todense())  # cosine similarities (rows are unit length)


def _agglomerate(similarities: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(similarities) < 2:
        return np.zeros(len(similarities), dtype=int)
    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, metric="precomputed", linkage="average"
    )
    return model.fit_predict(np.clip(1.0 - similarities, 0.0, 2.0))


def _attach_small(similarities: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Move members of fragments smaller than ``min_size`` to the bigger cluster they are closest to."""
    sizes = Counter(labels.tolist())
    big = [c for c, n in sizes.items() if n >= min_size]
    if not big:
        return labels
    attached = labels.copy()
    for i, label in enumerate(labels.tolist()):
        if sizes[label] < min_size:
            mean_similarity = [similarities[i, labels == c].mean() for c in big]
            attached[i] = big[int(np.argmax(mean_similarity))]
    return attached


def cluster_documents(texts: Sequence[str]) -> list[int]:
    """One sub-topic label per text (two-level agglomerative clustering of TF-IDF vectors).

    Unlike the incremental StoryClusterer this sees the whole batch at once, which suits evaluation and
    re-clustering; it is O(n²) in memory, so callers block first (by story, by time window) for big sets.
    """
    return [subtopic for _, subtopic in cluster_document_levels(texts)]


def cluster_document_levels(texts: Sequence[str]) -> list[tuple[int, int]]:
    """(topic, sub-topic) labels per text: topics group related stories (two quakes in one region), which
    share their named participants; sub-topics are single stories, which share their events."""
    term_texts = [document_terms(t) for t in texts]
    topics = _agglomerate(_similarities(term_texts, max_df=0.5), TOPIC_DISTANCE)
    labels = [(0, 0)] * len(texts)
    next_label = 0
    for topic in sorted(set(topics.tolist())):
        members = [i for i, t in enumerate(topics.tolist()) if t == topic]
        sub = np.zeros(len(members), dtype=int)
        if len(members) > MIN_SUBTOPIC_SIZE:
            similarities = _similarities([term_texts[i] for i in members], max_df=0.9)
            sub = _attach_small(similarities, _agglomerate(similarities, SUBTOPIC_DISTANCE), MIN_SUBTOPIC_SIZE)
        renumber: dict[int, int] = {}
        for i, s in zip(members, sub.tolist(), strict=True):
            if s not in renumber:
                renumber[s], next_label = next_label, next_label + 1
            labels[i] = (int(topic), renumber[s])
    return labels


# --- Event rows of the store: which rows of one story describe the same real-world event ---

MAX_PLACE_KM = 25.0  # two located events farther apart than this are different events
EARTH_RADIUS_KM = 6371.0
ACTOR_MATCH = 85  # rapidfuzz token_set_ratio for two actor names to count as one actor
# Length of the period a date stands for, by precision (coarser dates overlap more).
PRECISION_SPAN: dict[str, timedelta] = {
    "minute": timedelta(days=1),
    "hour": timedelta(days=1),
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=31),
    "season": timedelta(days=92),
    "quarter": timedelta(days=92),
    "year": timedelta(days=366),
    "decade": timedelta(days=3653),
    "century": timedelta(days=36525),
}


@dataclass(frozen=True, slots=True)
class EventRow:
    """The fields of one stored event that decide whether two rows are the same event."""

    id: str
    article_id: str
    trigger: str
    event_type: str
    sub_event_type: str
    story_id: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    geonames_id: int | None = None
    place_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    event_date: datetime | None = None
    date_precision: str | None = None  # DatePrecision value; None is read as "day"
    fatalities_low: float | None = None
    fatalities_high: float | None = None


_EVENT_FIELDS = tuple(f.name for f in fields(EventRow))


def _distance_km(a: EventRow, b: EventRow) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return _haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


@lru_cache(maxsize=1 << 16)  # the rows of a block name a few places, met pair after pair
def _haversine_km(*degrees: float) -> float:
    lat1, lon1, lat2, lon2 = (math.radians(v) for v in degrees)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _same_place(a: EventRow, b: EventRow) -> bool | None:
    """Same gazetteer entry, within MAX_PLACE_KM, or same name when unresolved; None when one is unknown."""
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True
    distance = _distance_km(a, b)
    if distance is not None:
        return distance <= MAX_PLACE_KM
    if a.place_name and b.place_name:
        return a.place_name.casefold() == b.place_name.casefold()
    return None  # at least one side has no usable place


def places_compatible(a: EventRow, b: EventRow) -> bool:
    """The places agree, or one of them is unknown."""
    return _same_place(a, b) is not False


def dates_compatible(a: EventRow, b: EventRow) -> bool:
    """The periods the two dates stand for overlap, or one date is unknown."""
    if a.event_date is None or b.event_date is None:
        return True
    a_end = a.event_date + PRECISION_SPAN.get(a.date_precision or "day", timedelta(days=1))
    b_end = b.event_date + PRECISION_SPAN.get(b.date_precision or "day", timedelta(days=1))
    return a.event_date < b_end and b.event_date < a_end


@lru_cache(maxsize=1 << 16)  # the same actor names meet again and again inside a block; bounded memory
def _same_actor(x: str, y: str) -> bool:
    return fuzz.token_set_ratio(x.casefold(), y.casefold()) >= ACTOR_MATCH


def actors_compatible(a: EventRow, b: EventRow) -> bool:
    """Every actor of the side naming fewer finds a match among the other's (sides may be swapped).

    Symmetric by construction: repeated names count once, and with as many actors on both sides either
    side may be the one whose actors all match (otherwise linking would depend on the order rows come in).
    """
    return _actor_pairs_compatible(a.actor1, a.actor2, b.actor1, b.actor2)


@lru_cache(maxsize=1 << 16)  # rows of a block repeat a few actor pairs: each meeting of two pairs is decided once
def _actor_pairs_compatible(a1: str | None, a2: str | None, b1: str | None, b2: str | None) -> bool:
    a_actors = list(dict.fromkeys(x.casefold() for x in (a1, a2) if x))
    b_actors = list(dict.fromkeys(x.casefold() for x in (b1, b2) if x))
    if not a_actors or not b_actors:
        return True

    def all_found(side: list[str], other: list[str]) -> bool:
        return all(any(_same_actor(x, y) for y in other) for x in side)

    if len(a_actors) == len(b_actors):
        return all_found(a_actors, b_actors) or all_found(b_actors, a_actors)
    shorter, longer = sorted((a_actors, b_actors), key=len)
    return all_found(shorter, longer)


def events_compatible(a: EventRow, b: EventRow) -> bool:
    same_type = a.event_type == b.event_type and (
        not a.sub_event_type or not b.sub_event_type or a.sub_event_type == b.sub_event_type
    )
    return same_type and places_compatible(a, b) and dates_compatible(a, b) and actors_compatible(a, b)


def events_tied(a: EventRow, b: EventRow) -> bool:
    """Two compatible rows share a specific argument: the same town, day, actor, or a matching toll.

    Compatibility has checked that dates and actors present on both sides agree, so present on both sides
    is enough for those; places are asked to agree outright (compatibility lets an unknown one pass), and
    tolls, which compatibility ignores (a toll is revised as a story goes on), must match.
    """
    return (
        (event_ties.fine_place(a) and event_ties.fine_place(b) and _same_place(a, b) is True)
        or (event_ties.fine_date(a) and event_ties.fine_date(b))
        or (event_ties.has_actors(a) and event_ties.has_actors(b))
        or event_ties.tolls_agree(a, b)
    )


def _linking_signature(event: EventRow, anchored: bool) -> EventRow:
    """The row without its identity: rows equal on every field that decides linking are one case.

    A row naming nothing specific (not ``anchored``) keeps its article: only its own article ties it to a
    cluster, so two such rows of different articles are different cases even when their fields are equal.
    """
    # Built from the field values: dataclasses.replace re-reads the class's fields on every call.
    values = {name: getattr(event, name) for name in _EVENT_FIELDS}
    values.update(id="", article_id="" if anchored else event.article_id, trigger="")
    return EventRow(**values)


def link_events(events: Sequence[EventRow], *, known: Mapping[str, str] | None = None) -> list[str]:
    """One cluster id per row (same order): rows of one story and type that agree and are tied join.

    Blocking by (story, event type) keeps the comparisons inside small groups. Linking is complete-link
    (a row joins a cluster only if compatible with every member), so an undated row cannot bridge two
    strikes on different days. Compatible is not enough: a missing place, date or actor fits anything, so
    a row also needs a tie to the cluster — its own article already reports that event, or it shares a
    specific argument with a member (``events_tied``: town, day, actor, toll). A row naming nothing
    specific ("fighting continued") thus joins a cluster of its own article or stays alone; it never
    joins another outlet's event on its type alone. Members are compared through their distinct linking
    signatures, and a row whose signature a cluster already holds joins it at once: a strike reported by
    500 articles with the same date, place and actors costs one comparison per row, not 500. Inside a
    block, rows are compared only with the clusters event_blocking finds for their period and place (at
    most MAX_CANDIDATES), or, for a row naming nothing specific, with its own article's clusters.

    ``known`` (row id → cluster id from an earlier run) makes linking incremental: those rows keep their
    cluster, which new rows may join; without it every row is linked afresh.
    """
    known = known or {}
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        blocks[(event.story_id or f"article:{event.article_id}", event.event_type)].append(i)
    cluster_of: list[str] = [""] * len(events)
    for members in blocks.values():
        for cluster in _complete_link(events, members, known):
            kept = next((known[events[j].id] for j in cluster if events[j].id in known), None)
            cluster_id = kept or content_id("event-cluster", *sorted(events[j].id for j in cluster)[:1])
            for j in cluster:
                cluster_of[j] = cluster_id
    return cluster_of


def relink_events(events: Sequence[EventRow], previous: Mapping[str, str]) -> list[str]:
    """Link rows afresh, naming each cluster after the stored cluster id most of its members held.

    Complete-link joining is greedy, so keeping earlier clusters fixed (``link_events(known=...)``) makes
    the result depend on the batches rows arrived in: a vague row stored first holds on to whichever dated
    row comes next. Relinking the stories new rows reach gives the partition one batch would give, and
    ``previous`` (row id → stored cluster id) keeps ids stable for clusters that survive.
    """
    clusters = link_events(events)
    members: dict[str, list[str]] = defaultdict(list)
    for event, cluster in zip(events, clusters, strict=True):
        members[cluster].append(event.id)
    name: dict[str, str] = {}
    taken: set[str] = set()
    for cluster in sorted(members, key=lambda c: (-len(members[c]), c)):  # bigger clusters choose first
        held = Counter(previous[i] for i in members[cluster] if i in previous)
        ranked = sorted(held.items(), key=lambda item: (-item[1], item[0]))
        chosen = next((old for old, _ in ranked if old not in taken), None)
        if chosen is None:  # a cluster split off: its fresh id may be the old one, so salt it then
            salted = content_id("event-cluster", "split", *sorted(members[cluster]))
            chosen = cluster if cluster not in taken else salted
        name[cluster] = chosen
        taken.add(chosen)
    return [name[cluster] for cluster in clusters]


@dataclass(slots=True)
class _Linking:
    """Clusters of one block while rows are added: members, distinct signatures, and the blocking index."""

    events: Sequence[EventRow]
    clusters: list[list[int]] = field(default_factory=list)
    signatures: list[set[EventRow]] = field(default_factory=list)
    home_of: dict[EventRow, int] = field(default_factory=dict)  # signature → the cluster that holds it
    index: EventClusterIndex = field(default_factory=lambda: EventClusterIndex(PRECISION_SPAN, MAX_PLACE_KM))

    def place(self, i: int, signature: EventRow, home: int | None) -> int:
        """Put row ``i`` in cluster ``home`` (a new cluster when None); returns the cluster number."""
        if home is None:
            home = len(self.clusters)
            self.clusters.append([])
            self.signatures.append(set())
        self.clusters[home].append(i)
        if signature not in self.signatures[home]:
            self.signatures[home].add(signature)
            self.index.add(home, signature)
        self.index.note_row(home, self.events[i].article_id)
        self.home_of.setdefault(signature, home)
        return home


def _complete_link(events: Sequence[EventRow], members: list[int], known: Mapping[str, str]) -> list[list[int]]:
    linking = _Linking(events)
    seeded: dict[str, int] = {}  # known cluster id → its cluster number here
    anchored = {i: event_ties.anchored(events[i]) for i in members}
    for i in members:
        if events[i].id in known:
            cluster = seeded.get(known[events[i].id])
            seeded[known[events[i].id]] = linking.place(i, _linking_signature(events[i], anchored[i]), cluster)
    fresh = [i for i in members if events[i].id not in known]
    # Most specific rows first, so the clusters a vague row may join (its own article's) already exist.
    for i in sorted(fresh, key=lambda j: _vagueness(events[j], anchored[j])):
        signature = _linking_signature(events[i], anchored[i])
        home = linking.home_of.get(signature)
        if home is None:
            home = _first_tied(signature, anchored[i], events[i].article_id, linking)
        linking.place(i, signature, home)
    return linking.clusters


def _vagueness(event: EventRow, anchored: bool) -> tuple[bool, bool, bool]:
    """Sort key, most specific first: rows naming something specific, then dated ones, then placed ones."""
    return (not anchored, event.event_date is None, event.geonames_id is None)


def _first_tied(signature: EventRow, anchored: bool, article_id: str, linking: _Linking) -> int | None:
    """The first candidate cluster whose every member is compatible with ``signature`` and which the row is
    tied to: by its own article, or by a specific argument it shares with one member (``events_tied``).

    A row naming nothing specific can only be tied by its article, so only that article's clusters are tried.
    """
    own = linking.index.clusters_of_article(article_id)
    candidates = linking.index.candidates(signature, article_id) if anchored else sorted(own)
    for c in candidates:
        held = linking.signatures[c]
        if not all(events_compatible(signature, other) for other in held):
            continue
        if c in own or (anchored and any(events_tied(signature, other) for other in held)):
            return c
    return None
