"""Initial schema: articles, links, entities, mentions, places, times, quantities, claims, events, stories.

Revision ID: 0001
Revises:
Create Date: 2026-11-21

The tables are written out as they were at this revision (not taken from ``storyline.store.schema``), so
later revisions apply to them step by step; ``tests/unit/store/test_migrations.py`` checks that upgrading to
the head revision yields exactly the declared schema.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("title_source", sa.String(length=40), nullable=True),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("outlet_source", sa.String(length=40), nullable=True),
        sa.Column("published", sa.DateTime(), nullable=True),
        sa.Column("published_precision", sa.String(length=16), nullable=True),
        sa.Column("published_source", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("language_source", sa.String(length=40), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_of", sa.String(length=32), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_articles_outlet"), "articles", ["outlet"], unique=False)
    op.create_index(op.f("ix_articles_published"), "articles", ["published"], unique=False)
    op.create_table(
        "entities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outlets",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("domain", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=True),
        sa.Column("n_stored", sa.Integer(), nullable=True),
        sa.Column("n_skipped", sa.Integer(), nullable=True),
        sa.Column("n_rejected", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("first_published", sa.DateTime(), nullable=True),
        sa.Column("last_published", sa.DateTime(), nullable=True),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("n_articles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "article_links",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("target_start", sa.Integer(), nullable=True),
        sa.Column("target_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_article_links_source_id"), "article_links", ["source_id"], unique=False)
    op.create_index(op.f("ix_article_links_target_id"), "article_links", ["target_id"], unique=False)
    op.create_table(
        "claims",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("speaker_kind", sa.String(length=16), nullable=False),
        sa.Column("speaker_key", sa.Text(), nullable=True),
        sa.Column("speaker_entity_id", sa.String(length=32), nullable=True),
        sa.Column("speaker_start", sa.Integer(), nullable=True),
        sa.Column("speaker_end", sa.Integer(), nullable=True),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("hedges", sa.JSON(), nullable=False),
        sa.Column("direct", sa.Boolean(), nullable=False),
        sa.Column("said_on", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_claims_article_id"), "claims", ["article_id"], unique=False)
    op.create_index(op.f("ix_claims_speaker_entity_id"), "claims", ["speaker_entity_id"], unique=False)
    op.create_table(
        "events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("sub_event_type", sa.String(length=80), nullable=False),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("place_id", sa.String(length=32), nullable=True),
        sa.Column("time_id", sa.String(length=32), nullable=True),
        sa.Column("event_date", sa.DateTime(), nullable=True),
        sa.Column("date_precision", sa.String(length=16), nullable=True),
        sa.Column("fatalities_low", sa.Float(), nullable=True),
        sa.Column("fatalities_high", sa.Float(), nullable=True),
        sa.Column("background", sa.Boolean(), nullable=False),
        sa.Column("cameo", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_events_article_id"), "events", ["article_id"], unique=False)
    op.create_index(op.f("ix_events_event_type"), "events", ["event_type"], unique=False)
    op.create_table(
        "mentions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("entity_key", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_mentions_article_id"), "mentions", ["article_id"], unique=False)
    op.create_index(op.f("ix_mentions_entity_id"), "mentions", ["entity_id"], unique=False)
    op.create_table(
        "places",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("feature_code", sa.String(length=16), nullable=True),
        sa.Column("precision", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(length=40), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("is_demonym", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_places_article_id"), "places", ["article_id"], unique=False)
    op.create_table(
        "quantities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("best", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("counted", sa.Text(), nullable=True),
        sa.Column("affiliation", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=True),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_quantities_article_id"), "quantities", ["article_id"], unique=False)
    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("story_id", "article_id"),
    )
    op.create_index("ix_story_articles_article", "story_articles", ["article_id"], unique=False)
    op.create_table(
        "times",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("article_id", sa.String(length=32), nullable=False),
        sa.Column("start_char", sa.Integer(), nullable=False),
        sa.Column("end_char", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("timex_type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("end_at", sa.DateTime(), nullable=True),
        sa.Column("precision", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_times_article_id"), "times", ["article_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_times_article_id"), table_name="times")
    op.drop_table("times")
    op.drop_index("ix_story_articles_article", table_name="story_articles")
    op.drop_table("story_articles")
    op.drop_index(op.f("ix_quantities_article_id"), table_name="quantities")
    op.drop_table("quantities")
    op.drop_index(op.f("ix_places_article_id"), table_name="places")
    op.drop_table("places")
    op.drop_index(op.f("ix_mentions_entity_id"), table_name="mentions")
    op.drop_index(op.f("ix_mentions_article_id"), table_name="mentions")
    op.drop_table("mentions")
    op.drop_index(op.f("ix_events_event_type"), table_name="events")
    op.drop_index(op.f("ix_events_article_id"), table_name="events")
    op.drop_table("events")
    op.drop_index(op.f("ix_claims_speaker_entity_id"), table_name="claims")
    op.drop_index(op.f("ix_claims_article_id"), table_name="claims")
    op.drop_table("claims")
    op.drop_index(op.f("ix_article_links_target_id"), table_name="article_links")
    op.drop_index(op.f("ix_article_links_source_id"), table_name="article_links")
    op.drop_table("article_links")
    op.drop_table("stories")
    op.drop_table("runs")
    op.drop_table("rejections")
    op.drop_table("outlets")
    op.drop_table("entities")
    op.drop_index(op.f("ix_articles_published"), table_name="articles")
    op.drop_index(op.f("ix_articles_outlet"), table_name="articles")
    op.drop_table("articles")
