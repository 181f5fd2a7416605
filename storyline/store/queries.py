"""Read queries for the web app and the REST API: filtered, paginated lists and single records.

All values travel as bound parameters; text search goes through ``dialects.search_article_ids`` (FTS5 on
SQLite, full-text search on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, true, update

from storyline.records import Entity, Evidence, Mention
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
        query = query.where(
            article_id_column.in_(select(schema.mentions.c.article_id).where(schema.mentions.c.entity_id == f.entity))
        )
    if f.place is not None:
        query = query.where(
            article_id_column.in_(select(schema.places.c.article_id).where(schema.places.c.geonames_id == f.place))
        )
    if f.q:
        query = query.where(article_id_column.in_(search_article_ids(store.engine, f.q)))
    return query


def list_stories(store: Store, f: Filters, limit: int = 50, offset: int = 0) -> Page:
    s = schema.stories
    query = select(s.c.id, s.c.title, s.c.first_published, s.c.last_published, s.c.n_articles)
    if f.q or f.outlet or f.entity or f.place is not None:
        inner = _article_filter(
            store,
            select(schema.story_articles.c.story_id),
            schema.story_articles.c.article_id,
            Filters(outlet=f.outlet, entity=f.entity, place=f.place, q=f.q),
        )
        query = query.where(s.c.id.in_(inner))
    if f.date_from:
        query = query.where(s.c.last_published >= f.date_from)
    if f.date_to:
        query = query.where(s.c.first_published <= f.date_to)
    return _page(store, query.order_by(s.c.n_articles.desc(), s.c.id), limit, offset)


def list_articles(store: Store, f: Filters, limit: int = 50, offset: int = 0) -> Page:
    a = schema.articles
    query = select(
        a.c.id,
        a.c.title,
        a.c.outlet,
        a.c.url,
        a.c.published,
        a.c.published_precision,
        a.c.language,
        a.c.word_count,
        a.c.duplicate_of,
        a.c.origin,
    )
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
    counts = (
        select(
            m.c.entity_id, func.count().label("mentions"), func.count(func.distinct(m.c.article_id)).label("articles")
        )
        .group_by(m.c.entity_id)
        .subquery()
    )
    query = select(e.c.id, e.c.name, e.c.label, e.c.aliases, counts.c.mentions, counts.c.articles).join(
        counts, counts.c.entity_id == e.c.id
    )
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
        return [
            r[0]
            for r in conn.execute(select(a.c.outlet).where(a.c.outlet.is_not(None)).distinct().order_by(a.c.outlet))
        ]


def article_records(store: Store, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every record extracted from one article, by table, in text order."""
    out = {}
    for table in schema.EXTRACTED_TABLES:
        out[table.name] = store.rows(table, table.c.article_id == article_id, order_by=table.c.start_char)
    return out


# -- cross-document update: read only what new articles touch -------------------------------------

_IDS_PER_QUERY = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit


def clear_event_coreference(store: Store, story_ids: list[str]) -> int:
    """Forget the coreference ids of the events of these stories (so the next update links them afresh)."""
    e, sa = schema.events, schema.story_articles
    members = select(sa.c.article_id).where(sa.c.story_id.in_(story_ids))
    with store.engine.begin() as conn:
        return int(conn.execute(update(e).where(e.c.article_id.in_(members)).values(coref_id=None)).rowcount)


def unresolved_mentions(store: Store, article_ids: list[str] | None = None) -> list[Mention]:
    """Mentions not attached to a cross-article entity yet (those of newly stored articles), of these
    articles only when ``article_ids`` is given. Built straight from row tuples: no mapping per row."""
    m = schema.mentions
    query = select(m.c.article_id, m.c.start_char, m.c.end_char, m.c.text, m.c.label, m.c.entity_key).where(
        m.c.entity_id.is_(None)
    )
    queries = (
        [query]
        if article_ids is None
        else [
            query.where(m.c.article_id.in_(article_ids[start : start + _IDS_PER_QUERY]))
            for start in range(0, len(article_ids), _IDS_PER_QUERY)
        ]
    )
    with store.engine.connect() as conn:
        return [
            Mention(Evidence(article_id, start, end), text, label, key)
            for chunk in queries
            for article_id, start, end, text, label, key in conn.execute(chunk)
        ]


