"""Exporters: the database as JSON, CSV (an ACLED-like events table plus one file per table), Parquet and
GeoJSON. ``export(store, fmt, out_dir)`` writes the files and returns their paths.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.store import Store, schema

# Tables exported as-is (raw_text and segments stay in the database: they are large and internal).
EXPORTED_TABLES = ("articles", "article_links", "entities", "mentions", "places", "times", "quantities",
                   "claims", "events", "stories", "story_articles", "rejections")
ACLED_COLUMNS = ("event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                 "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
                 "fatalities", "fatalities_low", "fatalities_high", "background", "article_ids", "evidence_start",
                 "evidence_end", "cameo")
_OMITTED = {"articles": ("raw_text", "segments"), "stories": ("profile",)}


def table_rows(store: Store, name: str) -> list[dict[str, Any]]:
    table = schema.metadata.tables[name]
    omitted = _OMITTED.get(name, ())
    return [{k: v for k, v in row.items() if k not in omitted} for row in store.rows(table)]


def acled_events(store: Store) -> list[dict[str, Any]]:
    """One row per event with ACLED-like columns plus storyline's evidence columns."""
    places = {p["id"]: p for p in store.rows(schema.places)}
    articles = {a["id"]: a for a in store.rows(schema.articles)}
    out = []
    for e in store.rows(schema.events):
        place = places.get(e["place_id"]) or {}
        article = articles.get(e["article_id"]) or {}
        low, high = e["fatalities_low"], e["fatalities_high"]
        out.append({
            "event_id": e["id"],
            "event_date": e["event_date"].date().isoformat() if e["event_date"] else None,
            "time_precision": e["date_precision"],
            "event_type": e["event_type"],
            "sub_event_type": e["sub_event_type"],
            "actor1": e["actor1"],
            "actor2": e["actor2"],
            "country": place.get("country_code"),
            "admin1": place.get("admin1"),
            "location": place.get("name"),
            "latitude": place.get("latitude"),
            "longitude": place.get("longitude"),
            "geo_precision": place.get("precision"),
            "source": article.get("outlet") or article.get("origin"),
            "notes": e["text"],
            # ACLED reports one number: the conservative low bound when a range is known.
            "fatalities": int(low) if low is not None else (0 if high == 0 else None),
            "fatalities_low": low,
            "fatalities_high": high,
            "background": e["background"],
            "article_ids": e["article_id"],
            "evidence_start": e["start_char"],
            "evidence_end": e["end_char"],
            "cameo": e["cameo"],
        })
    return out


def geojson(store: Store) -> dict[str, Any]:
    """Resolved places and located events as one GeoJSON FeatureCollection."""
    features = []
    for p in store.rows(schema.places):
        if p["latitude"] is None or p["longitude"] is None:
            continue
        properties = {k: _plain(v) for k, v in p.items() if k not in ("latitude", "longitude")}
        properties["kind"] = "place"
        features.append(_point(p["longitude"], p["latitude"], properties))
    for e in acled_events(store):
        if e["latitude"] is not None and e["longitude"] is not None:
            features.append(_point(e["longitude"], e["latitude"], {**e, "kind": "event"}))
    return {"type": "FeatureCollection", "features": features,
            "attribution": "Place data from GeoNames (CC BY 4.0), https://www.geonames.org/"}


def _point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _write_json(store: Store, out: Path) -> list[Path]:
    path = out / "storyline.json"
    data = {name: table_rows(store, name) for name in EXPORTED_TABLES}
    data["acled_events"] = acled_events(store)
    path.write_text(json.dumps(data, default=_plain, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path]


def _write_csv(store: Store, out: Path) -> list[Path]:
    written = [_csv_file(out / "events.csv", acled_events(store), ACLED_COLUMNS)]
    for name in EXPORTED_TABLES:
        if name == "events":
            continue
        columns = [c.name for c in schema.metadata.tables[name].columns if c.name not in _OMITTED.get(name, ())]
        written.append(_csv_file(out / f"{name}.csv", table_rows(store, name), columns))
    return written


def _csv_file(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (json.dumps(v) if isinstance(v, (list, dict)) else _plain(v)) for k, v in row.items()})
    return path


def _write_parquet(store: Store, out: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = []
    tables = {name: table_rows(store, name) for name in EXPORTED_TABLES}
    tables["acled_events"] = acled_events(store)
    for name, rows in tables.items():
        normalised = [{k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in r.items()}
                      for r in rows]
        table = pa.Table.from_pylist(normalised) if normalised else pa.table({})
        path = out / f"{name}.parquet"
        pq.write_table(table, path)
        written.append(path)
    return written


def _write_geojson(store: Store, out: Path) -> list[Path]:
    path = out / "storyline.geojson"
    path.write_text(json.dumps(geojson(store), default=_plain, ensure_ascii=False), encoding="utf-8")
    return [path]


EXPORTERS: dict[str, Callable[[Store, Path], list[Path]]] = {
    "json": _write_json,
    "csv": _write_csv,
    "parquet": _write_parquet,
    "geojson": _write_geojson,
}


def export(store: Store, fmt: str, out_dir: Path) -> list[Path]:
    if fmt not in EXPORTERS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORTERS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    return EXPORTERS[fmt](store, out_dir)
