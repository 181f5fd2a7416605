"""Candidate clusters for event linking, so each event row is compared with a bounded set, not every cluster.

Input: event rows (signatures) added one by one to numbered clusters by ``coref._complete_link``. Clusters are
indexed by the period all their dated members share (by date-span class) and by the grid cell of one located
member; a row's candidates are the clusters its period and place could still be compatible with.
Output: candidate cluster numbers in the order to try them — ascending, and a superset of the compatible
clusters, unless a row has more than MAX_CANDIDATES of them (then the likeliest by a cheap score).
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

MAX_CANDIDATES = 64  # clusters compared in full with one row; beyond this, the likeliest by a cheap score
CELL_DEGREES = 0.25  # latitude cell (~28 km): wider than the largest distance two compatible places may have
KM_PER_DEGREE = 111.19  # of latitude, on the sphere coref measures distances on
REACH_MARGIN = 1.02  # widen the searched cells a little: cell maths is planar, distances are great-circle
TZ_SLACK_DAYS = 1  # calendar days of aware datetimes may differ by one from their instants
UNDATED = 0  # span class of clusters without any dated member: compatible with every period
_NO_CLUSTERS: frozenset[int] = frozenset()

# Place keys: ("cell", lat cell, lon cell) | ("unlocated", name) | ("name", name) | ("geonames", id);
# index keys put (span class, period bucket) in front of a place key.
Key = tuple[object, ...]


class LinkableEvent(Protocol):
    """What blocking reads of an event row (coref.EventRow)."""

    @property
    def geonames_id(self) -> int | None: ...

    @property
    def place_name(self) -> str | None: ...

    @property
    def latitude(self) -> float | None: ...

    @property
    def longitude(self) -> float | None: ...

    @property
    def event_date(self) -> datetime | None: ...

    @property
    def date_precision(self) -> str | None: ...


@dataclass(slots=True)
class ClusterShape:
    """What the index knows of one cluster: the shared period and the member its place is indexed by."""

    start: datetime | None = None  # latest start of a dated member
    end: datetime | None = None  # earliest end of a dated member
    span_days: int = UNDATED  # shortest span among dated members: the shared period is at most this long
    anchor: LinkableEvent | None = None  # the located member (or, lacking one, the first member)
    period: tuple[int, int] = (UNDATED, 0)  # (span class, bucket) the cluster is indexed under
    place_keys: tuple[Key, ...] = ()


def _located(event: LinkableEvent) -> bool:
    return event.latitude is not None and event.longitude is not None


def _vague(event: LinkableEvent) -> bool:
    """No date and no usable place: compatible with nearly every cluster, so only the likeliest are tried."""
    return event.event_date is None and not _located(event) and not event.place_name


def _lat_cell(latitude: float) -> int:
    return math.floor(latitude / CELL_DEGREES)


def _lon_cell(longitude: float) -> int:
    return math.floor((longitude % 360.0) / CELL_DEGREES)


class EventClusterIndex:
    """Clusters by (span class, period bucket, place key); place keys come from one member, the anchor.

    Any member will do as anchor: a row compatible with a cluster is compatible with each member, so the
    anchor's keys never hide a compatible cluster. A located anchor is indexed by grid cell, every anchor by
    its geonames id and place name, so rows without coordinates (compared by name) find it too.
    """

    def __init__(self, spans: Mapping[str, timedelta], max_distance_km: float) -> None:
        self._spans = spans
        self._max_km = max_distance_km
        self._shapes: list[ClusterShape] = []
        self._members: dict[Key, set[int]] = defaultdict(set)  # (class, bucket, place key) → clusters
        self._keys: dict[tuple[int, int], set[Key]] = defaultdict(set)  # (class, bucket) → place keys
        self._buckets: dict[int, set[int]] = defaultdict(set)  # span class → period buckets in use
        self._anywhen: dict[Key, set[int]] = defaultdict(set)  # place key → clusters (for undated rows)
        self._by_article: dict[str, set[int]] = defaultdict(set)
        self._rows: list[int] = []  # rows per cluster
        self._biggest: list[int] = []  # the MAX_CANDIDATES clusters with most rows, while still valid
        self._biggest_floor = 0  # row count of the smallest of them: a cluster growing past it invalidates

    def __len__(self) -> int:
        return len(self._shapes)

    def _span_days(self, event: LinkableEvent) -> int:
        span = self._spans.get(event.date_precision or "day", timedelta(days=1))
        return max(1, math.ceil(span / timedelta(days=1)))

    def add(self, cluster: int, event: LinkableEvent) -> None:
        """Record a new distinct member of ``cluster`` (a new cluster's number must be len(self))."""
        if cluster == len(self._shapes):
            self._shapes.append(ClusterShape())
            self._rows.append(0)
        shape = self._shapes[cluster]
        for key in shape.place_keys:
            self._members[(*shape.period, key)].discard(cluster)
            self._anywhen[key].discard(cluster)
        if event.event_date is not None:
            end = event.event_date + self._spans.get(event.date_precision or "day", timedelta(days=1))
            shape.start = event.event_date if shape.start is None else max(shape.start, event.event_date)
            shape.end = end if shape.end is None else min(shape.end, end)
            days = self._span_days(event)
            shape.span_days = days if shape.span_days == UNDATED else min(shape.span_days, days)
        if shape.anchor is None or (_located(event) and not _located(shape.anchor)):
            shape.anchor = event
        self._index(cluster, shape)

    def note_row(self, cluster: int, article_id: str) -> None:
        """Count one more row of ``cluster`` (any row, also one repeating a known member)."""
        self._by_article[article_id].add(cluster)
        self._rows[cluster] += 1
        if self._rows[cluster] >= self._biggest_floor:
            self._biggest = []

    def clusters_of_article(self, article_id: str) -> AbstractSet[int]:
        """The clusters holding a row of this article (a live view: read it before adding rows)."""
        return self._by_article.get(article_id, _NO_CLUSTERS)

    def _biggest_clusters(self) -> list[int]:
        """The MAX_CANDIDATES clusters with most rows, ascending (recomputed after one of them could change)."""
        if not self._biggest:
            top = heapq.nsmallest(MAX_CANDIDATES, range(len(self._rows)), key=lambda c: -self._rows[c])
            self._biggest = sorted(top)
            self._biggest_floor = min((self._rows[c] for c in self._biggest), default=0)
        return self._biggest

    def _index(self, cluster: int, shape: ClusterShape) -> None:
        bucket = 0 if shape.start is None else (shape.start.toordinal() // shape.span_days)
        anchor = shape.anchor
        name = anchor.place_name.casefold() if anchor is not None and anchor.place_name else None
        if anchor is not None and _located(anchor):
            place_keys: list[Key] = [("cell", _lat_cell(anchor.latitude), _lon_cell(anchor.longitude))]  # type: ignore[arg-type]
        else:
            place_keys = [("unlocated", name)]
        place_keys.append(("name", name))
        if anchor is not None and anchor.geonames_id is not None:
            place_keys.append(("geonames", anchor.geonames_id))
        self._buckets[shape.span_days].add(bucket)
        self._keys[(shape.span_days, bucket)].update(place_keys)
        shape.period, shape.place_keys = (shape.span_days, bucket), tuple(place_keys)
        for key in place_keys:
            self._members[(*shape.period, key)].add(cluster)
            self._anywhen[key].add(cluster)

    def candidates(self, event: LinkableEvent, article_id: str) -> list[int]:
        """Cluster numbers ``event`` may be compatible with, in the order to try them; about MAX_CANDIDATES.

        Below the cap this is a superset of the compatible clusters, ascending (the pairwise order). Above
        it, the cap keeps clusters sharing the row's place before those of unknown place, each group ranked
        by same article, then by row count; rows with neither date nor place try their article's first.
        """
        if _vague(event) and len(self._shapes) > MAX_CANDIDATES:
            # No date, no place: such a row fits nearly anything, so its own article's clusters go first.
            own = sorted(self._by_article.get(article_id, ()))
            return own + [c for c in self._biggest_clusters() if c not in own]
        strong: set[int] = set()
        weak: set[int] = set()
        if event.event_date is None:  # every period is compatible: look the place up across all of them
            self._collect(event, self._anywhen, (), strong, weak)
        for span_class, bucket in self._period_buckets(event):
            self._collect(event, self._members, (span_class, bucket), strong, weak)
        weak -= strong
        if len(strong) + len(weak) <= MAX_CANDIDATES:
            return sorted(strong | weak)
        ranked = heapq.nsmallest(MAX_CANDIDATES, strong, key=lambda c: self._likeliness(c, article_id))
        if len(ranked) < MAX_CANDIDATES:
            ranked += heapq.nsmallest(MAX_CANDIDATES - len(ranked), weak, key=lambda c: self._likeliness(c, article_id))
        return sorted(ranked)

    def _collect(
        self,
        event: LinkableEvent,
        table: Mapping[Key, set[int]],
        period: tuple[int, ...],
        strong: set[int],
        weak: set[int],
    ) -> None:
        """Add the clusters of one period (or of all, for ``period=()``) that the row's place may match."""
        keys_in_use = self._anywhen.keys() if not period else self._keys.get((period[0], period[1]), set())
        specific, unknown = self._place_keys(event, keys_in_use)
        if len(keys_in_use) < len(specific):  # few clusters in this period: walk them, not the wanted keys
            specific = frozenset(key for key in keys_in_use if key in specific)
        for key in specific:
            strong.update(table.get((*period, key) if period else key, ()))
        for key in unknown:
            weak.update(table.get((*period, key) if period else key, ()))

    def _likeliness(self, cluster: int, article_id: str) -> tuple[bool, int, int]:
        """Sort key, likeliest first: the row's own article's clusters, then clusters many rows agree on."""
        return (cluster not in self._by_article.get(article_id, ()), -self._rows[cluster], cluster)

    def _period_buckets(self, event: LinkableEvent) -> Iterable[tuple[int, int]]:
        """(span class, bucket) pairs whose clusters' periods may overlap the row's (none for undated rows)."""
        if event.event_date is None:
            return
        yield from ((UNDATED, b) for b in self._buckets.get(UNDATED, ()))
        for span_class, used in self._buckets.items():
            if span_class == UNDATED:
                continue
            # A cluster period [s, e) with e - s <= span overlaps the row's [qs, qe) only if qs - span < s < qe.
            first_day = event.event_date.toordinal() - span_class - TZ_SLACK_DAYS
            last_day = event.event_date.toordinal() + self._span_days(event) + TZ_SLACK_DAYS
            first, last = first_day // span_class, last_day // span_class
            if last - first + 1 > len(used):
                yield from ((span_class, b) for b in used if first <= b <= last)
            else:
                yield from ((span_class, b) for b in range(first, last + 1) if b in used)

    def _place_keys(self, event: LinkableEvent, keys_in_use: Collection[Key]) -> tuple[frozenset[Key], list[Key]]:
        """(keys of clusters at the row's place, keys of clusters whose place may still be compatible)."""
        name = event.place_name.casefold() if event.place_name else None
        same_entry: list[Key] = [] if event.geonames_id is None else [("geonames", event.geonames_id)]
        specific: frozenset[Key] = frozenset(same_entry)
        if _located(event):
            # Coordinates decide against located anchors; unlocated anchors are compared by name.
            specific |= near_cells(event.latitude, event.longitude, self._max_km)  # type: ignore[arg-type]
            if name is None:
                return specific, [k for k in keys_in_use if k[0] == "unlocated"]
            return specific | {("unlocated", name)}, [("unlocated", None)]
        if name is not None:
            return specific | {("name", name)}, [("name", None)]
        return specific, list(keys_in_use)


@functools.lru_cache(maxsize=4096)  # rows of one place repeat across blocks and stories
def near_cells(latitude: float, longitude: float, max_km: float) -> frozenset[Key]:
    """Grid cells holding every point within the maximum distance of (latitude, longitude)."""
    reach_lat = REACH_MARGIN * max_km / KM_PER_DEGREE
    low, high = _lat_cell(latitude - reach_lat), _lat_cell(latitude + reach_lat)
    widest = max(abs(latitude - reach_lat), abs(latitude + reach_lat))
    cos = math.cos(math.radians(min(90.0, widest)))
    per_row = round(360.0 / CELL_DEGREES)
    if cos < 0.05:  # near a pole every longitude is close
        lon_cells: Iterable[int] = range(per_row)
    else:
        reach_lon = min(180.0, reach_lat / cos)
        centre = _lon_cell(longitude)
        spread = math.ceil(reach_lon / CELL_DEGREES)
        lon_cells = {(centre + d) % per_row for d in range(-spread, spread + 1)}
    return frozenset(("cell", lat, lon % per_row) for lat in range(low, high + 1) for lon in lon_cells)
