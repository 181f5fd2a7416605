"""The only module that knows which database it talks to: engine setup and dialect-specific SQL.

SQLite gets WAL journaling, foreign keys and a busy timeout; PostgreSQL needs the ``postgres`` extra.
"Insert unless present" is the one statement whose spelling differs between the two.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, Table, create_engine, event, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from storyline.errors import ConfigError, StoreError


def database_url(target: str | Path) -> str:
    """Accept a SQLAlchemy URL or a file path (a SQLite database is created there)."""
    text = str(target)
    if "://" in text:
        if text.startswith(("postgres://", "postgresql://")):
            return "postgresql+psycopg://" + text.split("://", 1)[1]
        return text
    path = Path(text).expanduser()
    if path.parent and not path.parent.exists():
        raise StoreError(f"{path}: folder {path.parent} does not exist")
    return f"sqlite:///{path}"


WAL_CHECKPOINT_PAGES = 8192  # 32 MB of 4 KB pages between automatic checkpoints


def create_storyline_engine(target: str | Path) -> Engine:
    url = database_url(target)
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401 - only to give the install hint early
        except ImportError as exc:
            raise ConfigError("PostgreSQL needs the driver: pip install 'storyline[postgres]'") from exc
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (web app) never block the writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses at most the last commit
    # A run appends ~100 KB of rows an article: with the default (1,000 pages, 4 MB) the WAL was copied
    # back into the database every ~40 articles, rewriting the same index pages each time. At 8,192
    # pages it runs an eighth as often; the WAL is on disk (durable), readers are unaffected.
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    cursor.close()


def insert_ignoring_duplicates(engine: Engine, table: Table) -> Insert:
    """INSERT that skips rows whose primary key already exists (reruns add nothing)."""
    if engine.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if engine.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise ConfigError(f"unsupported database {engine.dialect.name!r}: use SQLite or PostgreSQL")


def search_article_ids(engine: Engine, query: str) -> Select:  # type: ignore[type-arg]
    """A subquery of article ids matching a full-text query (FTS5 on SQLite, tsvector on PostgreSQL)."""
    from storyline.store.schema import articles

    if engine.dialect.name == "postgresql":
        vector = func.to_tsvector("english", articles.c.title + " " + articles.c.text)
        return select(articles.c.id).where(vector.op("@@")(func.plainto_tsquery("english", query)))
    ensure_sqlite_search_index(engine)
    # FTS5 query syntax is powerful but easy to break with user input (quotes, NUL, operators): keep only
    # word characters and quote each word as a phrase, so every input is a plain AND of words.
    words = re.findall(r"\w+", query)
    fts_query = " ".join(f'"{w}"' for w in words) or '""'
    return (
        select(text("articles_fts.article_id"))
        .select_from(text("articles_fts"))
        .where(text("articles_fts MATCH :fts_query").bindparams(fts_query=fts_query))
    )


def ensure_sqlite_search_index(engine: Engine) -> None:
    """Create (once) and refresh the FTS5 index over article titles and texts."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(article_id UNINDEXED, title, text)"
        )
        conn.exec_driver_sql(
            "INSERT INTO articles_fts(article_id, title, text) SELECT id, coalesce(title, ''), text "
            "FROM articles WHERE id NOT IN (SELECT article_id FROM articles_fts)"
        )