def article_texts(store: Store, article_ids: list[str]) -> dict[str, str]:
    a = schema.articles
    out: dict[str, str] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(article_ids), _IDS_PER_QUERY):
            chunk = article_ids[start : start + _IDS_PER_QUERY]
            out.update((r.id, r.text) for r in conn.execute(select(a.c.id, a.c.text).where(a.c.id.in_(chunk))))
    return out


def entities_by_id(store: Store, entity_ids: list[str]) -> list[Entity]:
    """The stored entities of these ids as Entity values (only what resolution needs of them), read chunk by
    chunk and ordered by id (so a run reads candidates in one order every time)."""
    e = schema.entities
    wanted = select(e.c.id, e.c.name, e.c.label, e.c.aliases)
    out: list[Entity] = []
    with store.engine.connect() as conn:
        for start in range(0, len(entity_ids), _IDS_PER_QUERY):
            chunk = entity_ids[start : start + _IDS_PER_QUERY]
            out.extend(
                Entity(r.id, r.name, r.label, tuple(r.aliases)) for r in conn.execute(wanted.where(e.c.id.in_(chunk)))
            )
    return sorted(out, key=lambda entity: entity.id)


def all_entity_ids(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(schema.entities.c.id).order_by(schema.entities.c.id)).scalars())


def entity_key_counts(store: Store, keys: Iterable[str]) -> dict[str, int]:
    """How many stored entities hold each of these lookup keys (keys nobody holds are left out)."""
    k = schema.entity_keys
    wanted = sorted(set(keys))
    out: dict[str, int] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            query = select(k.c.key, func.count()).where(k.c.key.in_(chunk)).group_by(k.c.key)
            out.update((key, int(n)) for key, n in conn.execute(query))
    return out


def entity_key_holders(store: Store, keys: Iterable[str]) -> dict[str, list[str]]:
    """Lookup key → ids of the stored entities holding it."""
    k = schema.entity_keys
    wanted = sorted(set(keys))
    out: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            for key, entity_id in conn.execute(select(k.c.key, k.c.entity_id).where(k.c.key.in_(chunk))):
                out.setdefault(key, []).append(entity_id)
    return out


def keys_of_entities(store: Store, entity_ids: Iterable[str], prefixes: Sequence[str] = ()) -> dict[str, list[str]]:
    """Entity id → its stored lookup keys (only those starting with one of ``prefixes``, when given)."""
    k = schema.entity_keys
    wanted = sorted(set(entity_ids))
    out: dict[str, list[str]] = {}
    kinds = or_(*(k.c.key.startswith(prefix, autoescape=True) for prefix in prefixes)) if prefixes else true()
    with store.engine.connect() as conn:
        for start in range(0, len(wanted), _IDS_PER_QUERY):
            chunk = wanted[start : start + _IDS_PER_QUERY]
            query = select(k.c.key, k.c.entity_id).where(k.c.entity_id.in_(chunk), kinds)
            for key, entity_id in conn.execute(query):
                out.setdefault(entity_id, []).append(key)
    return out


def articles_with_unresolved_mentions(store: Store) -> list[str]:
    """Ids of articles holding mentions without a cross-article entity, in the order they were stored."""
    m, a = schema.mentions, schema.articles
    pending = select(m.c.article_id).where(m.c.entity_id.is_(None)).distinct().subquery()
    query = select(a.c.id).where(a.c.id.in_(select(pending.c.article_id))).order_by(a.c.ingested_at, a.c.id)
    with store.engine.connect() as conn:
        return list(conn.execute(query).scalars())
