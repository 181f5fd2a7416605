"""Server-rendered pages: story list, story (brief, map, timeline, numbers, sources), entity dossier and
article view with highlighted extractions. Templates autoescape; maps and timelines load JSON from /api
through a static script, so no data ever becomes inline script.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from storyline.report.dossier import entity_dossier, story_view
from storyline.store.queries import Filters, article_records, get_row, list_entities, list_stories, outlets

# Autoescape every template, whatever its extension: article text is attacker-controlled.
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                                            autoescape=True))
router = APIRouter(include_in_schema=False)

# Broad spans first, specific ones last: a place inside a quoted sentence shows as a place.
HIGHLIGHT_ORDER = ("events", "claims", "mentions", "places", "times", "quantities")


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "undated"


def _unquote(text: str) -> str:
    """A quote's text without its own quote marks and trailing comma (the page adds typographic ones)."""
    return text.strip().strip("\"'“”‘’«»").rstrip(",").strip().strip("\"'“”‘’«»")


templates.env.filters["date"] = _date
templates.env.filters["unquote"] = _unquote


def _parse_date(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request, q: str | None = None, outlet: str | None = None, date_from: str | None = None,
               date_to: str | None = None) -> HTMLResponse:
    store = request.app.state.store
    f = Filters(q=q or None, outlet=outlet or None, date_from=_parse_date(date_from), date_to=_parse_date(date_to))
    page = list_stories(store, f, limit=200)
    return templates.TemplateResponse(request, "stories.html", {
        "stories": page.items, "total": page.total, "q": q or "", "outlet": outlet or "",
        "outlets": outlets(store), "date_from": date_from or "", "date_to": date_to or ""})


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    store = request.app.state.store
    view = story_view(store, story_id)
    if view is None:
        raise HTTPException(status_code=404, detail="no such story")
    from storyline.crossdoc.ledger import build_ledger
    from storyline.report.brief import build_brief

    entities = list_entities(store, Filters(story=story_id), limit=15).items
    brief = build_brief(store, story_id)
    citation_ids = {c.number: c.article_id for c in brief.citations} if brief else {}
    copies = [a for a in view["articles"] if a["duplicate_of"]]
    return templates.TemplateResponse(request, "story.html", {
        "view": view, "story": view["story"], "entities": entities, "brief": brief, "cite": citation_ids,
        "ledger": build_ledger(store, story_id),
        "quotes": [c for c in view["claims"] if c["direct"]][:20], "copies": copies,
        "shared": [link for link in view["links"] if link["kind"] == "shared_passage"],
        "events": [e for e in view["events"] if not e["background"]]})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> HTMLResponse:
    dossier = entity_dossier(request.app.state.store, entity_id)
    if dossier is None:
        raise HTTPException(status_code=404, detail="no such entity")
    return templates.TemplateResponse(request, "entity.html", {"d": dossier, "entity": dossier["entity"]})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = request.app.state.store
    article = get_row(store, "articles", article_id)
    if article is None:
        raise HTTPException(status_code=404, detail="no such article")
    records = article_records(store, article_id)
    return templates.TemplateResponse(request, "article.html", {
        "article": article, "pieces": highlight_pieces(article["text"], records), "records": records})


def highlight_pieces(text: str, records: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str | None, str]]:
    """Split text into (piece, kind, tooltip) runs; where spans overlap, the more specific kind wins."""
    kind_at: list[tuple[str, str] | None] = [None] * len(text)
    for kind in HIGHLIGHT_ORDER:  # later (more specific) kinds overwrite earlier ones
        for r in records.get(kind, []):
            tip = _tooltip(kind, r)
            for i in range(max(0, r["start_char"]), min(len(text), r["end_char"])):
                kind_at[i] = (kind, tip)
    pieces: list[tuple[str, str | None, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or kind_at[i] != kind_at[start]:
            mark = kind_at[start]
            pieces.append((text[start:i], mark[0] if mark else None, mark[1] if mark else ""))
            start = i
    return pieces


def _tooltip(kind: str, r: dict[str, Any]) -> str:
    if kind == "places":
        return f"place: {r['name'] or '?'} ({r['country_code'] or '?'}), precision {r['precision']}"
    if kind == "times":
        return f"time: {r['value']}"
    if kind == "quantities":
        return f"count: {r['low']}–{r['high']} {r['counted'] or ''} {r['state'] or ''}"
    if kind == "claims":
        return f"claim by {r['speaker'] or 'the outlet'} ({r['stance']})"
    if kind == "events":
        return f"event: {r['event_type']} / {r['sub_event_type']}"
    return f"{r['label']}: {r['entity_key']}"
