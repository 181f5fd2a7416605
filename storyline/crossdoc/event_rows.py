"""Read the stored event rows that event linking must (re)consider, as coref.EventRow values.

Linking blocks by (story, event type) and clusters never cross blocks, so only the blocks that received a
row without a cluster id are relinked — whole, as one batch would link them — plus unlinked rows of
articles in no story. Output: those rows (in article and text order, which fixes linking's order) and
their stored cluster ids.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import ColumnElement, Select, null, select

from storyline.crossdoc.coref import EventRow
from storyline.store import Store, schema

_ROW_FIELDS = tuple(f.name for f in fields(EventRow))  # every one is a column of _columns


def _columns(story_id: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    e, p = schema.events, schema.places
    return [
        e.c.id,
        e.c.article_id,
        e.c.start_char,
        e.c.trigger,
        e.c.event_type,
        e.c.sub_event_type,
        e.c.actor1,
        e.c.actor2,
        e.c.event_date,
        e.c.date_precision,
        e.c.fatalities_low,
        e.c.fatalities_high,
        e.c.coref_id,
        story_id.label("story_id"),
        p.c.geonames_id,
        p.c.name.label("place_name"),
        p.c.latitude,
        p.c.longitude,
    ]


def _queries() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """(touched (story, type) pairs, rows of the touched stories, unlinked rows in no story).

    The second is cut to the touched blocks in Python: asked for (story, type) pairs or types directly,
    SQLite walks the events of a type once per touched story.
    """
    e, sa, p = schema.events, schema.story_articles, schema.places
    unlinked = e.c.background.is_(False) & e.c.coref_id.is_(None)
    located = (p.c.id == e.c.place_id) & p.c.latitude.is_not(None)  # places without coordinates do not link
    in_story = e.join(sa, sa.c.article_id == e.c.article_id)
    touched = select(sa.c.story_id, e.c.event_type).select_from(in_story).where(unlinked).distinct()
    touched_stories = select(sa.c.story_id).select_from(in_story).where(unlinked)
    placed = (
        select(*_columns(sa.c.story_id))
        .select_from(in_story.outerjoin(p, located))
        .where(e.c.background.is_(False), sa.c.story_id.in_(touched_stories))
    )
    unplaced = (
        select(*_columns(null()))
        .select_from(e.outerjoin(sa, sa.c.article_id == e.c.article_id).outerjoin(p, located))
        .where(unlinked, sa.c.story_id.is_(None))
    )
    return touched, placed, unplaced


def rows_to_link(store: Store) -> tuple[list[EventRow], dict[str, str]]:
    """The rows of every block holding a row without a cluster id, and the stored ids of those that have one."""
    touched, placed, unplaced = _queries()
    with store.engine.connect() as conn:
        blocks = {(story_id, event_type) for story_id, event_type in conn.execute(touched)}
        loaded = [dict(r._mapping) for r in conn.execute(placed) if (r.story_id, r.event_type) in blocks]
        loaded += [dict(r._mapping) for r in conn.execute(unplaced)]
    loaded.sort(key=lambda r: (r["article_id"], r["start_char"], r["id"]))
    rows = [EventRow(**{name: r[name] for name in _ROW_FIELDS}) for r in loaded]
    return rows, {r["id"]: r["coref_id"] for r in loaded if r["coref_id"] is not None}
