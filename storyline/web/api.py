"""REST API: JSON lists with pagination and filters, single records, exports as downloads, and an
optional token-protected ingest endpoint. Documented by FastAPI's OpenAPI schema at /docs.
"""

from __future__ import annotations

import hmac
import json
import shutil
import tempfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from storyline.report.dossier import entity_dossier, story_view
from storyline.report.exporters import export, geojson
from storyline.store import Store
from storyline.store.queries import (
    Filters,
    Page,
    article_records,
    get_row,
    list_articles,
    list_entities,
    list_records,
    list_stories,
)

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
# GeoNames ids are positive; curated places use negative ids. Bounded so the database driver never overflows.
PlaceId = Annotated[int | None, Query(ge=-(2**53), le=2**53, description="GeoNames id of a place")]


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _filters(story: str | None = None, outlet: str | None = None, entity: str | None = None,
             place: PlaceId = None, event_type: str | None = None, date_from: datetime | None = None,
             date_to: datetime | None = None, q: str | None = None) -> Filters:
    return Filters(story=story, outlet=outlet, entity=entity, place=place, event_type=event_type,
                   date_from=date_from, date_to=date_to, q=q)


def _json(page: Page) -> JSONResponse:
    return JSONResponse(json.loads(json.dumps(asdict(page), default=_plain)))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _one(value: dict[str, Any] | None, what: str, ident: str) -> JSONResponse:
    if value is None:
        raise HTTPException(status_code=404, detail=f"no {what} with id {ident!r}")
    return JSONResponse(json.loads(json.dumps(value, default=_plain)))


