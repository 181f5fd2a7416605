"""Blocked event linking: identical to pairwise linking on small inputs, bounded work on big ones."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

import storyline.crossdoc.coref as coref
import storyline.crossdoc.event_blocking as blocking
import storyline.crossdoc.event_ties as event_ties
from storyline.crossdoc.coref import EventRow, link_events
from storyline.crossdoc.event_blocking import near_cells
from storyline.records import content_id


def _oracle_link_events(events: Sequence[EventRow]) -> list[str]:
    """Pairwise linking without blocking: every cluster is tried for every row, in cluster order."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        blocks[(event.story_id or f"article:{event.article_id}", event.event_type)].append(i)
    cluster_of: list[str] = [""] * len(events)
    for members in blocks.values():
        for cluster in _oracle_complete_link(events, members):
            cluster_id = content_id("event-cluster", *sorted(events[j].id for j in cluster)[:1])
            for j in cluster:
                cluster_of[j] = cluster_id
    return cluster_of


def _oracle_complete_link(events: Sequence[EventRow], members: list[int]) -> list[list[int]]:
    """A row joins the cluster of an earlier row equal to it in every linking field, else the first cluster
    whose every member is compatible with it and which it is tied to: a member from its own article, or
    (when the row names something specific) a member it shares one with."""
    clusters: list[list[int]] = []
    home_of: dict[EventRow, int] = {}
    anchored = {i: event_ties.anchored(events[i]) for i in members}
    for i in sorted(members, key=lambda j: coref._vagueness(events[j], anchored[j])):
        row = events[i]
        signature = coref._linking_signature(row, anchored[i])
        home = home_of.get(signature)
        home = (
            home
            if home is not None
            else next(
                (
                    c
                    for c, held in enumerate(clusters)
                    if all(coref.events_compatible(row, events[m]) for m in held)
                    and any(
                        events[m].article_id == row.article_id or (anchored[i] and coref.events_tied(row, events[m]))
                        for m in held
                    )
                ),
                None,
            )
        )
        if home is None:
            home = len(clusters)
            clusters.append([])
        clusters[home].append(i)
        home_of.setdefault(signature, home)
    return clusters


# Place centres chosen to be awkward: two towns 20 km apart, the antimeridian, far north, one shared
# gazetteer id with two spellings of coordinates.
CENTRES = [(34.45, 40.92), (34.62, 40.95), (-17.0, 179.95), (-17.05, -179.9), (78.2, 15.6), (78.25, 100.0)]
NAMES = ["Hajin", "hajin", "Al-Susah", "Baghuz", None]
ACTORS = [None, "Coalition forces", "coalition forces", "ISIS", "Syrian Air Force", "SDF"]
PRECISIONS = [None, "day", "day", "hour", "week", "month", "year", "decade"]


def _random_row(rng: random.Random, k: int) -> EventRow:
    place = rng.random()
    lat = lon = None
    geonames = None
    if place < 0.6:
        centre = rng.randrange(len(CENTRES))
        lat = CENTRES[centre][0] + rng.uniform(-0.2, 0.2)
        lon = (CENTRES[centre][1] + rng.uniform(-0.3, 0.3) + 180.0) % 360.0 - 180.0
        geonames = 1000 + centre if rng.random() < 0.7 else None
    elif place < 0.7:
        geonames = 1000 + rng.randrange(len(CENTRES))  # an id without coordinates
    date = None
    if rng.random() < 0.85:
        date = datetime(2018, 11, 20) + timedelta(days=rng.randrange(40), hours=rng.randrange(24))
    return EventRow(
        id=f"e{k}",
        article_id=f"a{rng.randrange(6)}",
        trigger="strike",
        event_type=rng.choice(["Explosions", "Explosions", "Battles"]),
        sub_event_type=rng.choice(["", "Air/drone strike", "Shelling"]),
        story_id=rng.choice(["s1", "s1", "s2", None]),
        actor1=rng.choice(ACTORS),
        actor2=rng.choice(ACTORS),
        geonames_id=geonames,
        place_name=rng.choice(NAMES),
        latitude=lat,
        longitude=lon,
        event_date=date,
        date_precision=rng.choice(PRECISIONS),
    )


