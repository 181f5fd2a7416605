"""Event linking needs a tie, not just the absence of a contradiction: rows that name nothing specific join
only their own article's events; shared towns, days, actors and toll figures tie reports of other outlets."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Sequence
from datetime import datetime

from storyline.crossdoc import event_ties
from storyline.crossdoc.coref import EventRow, events_tied, link_events, relink_events

TOWN = (7001, 48.58, 7.75)  # an invented gazetteer id (a town) and its coordinates
OTHER_TOWN = (7002, 36.2, 37.1)
FRANCE = 3017382  # GeoNames id of a country
REGION = -104  # storyline's own entries (regions, rivers, provinces) have negative ids


def _row(i: str, article: str, **fields: object) -> EventRow:
    base: dict[str, object] = dict(
        id=i,
        article_id=article,
        trigger="attack",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        story_id="s1",
    )
    base.update(fields)
    return EventRow(**base)  # type: ignore[arg-type]


def _at(place: tuple[int, float, float]) -> dict[str, object]:
    return dict(geonames_id=place[0], latitude=place[1], longitude=place[2], place_name=f"town {place[0]}")


def _partition(ids: Sequence[Hashable]) -> set[frozenset[int]]:
    groups: dict[Hashable, set[int]] = defaultdict(set)
    for position, cluster in enumerate(ids):
        groups[cluster].add(position)
    return {frozenset(g) for g in groups.values()}


def test_a_shooting_abroad_and_an_unplaced_killing_of_another_outlet_stay_apart() -> None:
    # "a gunman opened fire at a fair in a French city" vs "two bystanders died": same story and type,
    # nothing contradicts, nothing ties — the join this rule exists to stop.
    shooting = _row("1", "outlet-a", trigger="opened fire", geonames_id=FRANCE, latitude=46.0, longitude=2.0)
    killing = _row("2", "outlet-b", trigger="died", actor2="two bystanders", fatalities_low=2.0, fatalities_high=2.0)
    first, second = link_events([shooting, killing])
    assert first != second


def test_two_outlets_on_one_town_and_day_link_and_a_vague_row_joins_its_own_articles_event() -> None:
    day = datetime(2023, 5, 14)
    rows = [
        _row("1", "outlet-a", trigger="stormed", event_date=day, **_at(TOWN)),
        _row("2", "outlet-b", trigger="raid", event_date=day, **_at(TOWN)),
        _row("3", "outlet-b", trigger="the attack"),  # "the attack lasted an hour", same outlet as row 2
        _row("4", "outlet-c", trigger="violence"),  # "violence flared again": which event? nothing says
    ]
    ids = link_events(rows)
    assert ids[0] == ids[1] == ids[2]
    assert ids[3] not in ids[:3]  # even with a single cluster of its type in the story, it stays alone


def test_a_vague_row_whose_article_reports_two_events_joins_one_of_them_without_bridging() -> None:
    rows = [
        _row("1", "outlet-a", event_date=datetime(2023, 5, 14), **_at(TOWN)),
        _row("2", "outlet-a", event_date=datetime(2023, 5, 20), **_at(TOWN)),
        _row("3", "outlet-a"),
    ]
    ids = link_events(rows)
    assert ids[0] != ids[1] and ids[2] in ids[:2]


def test_matching_toll_figures_tie_reports_without_place_or_date() -> None:
    at_least = _row("1", "outlet-a", fatalities_low=320.0)  # "at least 320 civilians died in the raids"
    more_than = _row("2", "outlet-b", fatalities_low=321.0)  # "more than 320 civilians were killed"
    other_figure = _row("3", "outlet-c", fatalities_low=45.0)
    dozens = _row("4", "outlet-d", fatalities_low=24.0, fatalities_high=143.0)  # "dozens": no figure to match
    ids = link_events([at_least, more_than, other_figure, dozens])
    assert ids[0] == ids[1]
    assert len(set(ids)) == 3
    small = [_row("5", "outlet-a", fatalities_low=2.0), _row("6", "outlet-b", fatalities_low=2.0)]
    assert len(set(link_events(small))) == 2  # "two people died" recurs across unrelated incidents


def test_a_shared_country_region_or_week_is_no_tie_a_shared_town_day_or_actor_is() -> None:
    assert FRANCE in event_ties.coarse_place_ids()
    pairs_apart = [
        (dict(geonames_id=FRANCE, latitude=46.0, longitude=2.0),) * 2,
        (dict(geonames_id=REGION, latitude=14.0, longitude=-1.0),) * 2,
        (dict(event_date=datetime(2023, 5, 8), date_precision="week"),) * 2,
    ]
    pairs_tied = [
        (_at(TOWN), dict(latitude=TOWN[1] + 0.05, longitude=TOWN[2])),  # 5 km away, no gazetteer id
        (dict(event_date=datetime(2023, 5, 14)), dict(event_date=datetime(2023, 5, 14, 9), date_precision="hour")),
        (dict(actor1="River Brigade"), dict(actor1="the River Brigade", actor2="villagers")),
    ]
    for a, b in pairs_apart:
        assert not events_tied(_row("1", "outlet-a", **a), _row("2", "outlet-b", **b)), a
        assert len(set(link_events([_row("1", "outlet-a", **a), _row("2", "outlet-b", **b)]))) == 2, a
    for a, b in pairs_tied:
        assert events_tied(_row("1", "outlet-a", **a), _row("2", "outlet-b", **b)), a
        assert len(set(link_events([_row("1", "outlet-a", **a), _row("2", "outlet-b", **b)]))) == 1, a


def test_a_town_known_by_id_only_is_no_tie_to_a_place_known_by_coordinates_only() -> None:
    # Compatibility lets an incomparable pair pass; a tie needs the places to agree outright.
    by_id = _row("1", "outlet-a", geonames_id=TOWN[0])
    by_coordinates = _row("2", "outlet-b", latitude=OTHER_TOWN[1], longitude=OTHER_TOWN[2])
    assert not events_tied(by_id, by_coordinates)


def test_equal_vague_rows_of_two_articles_are_two_cases_of_one_article_one() -> None:
    # Rows equal on every linking field share a cluster at once; for rows naming nothing specific that
    # shortcut must not carry a row into another article's event.
    rows = [_row("1", "outlet-a"), _row("2", "outlet-b"), _row("3", "outlet-a")]
    ids = link_events(rows)
    assert ids[0] == ids[2] != ids[1]


def test_relinking_batch_by_batch_gives_the_one_batch_partition() -> None:
    rng = random.Random(42)
    towns = [TOWN, OTHER_TOWN, (FRANCE, 46.0, 2.0)]
    rows = []
    for k in range(80):
        fields: dict[str, object] = {}
        if rng.random() < 0.5:
            fields.update(_at(rng.choice(towns)))
        if rng.random() < 0.5:
            fields["event_date"] = datetime(2023, 5, rng.randrange(10, 14))
        if rng.random() < 0.3:
            fields["actor1"] = rng.choice(["River Brigade", "Hill Militia"])
        if rng.random() < 0.2:
            fields["fatalities_low"] = float(rng.choice([12, 40, 41]))
        rows.append(_row(f"e{k}", f"a{rng.randrange(20)}", **fields))
    one_batch = _partition(link_events(rows))
    stored: dict[str, str] = {}
    for end in range(10, len(rows) + 1, 10):  # the update relinks what is stored so far, with stored ids
        ids = relink_events(rows[:end], stored)
        stored = {row.id: cluster for row, cluster in zip(rows[:end], ids, strict=True)}
    assert _partition([stored[row.id] for row in rows]) == one_batch