@router.get("/stories", summary="Stories, largest first; filter by text, outlet, entity, place, dates")
def stories(request: Request, q: str | None = None, outlet: str | None = None, entity: str | None = None,
            place: PlaceId = None, date_from: datetime | None = None, date_to: datetime | None = None,
            limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    f = _filters(outlet=outlet, entity=entity, place=place, date_from=date_from, date_to=date_to, q=q)
    return _json(list_stories(_store(request), f, limit, offset))


@router.get("/stories/{story_id}", summary="One story: articles, events, places, numbers, claims, links")
def story(request: Request, story_id: str) -> JSONResponse:
    return _one(story_view(_store(request), story_id), "story", story_id)


@router.get("/stories/{story_id}/geojson", summary="A story's located events and places as GeoJSON")
def story_geojson(request: Request, story_id: str) -> JSONResponse:
    view = story_view(_store(request), story_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"no story with id {story_id!r}")
    features = []
    for p in view["places"]:
        if p["latitude"] is not None and not p["is_demonym"]:
            features.append(_feature(p["longitude"], p["latitude"], {
                "kind": "place", "name": p["name"], "precision": p["precision"], "text": p["text"],
                "source": p["source"], "article_id": p["article_id"]}))
    for e in view["events"]:
        if e["latitude"] is not None:
            features.append(_feature(e["longitude"], e["latitude"], {
                "kind": "event", "name": e["sub_event_type"], "precision": e["geo_precision"],
                "text": e["text"], "source": e["source"], "article_id": e["article_id"],
                "date": e["event_date"]}))
    return _one({"type": "FeatureCollection", "features": features}, "story", story_id)


def _feature(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


@router.get("/stories/{story_id}/timeline", summary="Dated events and claims of a story, oldest first")
def story_timeline(request: Request, story_id: str) -> JSONResponse:
    view = story_view(_store(request), story_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"no story with id {story_id!r}")
    items = [{"kind": "event", "date": e["event_date"], "label": e["sub_event_type"], "text": e["text"],
              "source": e["source"], "article_id": e["article_id"], "background": e["background"]}
             for e in view["events"] if e["event_date"]]
    items += [{"kind": "claim", "date": c["said_on"], "label": c["speaker_name"] or c["speaker"] or c["source"],
               "text": c["text"],
               "source": c["source"], "article_id": c["article_id"], "background": False}
              for c in view["claims"] if c["said_on"] and c["speaker_kind"] != "outlet"]
    items.sort(key=lambda i: i["date"])
    return _one({"items": items}, "story", story_id)


@router.get("/articles", summary="Articles, newest first; filter by story, outlet, entity, place, dates, text")
def articles(request: Request, story: str | None = None, outlet: str | None = None, entity: str | None = None,
             place: PlaceId = None, date_from: datetime | None = None, date_to: datetime | None = None,
             q: str | None = None, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    f = _filters(story, outlet, entity, place, None, date_from, date_to, q)
    return _json(list_articles(_store(request), f, limit, offset))


@router.get("/articles/{article_id}", summary="One article with its text and every extracted record")
def article(request: Request, article_id: str) -> JSONResponse:
    store = _store(request)
    row = get_row(store, "articles", article_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
    row.pop("raw_text", None)
    row.pop("segments", None)
    row.update(article_records(store, article_id))
    return _one(row, "article", article_id)


@router.get("/search", summary="Full-text search over article titles and texts")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Limit = 50,
           offset: Offset = 0) -> JSONResponse:
    return _json(list_articles(_store(request), Filters(q=q), limit, offset))


@router.get("/entities", summary="Entities with mention counts; filter by story or name")
def entities(request: Request, story: str | None = None, q: str | None = None, limit: Limit = 100,
             offset: Offset = 0) -> JSONResponse:
    return _json(list_entities(_store(request), Filters(story=story, q=q), limit, offset))


@router.get("/entities/{entity_id}", summary="Entity dossier: aliases, articles, quotes, reported whereabouts")
def entity(request: Request, entity_id: str) -> JSONResponse:
    return _one(entity_dossier(_store(request), entity_id), "entity", entity_id)


def _records(name: str):  # noqa: ANN202 - returns a FastAPI endpoint
    def endpoint(request: Request, story: str | None = None, outlet: str | None = None,
                 entity: str | None = None, place: PlaceId = None, event_type: str | None = None,
                 date_from: datetime | None = None, date_to: datetime | None = None,
                 limit: Limit = 100, offset: Offset = 0) -> JSONResponse:
        f = _filters(story, outlet, entity, place, event_type, date_from, date_to)
        return _json(list_records(_store(request), name, f, limit, offset))

    endpoint.__name__ = f"list_{name}"
    return endpoint


for _name, _summary in (("events", "Events (ACLED-like types); filter by type, story, place, dates"),
                        ("claims", "Claims and quotes with speaker, stance and hedges"),
                        ("places", "Resolved places with coordinates and precision"),
                        ("quantities", "Numbers and casualty counts with bounds"),
                        ("times", "Normalized time expressions"),
                        ("mentions", "Entity mentions with their spans")):
    router.add_api_route(f"/{_name}", _records(_name), methods=["GET"], summary=_summary)


EXPORT_FORMATS = {"csv": "events.csv", "geojson": "storyline.geojson", "json": "storyline.json",
                  "parquet": "acled_events.parquet"}


@router.get("/export/{fmt}", summary="Download an export: csv (ACLED-like events), geojson, json, parquet")
def download(request: Request, fmt: str) -> Any:
    if fmt not in EXPORT_FORMATS:
        raise HTTPException(status_code=404, detail=f"unknown format {fmt!r}; use one of {sorted(EXPORT_FORMATS)}")
    store = _store(request)
    if fmt == "geojson":
        return JSONResponse(json.loads(json.dumps(geojson(store), default=_plain)),
                            headers={"Content-Disposition": "attachment; filename=storyline.geojson"})
    out = Path(tempfile.mkdtemp(prefix="storyline-export-"))
    export(store, fmt, out)
    name = EXPORT_FORMATS[fmt]
    return FileResponse(out / name, filename=name, background=BackgroundTask(shutil.rmtree, out, True))


@router.post("/ingest", summary="Add articles (JSONL body); needs the server's ingest token", status_code=202)
async def ingest(request: Request, authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    token = request.app.state.ingest_token
    if not token:
        raise HTTPException(status_code=403, detail="this server is read-only (start it with --ingest-token)")
    if not authorization or not hmac.compare_digest(authorization, f"Bearer {token}"):
        raise HTTPException(status_code=401, detail="missing or wrong bearer token")
    body = await _read_limited(request, request.app.state.max_ingest_bytes)
    from io import StringIO

    from storyline.ingest import read_inputs
    from storyline.runner import run_articles

    text = body.decode("utf-8", errors="replace")
    summary = run_articles(read_inputs(["-"], stdin=StringIO(text)), _store(request), labels=["api:ingest"])
    return JSONResponse({"stored": summary.stored, "skipped": summary.skipped, "rejected": summary.rejected,
                         "rejections": [{"origin": r.origin, "reason": r.reason} for r in summary.rejections]},
                        status_code=202)


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(status_code=413, detail=f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
