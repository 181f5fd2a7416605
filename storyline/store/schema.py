"""The database schema (SQLAlchemy Core), portable across SQLite and PostgreSQL.

One table per record kind. Every extracted row carries ``article_id`` + ``start_char``/``end_char`` (its
evidence in ``articles.text``) and a content-hash ``id``, so re-running on the same input inserts nothing new.
Tables for stories, claims and events exist from the start so later stages fit without redesign.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = 3

metadata = MetaData()


def _evidence_columns() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("id", String(32), primary_key=True),
        Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("start_char", Integer, nullable=False),
        Column("end_char", Integer, nullable=False),
        Column("text", Text, nullable=False),
    ]


runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("inputs", JSON),
    Column("n_stored", Integer, default=0),
    Column("n_skipped", Integer, default=0),
    Column("n_rejected", Integer, default=0),
    Column("status", String(16), nullable=False, default="running"),
)

outlets = Table(
    "outlets",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("domain", String(200)),
    Column("country", String(2)),
    Column("kind", String(40)),  # wire | public broadcaster | state-controlled | commercial | partisan
    Column("basis", Text),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("title_source", String(40)),
    Column("outlet", String(200), index=True),
    Column("outlet_source", String(40)),
    Column("published", DateTime, index=True),
    Column("published_precision", String(16)),
    Column("published_source", String(40)),
    Column("language", String(8)),
    Column("language_source", String(40)),
    Column("text", Text, nullable=False),
    Column("raw_text", Text, nullable=False),
    Column("segments", JSON, nullable=False),
    Column("word_count", Integer, nullable=False),
    Column("duplicate_of", String(32)),
    Column("run_id", Integer),
    Column("ingested_at", DateTime, nullable=False),
)

article_links = Table(
    "article_links",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("source_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("target_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("score", Float),
    Column("source_start", Integer),
    Column("source_end", Integer),
    Column("target_start", Integer),
    Column("target_end", Integer),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("aliases", JSON, nullable=False),
)

# Lookup keys of each entity (crossdoc.entity_index): an update reads only the entities sharing a key with its
# new names, and counts a key's holders here instead of loading every entity.
entity_keys = Table(
    "entity_keys",
    metadata,
    Column("key", Text, primary_key=True),
    Column("entity_id", String(32), primary_key=True),  # no foreign key: an entity row is rewritten, its keys diffed
)

mentions = Table(
    "mentions",
    metadata,
    *_evidence_columns(),
    Column("label", String(16), nullable=False),
    Column("entity_key", Text, nullable=False),
    Column("entity_id", String(32), index=True),
)

places = Table(
    "places",
    metadata,
    *_evidence_columns(),
    Column("name", Text),
    Column("geonames_id", Integer),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("country_code", String(2)),
    Column("admin1", Text),
    Column("feature_code", String(16)),
    Column("precision", Integer),
    Column("relation", String(40)),
    Column("distance_km", Float),
    Column("is_demonym", Boolean, nullable=False, default=False),
)

times = Table(
    "times",
    metadata,
    *_evidence_columns(),
    Column("timex_type", String(16), nullable=False),
    Column("value", String(64), nullable=False),
    Column("start_at", DateTime),
    Column("end_at", DateTime),
    Column("precision", String(16)),
)

quantities = Table(
    "quantities",
    metadata,
    *_evidence_columns(),
    Column("low", Float),
    Column("high", Float),
    Column("best", Float),
    Column("unit", String(32)),
    Column("counted", Text),
    Column("affiliation", Text),
    Column("state", String(32)),
    Column("negated", Boolean, nullable=False, default=False),
)

claims = Table(
    "claims",
    metadata,
    *_evidence_columns(),
    Column("speaker", Text),
    Column("speaker_kind", String(16), nullable=False),
    Column("speaker_key", Text),
    Column("speaker_entity_id", String(32), index=True),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("stance", String(16), nullable=False),
    Column("hedges", JSON, nullable=False),
    Column("direct", Boolean, nullable=False),
    Column("said_on", DateTime),
)

events = Table(
    "events",
    metadata,
    *_evidence_columns(),
    Column("trigger", Text, nullable=False),
    Column("event_type", String(64), nullable=False, index=True),
    Column("sub_event_type", String(80), nullable=False),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("place_id", String(32)),
    Column("time_id", String(32)),
    Column("event_date", DateTime),
    Column("date_precision", String(16)),
    Column("fatalities_low", Float),
    Column("fatalities_high", Float),
    Column("background", Boolean, nullable=False, default=False),
    Column("cameo", String(16)),
    Column("coref_id", String(32), index=True),  # same id = the same event across articles (crossdoc.coref)
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text),
    Column("first_published", DateTime),
    Column("last_published", DateTime),
    Column("profile", JSON, nullable=False),  # term weights used to attach new articles incrementally
    Column("n_articles", Integer, nullable=False, default=0),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(32), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("score", Float),
)

rejections = Table(
    "rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer),
    Column("origin", Text, nullable=False),
    Column("stage", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("article_id", String(32)),
    Column("created_at", DateTime, nullable=False),
)

Index("ix_story_articles_article", story_articles.c.article_id)
Index("ix_entity_keys_entity", entity_keys.c.entity_id)

EXTRACTED_TABLES = (mentions, places, times, quantities, claims, events)
