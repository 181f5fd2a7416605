"""``Store``: open a database, write one article's analysis atomically, and read rows back.

Every article is written in one transaction together with everything extracted from it, so a run killed
midway leaves only whole articles behind and a rerun skips them (resume without duplicates).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, bindparam, delete, func, inspect, select, update
from sqlalchemy.exc import SQLAlchemyError

from storyline.errors import StoreError
from storyline.records import ArticleAnalysis, ArticleLink, Entity, Rejected
from storyline.store import migrations, rows, schema
from storyline.store.dialects import create_storyline_engine, insert_ignoring_duplicates


class Store:
    """A storyline database (SQLite file by default, PostgreSQL by URL)."""

    def __init__(self, target: str | Path) -> None:
        self.target = str(target)
        try:
            self.engine: Engine = create_storyline_engine(target)
            migrations.upgrade(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database {self.target}: {exc.__class__.__name__}: {exc}") from exc

    # -- runs -----------------------------------------------------------------------------------
    def begin_run(self, inputs: Sequence[str]) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                schema.runs.insert().values(started_at=datetime.now(), inputs=list(inputs), status="running")
            )
            return int(result.inserted_primary_key[0])

    def finish_run(self, run_id: int, *, stored: int, skipped: int, rejected: int, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(schema.runs)
                .where(schema.runs.c.id == run_id)
                .values(finished_at=datetime.now(), n_stored=stored, n_skipped=skipped, n_rejected=rejected,
                        status=status)
            )

    # -- writing --------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(select(schema.articles.c.id).where(schema.articles.c.id == article_id))
            return found.first() is not None

    def save_analysis(
        self,
        analysis: ArticleAnalysis,
        *,
        links: Iterable[ArticleLink] = (),
        duplicate_of: str | None = None,
        run_id: int | None = None,
    ) -> None:
        """Write one article and everything extracted from it in a single transaction."""
        article = analysis.article
        batches: list[tuple[Table, list[dict[str, Any]]]] = [
            (schema.articles, [rows.article_row(article, duplicate_of=duplicate_of, run_id=run_id)]),
            (schema.article_links, [rows.link_row(link) for link in links]),
            (schema.mentions, [rows.mention_row(m) for m in analysis.mentions]),
            (schema.places, [rows.place_row(p) for p in analysis.places]),
            (schema.times, [rows.time_row(t) for t in analysis.times]),
            (schema.quantities, [rows.quantity_row(q) for q in analysis.quantities]),
            (schema.claims, [rows.claim_row(c, article.published) for c in analysis.claims]),
            (schema.events, [rows.event_row(e, article) for e in analysis.events]),
        ]
        try:
            with self.engine.begin() as conn:
                for table, table_rows in batches:
                    if table_rows:
                        conn.execute(insert_ignoring_duplicates(self.engine, table), _unique(table_rows))
                for rejection in analysis.rejections:
                    conn.execute(schema.rejections.insert().values(**_rejection_row(rejection, run_id)))
        except SQLAlchemyError as exc:
            raise StoreError(f"{article.origin}: could not store article {article.id}: {exc}") from exc

    def save_links(self, links: Iterable[ArticleLink]) -> None:
        """Provenance links between two stored articles (already present links are ignored)."""
        link_rows = _unique([rows.link_row(link) for link in links])
        if link_rows:
            with self.engine.begin() as conn:
                conn.execute(insert_ignoring_duplicates(self.engine, schema.article_links), link_rows)

    def save_rejection(self, rejection: Rejected, run_id: int | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(schema.rejections.insert().values(**_rejection_row(rejection, run_id)))

    def save_entities(self, entities: Iterable[Entity], assignments: dict[tuple[str, str], str],
                      superseded: dict[str, str] | None = None) -> None:
        """Upsert cross-article entities, point mentions/claims (article_id, entity_key) at them, and move
        the mentions of entities merged into another (``superseded``: old id → new id)."""
        with self.engine.begin() as conn:
            for old_id, new_id in (superseded or {}).items():
                conn.execute(update(schema.mentions).where(schema.mentions.c.entity_id == old_id)
                             .values(entity_id=new_id))
                conn.execute(update(schema.claims).where(schema.claims.c.speaker_entity_id == old_id)
                             .values(speaker_entity_id=new_id))
                conn.execute(delete(schema.entities).where(schema.entities.c.id == old_id))
            rows = [{"id": e.id, "name": e.name, "label": e.label, "aliases": list(e.aliases)} for e in entities]
            if rows:
                conn.execute(delete(schema.entities).where(schema.entities.c.id.in_([r["id"] for r in rows])))
                conn.execute(schema.entities.insert(), rows)
            # One compiled statement run over all pairs (executemany), not one statement per pair.
            pairs = [{"a": a, "k": k, "e": e} for (a, k), e in assignments.items()]
            if pairs:
                m, c = schema.mentions, schema.claims
                conn.execute(update(m).where(m.c.article_id == bindparam("a"), m.c.entity_key == bindparam("k"))
                             .values(entity_id=bindparam("e")), pairs)
                conn.execute(update(c).where(c.c.article_id == bindparam("a"), c.c.speaker_key == bindparam("k"))
                             .values(speaker_entity_id=bindparam("e")), pairs)

    def set_event_coreference(self, clusters: dict[str, str]) -> None:
        """Store each event's cross-document cluster id (event id → cluster id)."""
        pairs = [{"i": event_id, "c": cluster} for event_id, cluster in clusters.items()]
        with self.engine.begin() as conn:
            conn.execute(update(schema.events).where(schema.events.c.id == bindparam("i"))
                         .values(coref_id=bindparam("c")), pairs)

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


def _unique(table_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop rows repeating an id within one batch (two stages may report the same span twice)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in table_rows:
        seen.setdefault(row["id"], row)
    return list(seen.values())


def _rejection_row(rejection: Rejected, run_id: int | None) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "origin": rejection.origin,
        "stage": rejection.stage,
        "reason": rejection.reason,
        "article_id": rejection.article_id,
        "created_at": datetime.now(),
    }
