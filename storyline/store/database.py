"""``Store``: open a database, write analysed articles atomically (a batch per transaction), read rows back.

Every article is written in the same transaction as everything extracted from it, so a run killed midway
leaves only whole articles behind (at most the uncommitted batch is lost) and a rerun skips them. Rows
arrive already encoded (``rows.ArticleRows``) and go to the driver's ``executemany`` as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    Text,
    bindparam,
    delete,
    func,
    inspect,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateTable, DropTable

from storyline.errors import StoreError
from storyline.records import ArticleAnalysis, ArticleLink, Entity, Rejected
from storyline.store import migrations, rows, schema
from storyline.store.dialects import create_storyline_engine, insert_ignoring_duplicates

# Ids per "which of these are stored?" query (SQLite allows 32766 bound parameters; stay far below).
_IDS_PER_QUERY = 500


class Store:
    """A storyline database (SQLite file by default, PostgreSQL by URL)."""

    def __init__(self, target: str | Path) -> None:
        self.target = str(target)
        try:
            self.engine: Engine = create_storyline_engine(target)
            migrations.upgrade(self.engine)
            self.dialect: str = self.engine.url.drivername  # what ArticleRows must be encoded for
            self._inserts: dict[tuple[str, tuple[str, ...]], tuple[str, itemgetter | None]] = {}
            self._last_ingested = datetime.min
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database {self.target}: {exc.__class__.__name__}: {exc}") from exc

    # -- runs -----------------------------------------------------------------------------------
    def begin_run(self, inputs: Sequence[str]) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                schema.runs.insert().values(started_at=datetime.now(), inputs=list(inputs), status="running")
            )
            key = result.inserted_primary_key
            if key is None:
                raise StoreError("the database returned no id for the new run")
            return int(key[0])

    def finish_run(self, run_id: int, *, stored: int, skipped: int, rejected: int, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.runs)
                .where(schema.runs.c.id == run_id)
                .values(
                    finished_at=datetime.now(), n_stored=stored, n_skipped=skipped, n_rejected=rejected, status=status
                )
            )

    # -- writing --------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(select(schema.articles.c.id).where(schema.articles.c.id == article_id))
            return found.first() is not None

    def known_article_ids(self, article_ids: Iterable[str]) -> set[str]:
        """Which of these ids are already stored (one query per few hundred ids)."""
        wanted = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _IDS_PER_QUERY):
                part = wanted[start : start + _IDS_PER_QUERY]
                found.update(conn.execute(select(schema.articles.c.id).where(schema.articles.c.id.in_(part))).scalars())
        return found

    def save_analysis(
        self,
        analysis: ArticleAnalysis,
        *,
        links: Iterable[ArticleLink] = (),
        duplicate_of: str | None = None,
        run_id: int | None = None,
    ) -> None:
        """Write one article and everything extracted from it in a single transaction."""
        duplicates = {analysis.article.id: duplicate_of} if duplicate_of else {}
        self.save_rows([rows.analysis_rows(analysis, self.dialect)], links=links, duplicates=duplicates, run_id=run_id)

    def save_rows(
        self,
        batch: Sequence[rows.ArticleRows],
        *,
        links: Iterable[ArticleLink] = (),
        duplicates: Mapping[str, str] = {},  # noqa: B006 - read only
        run_id: int | None = None,
    ) -> None:
        """Write a batch of articles, their facts, the links between them and earlier articles, and their
        rejections, in one transaction (all or nothing)."""
        if not batch:
            self.save_links(links)
            return
        articles = [self._article_row(item, duplicates.get(item.article_id), run_id) for item in batch]
        by_table: dict[str, list[dict[str, Any]]] = {}
        for item in batch:
            if item.dialect != self.dialect:
                raise StoreError(f"rows of {item.article_id} are encoded for {item.dialect}, not {self.dialect}")
            for name, table_rows in item.tables:
                by_table.setdefault(name, []).extend(table_rows)
        rejections = [_rejection_row(r, run_id) for item in batch for r in item.rejections]
        try:
            with self.engine.begin() as conn:
                # Articles first: links and facts point at them (foreign keys), some within this batch.
                self._insert(conn, schema.articles, articles)
                self._insert(
                    conn,
                    schema.article_links,
                    rows.encode_rows(
                        schema.article_links, rows.unique_rows([rows.link_row(link) for link in links]), self.dialect
                    ),
                )
                for table in schema.EXTRACTED_TABLES:
                    self._insert(conn, table, by_table.get(table.name, []))
                if rejections:
                    conn.execute(schema.rejections.insert(), rejections)
        except SQLAlchemyError as exc:
            first, last = batch[0].article_id, batch[-1].article_id
            raise StoreError(f"could not store {len(batch)} articles ({first} … {last}): {exc}") from exc

    def _article_row(self, item: rows.ArticleRows, duplicate_of: str | None, run_id: int | None) -> dict[str, Any]:
        # Strictly increasing, so that rebuilding indexes "in insertion order" has exactly one order.
        now = max(datetime.now(), self._last_ingested + timedelta(microseconds=1))
        self._last_ingested = now
        driver_values = {"duplicate_of": duplicate_of, "run_id": run_id, "ingested_at": now}
        return {**item.article, **rows.encode_rows(schema.articles, [driver_values], self.dialect)[0]}

    def _insert(self, conn: Connection, table: Table, table_rows: list[dict[str, Any]]) -> None:
        """INSERT … ON CONFLICT DO NOTHING of encoded rows, straight to the driver's executemany."""
        if not table_rows:
            return
        keys = tuple(table_rows[0])
        cached = self._inserts.get((table.name, keys))
        if cached is None:
            compiled = insert_ignoring_duplicates(self.engine, table).compile(
                dialect=self.engine.dialect, column_keys=list(keys)
            )
            names = compiled.positiontup if compiled.positional else list(compiled.binds)
            if set(names or ()) != set(keys):
                raise StoreError(f"{table.name}: rows give {sorted(keys)}, the insert needs {sorted(names or ())}")
            order = itemgetter(*names) if compiled.positional and names else None
            cached = self._inserts[(table.name, keys)] = (compiled.string, order)
        sql, order = cached
        # map() keeps both passes over the rows in C: thousands of rows a batch, on the driver's critical path.
        if set(map(len, table_rows)) != {len(keys)}:
            raise StoreError(f"{table.name}: rows of one batch have different columns")
        params: list[Any] = list(map(order, table_rows)) if order is not None else list(table_rows)
        if order is not None and len(keys) == 1:
            params = [(value,) for value in params]
        conn.exec_driver_sql(sql, params)

    def save_links(self, links: Iterable[ArticleLink]) -> None:
        """Provenance links between two stored articles (already present links are ignored)."""
        link_rows = rows.unique_rows([rows.link_row(link) for link in links])
        if link_rows:
            with self.engine.begin() as conn:
                conn.execute(insert_ignoring_duplicates(self.engine, schema.article_links), link_rows)

    def save_rejection(self, rejection: Rejected, run_id: int | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(schema.rejections.insert().values(**_rejection_row(rejection, run_id)))

    def save_entities(
        self,
        entities: Iterable[Entity],
        assignments: Mapping[tuple[str, ...], str],
        superseded: Mapping[str, str] | None = None,
        *,
        keys: Mapping[str, Iterable[str]] | None = None,
        previous_keys: Mapping[str, Iterable[str]] | None = None,
        speakers: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        """Upsert cross-article entities with their lookup keys, point mentions at them, and move the mentions
        of entities merged into another (``superseded``: old id → new id), all in one transaction.

        ``assignments`` maps (article_id, entity_key) or (article_id, entity_key, label) to an entity id (with
        a label, mentions of that key under another label keep theirs). ``speakers`` maps (article_id,
        speaker_key) of claims to an entity id; without it, the two-part assignments are used. ``keys``: entity
        id → its ``entity_keys`` rows (crossdoc.entity_index), replacing those stored; with ``previous_keys``
        (the rows stored now) only the difference is written. Entities not in ``keys`` keep their rows.
        """
        entity_rows = [{"id": e.id, "name": e.name, "label": e.label, "aliases": list(e.aliases)} for e in entities]
        key_rows, stale = _key_changes(keys or {}, previous_keys or {})
        rewritten = sorted(set(keys or {}) - set(previous_keys or {}))
        if speakers is None:
            speakers = {(a[0], a[1]): e for a, e in assignments.items() if len(a) == 2}
        k = schema.entity_keys
        with self.engine.begin() as conn:
            for old_id, new_id in (superseded or {}).items():
                self._move_entity(conn, old_id, new_id)
            ids = [r["id"] for r in entity_rows]
            for start in range(0, max(len(ids), len(rewritten)), _IDS_PER_QUERY):
                conn.execute(
                    delete(schema.entities).where(schema.entities.c.id.in_(ids[start : start + _IDS_PER_QUERY]))
                )
                conn.execute(delete(k).where(k.c.entity_id.in_(rewritten[start : start + _IDS_PER_QUERY])))
            if stale:
                conn.execute(delete(k).where(k.c.entity_id == bindparam("e"), k.c.key == bindparam("k")), stale)
            # Straight to the driver's executemany: thousands of key rows per update.
            self._insert(conn, schema.entities, rows.encode_rows(schema.entities, entity_rows, self.dialect))
            self._insert(conn, schema.entity_keys, key_rows)
            _assign_mentions(conn, assignments)
            c = schema.claims
            pairs = [(a, k, e) for (a, k), e in speakers.items()]
            update_matching(conn, c.c.speaker_entity_id, (c.c.article_id, c.c.speaker_key), pairs)

    @staticmethod
    def _move_entity(conn: Connection, old_id: str, new_id: str) -> None:
        """Hand an entity's mentions and claims to the one it was merged into, then drop it and its keys."""
        conn.execute(update(schema.mentions).where(schema.mentions.c.entity_id == old_id).values(entity_id=new_id))
        conn.execute(
            update(schema.claims).where(schema.claims.c.speaker_entity_id == old_id).values(speaker_entity_id=new_id)
        )
        conn.execute(delete(schema.entity_keys).where(schema.entity_keys.c.entity_id == old_id))
        conn.execute(delete(schema.entities).where(schema.entities.c.id == old_id))

    def set_event_coreference(self, clusters: dict[str, str]) -> None:
        """Store each event's cross-document cluster id (event id → cluster id)."""
        pairs = list(clusters.items())
        with self.engine.begin() as conn:
            update_matching(conn, schema.events.c.coref_id, (schema.events.c.id,), pairs)

    def replace_rows(self, table: Table, new_rows: list[dict[str, Any]]) -> None:
        """Replace a derived table (stories, story_articles) in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(table))
            if new_rows:
                conn.execute(table.insert(), new_rows)

    # -- reading --------------------------------------------------------------------------------
    def count(self, table: Table) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def rows(self, table: Table, *where: Any, order_by: Any = None) -> list[dict[str, Any]]:
        query = select(table).where(*where) if where else select(table)
        if order_by is not None:
            query = query.order_by(order_by)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def iter_article_texts(self) -> Iterator[tuple[str, str]]:
        """(id, text) of stored articles in insertion order, to rebuild in-memory indexes on resume."""
        query = select(schema.articles.c.id, schema.articles.c.text).order_by(schema.articles.c.ingested_at)
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield row.id, row.text

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    def close(self) -> None:
        self.engine.dispose()


def _key_changes(
    keys: Mapping[str, Iterable[str]], previous: Mapping[str, Iterable[str]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Key rows to insert and (entity, key) pairs to delete so that each entity holds exactly ``keys``."""
    added: list[dict[str, str]] = []
    stale: list[dict[str, str]] = []
    for entity_id, held in keys.items():
        new, old = set(held), set(previous.get(entity_id, ()))
        added.extend({"key": key, "entity_id": entity_id} for key in sorted(new - old))
        stale.extend({"e": entity_id, "k": key} for key in sorted(old - new))
    return added, stale


def _assign_mentions(conn: Connection, assignments: Mapping[tuple[str, ...], str]) -> None:
    """Point mentions at their entities: two-part keys first, then labelled ones (they override)."""
    m = schema.mentions
    shapes = {len(key) for key in assignments} - {2, 3}
    if shapes:
        raise StoreError(f"mention assignments are keyed by (article, key[, label]), not by {min(shapes)} parts")
    by_key = [(a[0], a[1], e) for a, e in assignments.items() if len(a) == 2]
    by_label = [(a[0], a[1], a[2], e) for a, e in assignments.items() if len(a) == 3]
    update_matching(conn, m.c.entity_id, (m.c.article_id, m.c.entity_key), by_key)
    update_matching(conn, m.c.entity_id, (m.c.article_id, m.c.entity_key, m.c.label), by_label)


def update_matching(
    conn: Connection, target: Column[Any], match: Sequence[Column[Any]], pairs: Sequence[tuple[Any, ...]]
) -> None:
    """Set ``target`` to each tuple's last value in the rows whose ``match`` columns equal its first values.

    The tuples go to a temporary table (one plain executemany) and a single UPDATE joins it: an executemany
    of one UPDATE per tuple cost ~60 µs a tuple (statement setup, parameter processing, an index search
    each), the one UPDATE a few. Rows whose key no tuple matches keep their value.
    """
    if not pairs:
        return
    matches = _match_table(len(match))
    keys = [matches.c[f"m{i}"] for i in range(len(match))]
    # A leftover of a failed transaction would make CREATE fail (SQLite runs DDL before the first write
    # outside the transaction).
    conn.execute(DropTable(matches, if_exists=True))
    conn.execute(CreateTable(matches))
    names = [column.name for column in matches.columns]
    insert = matches.insert().compile(dialect=conn.dialect, column_keys=names)
    if insert.positional:
        if insert.positiontup != names:
            raise StoreError(f"{matches.name}: the insert binds {insert.positiontup}, expected {names}")
        conn.exec_driver_sql(insert.string, list(pairs))
    else:
        conn.exec_driver_sql(insert.string, [dict(zip(names, values, strict=True)) for values in pairs])
    value = select(matches.c.value).where(*(k == c for k, c in zip(keys, match, strict=True))).scalar_subquery()
    conn.execute(update(target.table).where(tuple_(*match).in_(select(*keys))).values({target.name: value}))
    conn.execute(DropTable(matches))


@cache
def _match_table(width: int) -> Table:
    """A temporary table of ``width`` key columns and a value (one per width, created per use)."""
    keys = [Column(f"m{i}", Text, primary_key=True) for i in range(width)]
    return Table(f"storyline_match{width}", MetaData(), *keys, Column("value", Text), prefixes=["TEMPORARY"])


def _rejection_row(rejection: Rejected, run_id: int | None) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "origin": rejection.origin,
        "stage": rejection.stage,
        "reason": rejection.reason,
        "article_id": rejection.article_id,
        "created_at": datetime.now(),
    }
