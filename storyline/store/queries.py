"""Read queries for the web app and the REST API: filtered, paginated lists and single records.

All values travel as bound parameters; text search goes through ``dialects.search_article_ids`` (FTS5 on
SQLite, full-text search on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from storyline.store import schema
from storyline.store.database import Store
from storyline.store.dialects import search_article_ids

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class Filters:
    """Filters shared by list endpoints; every field is optional."""

    story: str | None = None
    outlet: str | None = None
    entity: str | None = None
    place: int | None = None  # GeoNames id
    event_type: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    q: str | None = None


def _page(store: Store, query: Select, limit: int, offset: int) -> Page:  # type: ignore[type-arg]
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.limit(limit).offset(max(0, offset)))
        return Page([dict(r._mapping) for r in rows], int(total), limit, max(0, offset))


def _article_filter(store: Store, query: Select, article_id_column: Any, f: Filters) -> Select:  # type: ignore[type-arg]
    a = schema.articles
    if f.story:
        members = select(schema.story_articles.c.article_id).where(schema.story_articles.c.story_id == f.story)
        query = query.where(article_id_column.in_(members))
    if f.outlet:
        query = query.where(article_id_column.in_(select(a.c.id).where(a.c.outlet == f.outlet)))
    if f.entity:
        query = query.where(article_id_column.in_(
            select(schema.mentions.c.article_id).where(schema.mentions.c.entity_id == f.entity)))
    if f.place is not None:
        query = query.where(article_id_column.in_(
            select(schema.places.c.article_id).where(schema.places.c.geonames_id == f.place)))
    if f.q:
        query = query.where(article_id_column.in_(search_article_ids(store.engine, f.q)))
    return query


def list_stories(store: Store, f: Filters, limit: int = 50, offset: int = 0) -> Page:
    s = schema.stories
    query = select(s.c.id, s.c.title, s.c.first_published, s.c.last_published, s.c.n_articles)
    if f.q or f.outlet or f.entity or f.place is not None:
        inner = _article_filter(store, select(schema.story_articles.c.story_id),
                                schema.story_articles.c.article_id, Filters(outlet=f.outlet, entity=f.entity,
                                                                           place=f.place, q=f.q))
        query = query.where(s.c.id.in_(inner))
    if f.date_from:
        query = query.where(s.c.last_published >= f.date_from)
    if f.date_to:
        query = query.where(s.c.first_published <= f.date_to)
    return _page(store, query.order_by(s.c.n_articles.desc(), s.c.id), limit, offset)


def list_articles(store: Store, f: Filters, limit: int = 50, offset: int = 0) -> Page:
    a = schema.articles
    query = select(a.c.id, a.c.title, a.c.outlet, a.c.url, a.c.published, a.c.published_precision,
                   a.c.language, a.c.word_count, a.c.duplicate_of, a.c.origin)
    query = _article_filter(store, query, a.c.id, f)
    if f.date_from:
        query = query.where(a.c.published >= f.date_from)
    if f.date_to:
        query = query.where(a.c.published <= f.date_to)
    return _page(store, query.order_by(a.c.published.desc(), a.c.id), limit, offset)


def list_records(store: Store, table_name: str, f: Filters, limit: int = 100, offset: int = 0) -> Page:
    """Mentions, places, times, quantities, claims or events, filtered through their articles."""
    table = schema.metadata.tables[table_name]
    query = _article_filter(store, select(table), table.c.article_id, f)
    if table_name == "events":
        if f.event_type:
            query = query.where((table.c.event_type == f.event_type) | (table.c.sub_event_type == f.event_type))
        if f.date_from:
            query = query.where(table.c.event_date >= f.date_from)
        if f.date_to:
            query = query.where(table.c.event_date <= f.date_to)
    return _page(store, query.order_by(table.c.article_id, table.c.start_char, table.c.id), limit, offset)


def list_entities(store: Store, f: Filters, limit: int = 100, offset: int = 0) -> Page:
    e, m = schema.entities, schema.mentions
    counts = (select(m.c.entity_id, func.count().label("mentions"),
                     func.count(func.distinct(m.c.article_id)).label("articles"))
              .group_by(m.c.entity_id).subquery())
    query = (select(e.c.id, e.c.name, e.c.label, e.c.aliases, counts.c.mentions, counts.c.articles)
             .join(counts, counts.c.entity_id == e.c.id))
    if f.story:
        members = select(schema.story_articles.c.article_id).where(schema.story_articles.c.story_id == f.story)
        query = query.where(e.c.id.in_(select(m.c.entity_id).where(m.c.article_id.in_(members))))
    if f.q:
        query = query.where(e.c.name.ilike(f"%{f.q}%"))  # bound parameter, not string-built SQL
    return _page(store, query.order_by(counts.c.mentions.desc(), e.c.id), limit, offset)


def get_row(store: Store, table_name: str, row_id: str) -> dict[str, Any] | None:
    table = schema.metadata.tables[table_name]
    with store.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).first()
        return dict(row._mapping) if row else None


def story_article_ids(store: Store, story_id: str) -> list[str]:
    sa = schema.story_articles
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(sa.c.article_id).where(sa.c.story_id == story_id))]


def outlets(store: Store) -> list[str]:
    a = schema.articles
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(a.c.outlet).where(a.c.outlet.is_not(None)).distinct()
                                           .order_by(a.c.outlet))]


def article_records(store: Store, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every record extracted from one article, by table, in text order."""
    out = {}
    for table in schema.EXTRACTED_TABLES:
        out[table.name] = store.rows(table, table.c.article_id == article_id, order_by=table.c.start_char)
    return out