def test_blocked_linking_equals_pairwise_linking_on_random_small_inputs() -> None:
    rng = random.Random(20181203)
    for _ in range(150):
        rows = [_random_row(rng, k) for k in range(rng.randrange(2, 70))]
        rows += rng.sample(rows, len(rows) // 4)  # repeated reports of the same row
        assert link_events(rows) == _oracle_link_events(rows)


def test_compatibility_does_not_depend_on_which_row_comes_first() -> None:
    both = EventRow("1", "a1", "strike", "Battles", "", actor1="SDF", actor2="Coalition forces")
    repeated = EventRow("2", "a2", "strike", "Battles", "", actor1="coalition forces", actor2="coalition forces")
    assert coref.events_compatible(both, repeated) and coref.events_compatible(repeated, both)
    rng = random.Random(5)
    rows = [_random_row(rng, k) for k in range(120)]
    assert all(coref.events_compatible(a, b) == coref.events_compatible(b, a) for a in rows for b in rows)


def test_blocked_linking_without_cap_equals_pairwise_linking_on_a_big_input(monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocking alone never hides a compatible cluster; only the cap may change a result.
    monkeypatch.setattr(blocking, "MAX_CANDIDATES", 10**9)
    rng = random.Random(7)
    rows = [_random_row(rng, k) for k in range(900)]
    assert link_events(rows) == _oracle_link_events(rows)


def _strike(k: int, day: int, lat: float, lon: float, **fields: object) -> EventRow:
    base: dict[str, object] = dict(
        id=f"e{k}",
        article_id=f"a{k}",
        trigger="strike",
        event_type="Explosions",
        sub_event_type="Air/drone strike",
        story_id="s1",
        latitude=lat,
        longitude=lon,
        geonames_id=None,
        event_date=datetime(2018, 1, 1) + timedelta(days=day),
        date_precision="day",
    )
    base.update(fields)
    return EventRow(**base)  # type: ignore[arg-type]


def test_work_per_row_stays_bounded_on_a_big_story(counted_comparisons: Counter[str]) -> None:
    # 3,000 distinct strikes: 60 days x 50 towns ~40 km apart, all of one story and type.
    rows = [_strike(k, k % 60, 30.0 + 0.4 * (k // 60 % 10), 40.0 + 0.5 * (k // 600)) for k in range(3000)]
    ids = link_events(rows)
    assert len(set(ids)) == 3000
    assert counted_comparisons["calls"] < 3000 * 20  # the pairwise version needed ~4.5 million


def test_crowded_place_and_day_costs_at_most_the_cap_per_row(counted_comparisons: Counter[str]) -> None:
    # 800 clashes in one town on one day between pairs of groups that never repeat: all are candidates of
    # each other, none is compatible, so only the cap keeps this from 320,000 comparisons.
    rng = random.Random(3)
    groups = ["".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(12)) for _ in range(1600)]
    rows = [_strike(k, 5, 34.45, 40.92, actor1=groups[2 * k], actor2=groups[2 * k + 1]) for k in range(800)]
    ids = link_events(rows)
    assert len(set(ids)) == 800
    assert counted_comparisons["calls"] <= 800 * blocking.MAX_CANDIDATES


def test_vague_row_still_joins_its_own_articles_cluster_among_many() -> None:
    rows = [_strike(k, k % 60, 30.0 + 0.4 * (k // 60), 40.0) for k in range(600)]
    # An undated row with no place, from the article of strike 437: it may be any strike, so it is tried
    # against its own article's clusters and the biggest ones, and joins the first compatible.
    vague = _strike(9999, 0, 0.0, 0.0, article_id="a437", latitude=None, longitude=None, event_date=None)
    ids = link_events([*rows, vague])
    assert ids[-1] == ids[437]


def test_coarse_dates_find_day_clusters_in_other_buckets() -> None:
    day = _strike(1, 340, 34.45, 40.92)  # 7 December 2018 - 1 January 2018 + 340 days
    year = _strike(2, 0, 34.46, 40.93, date_precision="year")  # "in 2018"
    other_year = _strike(3, 366, 34.46, 40.93, date_precision="year")  # "in 2019"
    ids = link_events([day, year, other_year])
    assert ids[0] == ids[1] and ids[2] != ids[0]


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(34.45, 40.92), (0.1, 179.99), (0.1, -179.99), (-33.9, 151.2), (84.5, 10.0), (-89.9, 0.0)],
)
def test_near_cells_hold_every_point_within_the_distance(latitude: float, longitude: float) -> None:
    cells = near_cells(latitude, longitude, 25.0)
    for bearing in range(0, 360, 15):
        for km in (5.0, 24.9):
            lat2, lon2 = _destination(latitude, longitude, bearing, km)
            assert ("cell", blocking._lat_cell(lat2), blocking._lon_cell(lon2)) in cells, (bearing, km)


def _destination(latitude: float, longitude: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """Great-circle destination point (the inverse of the haversine distance coref uses)."""
    phi, lam, theta = math.radians(latitude), math.radians(longitude), math.radians(bearing_deg)
    delta = km / coref.EARTH_RADIUS_KM
    phi2 = math.asin(math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta))
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi), math.cos(delta) - math.sin(phi) * math.sin(phi2)
    )
    return math.degrees(phi2), (math.degrees(lam2) + 180.0) % 360.0 - 180.0


def test_known_clusters_are_kept_and_joined_by_new_reports() -> None:
    old = [_strike(1, 3, 34.45, 40.92), _strike(2, 3, 34.46, 40.93), _strike(3, 9, 34.45, 40.92)]
    first = link_events(old)
    assert first[0] == first[1] != first[2]
    known = {row.id: cluster for row, cluster in zip(old, first, strict=True)}
    same_strike = _strike(4, 3, 34.44, 40.91, article_id="a-new")
    new_strike = _strike(5, 20, 34.45, 40.92, article_id="a-new")
    ids = link_events([*old, same_strike, new_strike], known=known)
    assert ids[:3] == first  # earlier rows keep their ids
    assert ids[3] == first[0]
    assert ids[4] not in first


def test_known_clusters_are_never_merged_even_when_compatible() -> None:
    # A reader split two compatible reports earlier: an incremental run must not undo that.
    rows = [_strike(1, 3, 34.45, 40.92), _strike(2, 3, 34.45, 40.92)]
    ids = link_events(rows, known={"e1": "cluster-a", "e2": "cluster-b"})
    assert ids == ["cluster-a", "cluster-b"]


def test_incremental_linking_keeps_complete_link_and_earlier_ids() -> None:
    rng = random.Random(11)
    for _ in range(40):
        rows = [_random_row(rng, k) for k in range(rng.randrange(4, 60))]
        earlier = rows[: len(rows) // 2]
        known = dict(zip((r.id for r in earlier), link_events(earlier), strict=True))
        ids = link_events(rows, known=known)
        assert ids[: len(earlier)] == [known[r.id] for r in earlier]
        assert link_events(rows, known=dict(zip((r.id for r in rows), ids, strict=True))) == ids  # a fixed point
        members: dict[str, list[EventRow]] = defaultdict(list)
        for row, cluster in zip(rows, ids, strict=True):
            members[cluster].append(row)
        for group in members.values():
            assert all(coref.events_compatible(a, b) for a in group for b in group if a is not b)
