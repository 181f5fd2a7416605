"""US counties in the gazetteer: placed at a namesake town of their state, else flagged approximate."""

from __future__ import annotations

from storyline.nlp.gazetteer import Gazetteer
from storyline.nlp.gazetteer_sources import Row
from storyline.nlp.geo_counties import county_rows

OHIO = {"OH": ("Ohio", 40.25, -82.75)}


def town(geonames_id: int, name: str, lat: float, lon: float, population: int, state: str = "Ohio") -> Row:
    return (geonames_id, name, lat, lon, "US", state, "P.PPL", population, [name])


def ohio_counties(towns: list[Row]) -> dict[str, tuple[Row, bool]]:
    return {row[1]: (row, approximate) for row, approximate in county_rows(towns, OHIO)}


def test_county_sits_at_its_namesake_town_in_the_same_state() -> None:
    counties = ohio_counties([town(1, "Lorain", 41.45, -82.18, 64_000), town(2, "Lorain", 35.0, -90.0, 900, "Iowa")])
    row, approximate = counties["Lorain County"]
    assert (row[2], row[3], row[4], row[5], row[6]) == (41.45, -82.18, "US", "Ohio", "A.ADM2")
    assert not approximate and row[0] < 0  # derived features get negative ids


def test_longer_namesake_is_used_when_no_exact_one_and_the_biggest_wins() -> None:
    towns = [town(1, "Portage Lakes", 40.99, -81.53, 6_000), town(2, "Portage Heights", 41.0, -81.0, 30_000)]
    row, approximate = ohio_counties(towns)["Portage County"]
    assert (row[2], row[3]) == (41.0, -81.0) and not approximate
    # "Portagetown" does not start with the county's name as a word: no namesake.
    row, approximate = ohio_counties([town(3, "Portagetown", 41.2, -81.2, 9_000)])["Portage County"]
    assert (row[2], row[3]) == (40.25, -82.75) and approximate


def test_county_without_namesake_takes_its_state_point_and_is_flagged() -> None:
    counties = ohio_counties([])
    row, approximate = counties["Athens County"]
    assert (row[2], row[3], row[5]) == (40.25, -82.75, "Ohio") and approximate
    assert all(r[5] == "Ohio" for r, _ in counties.values())  # only states with a known point
    assert len(counties) == 88  # Ohio's counties, every one of them


def test_built_gazetteer_knows_counties_parishes_and_saint_spellings(gazetteer: Gazetteer) -> None:
    parishes = gazetteer.lookup("Lafourche Parish")
    assert [(e.admin1, e.feature_code) for e in parishes] == [("Louisiana", "A.ADM2")]
    saint = {e.geonames_id for e in gazetteer.lookup("Saint Lawrence County")}
    assert saint and saint == {e.geonames_id for e in gazetteer.lookup("St. Lawrence County")}
    washington = gazetteer.lookup("Washington County")
    assert len({e.admin1 for e in washington}) > 20  # one per state that has one, told apart by context
