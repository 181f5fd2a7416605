"""Entities get a persisted lookup-key table, so an update reads only the entities its new names could join.

Backfills the keys of the entities already stored (in chunks, so a large store is not loaded at once).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 2000  # entity rows read and keyed per round


def upgrade() -> None:
    op.create_table(
        "entity_keys",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("entity_id", sa.String(32), primary_key=True),
    )
    op.create_index("ix_entity_keys_entity", "entity_keys", ["entity_id"])
    backfill(op.get_bind())


def backfill(conn: sa.Connection) -> None:
    """Key every stored entity as crossdoc.entity_index does (names derived from its forms)."""
    from storyline.crossdoc.entity_index import stored_keys
    from storyline.nlp.entities import load_alias_table
    from storyline.records import Entity

    entities = sa.table(
        "entities",
        sa.column("id", sa.String),
        sa.column("name", sa.Text),
        sa.column("label", sa.String),
        sa.column("aliases", sa.JSON),
    )
    keys = sa.table("entity_keys", sa.column("key", sa.Text), sa.column("entity_id", sa.String))
    table = load_alias_table()
    last = ""
    while True:
        query = sa.select(entities).where(entities.c.id > last).order_by(entities.c.id).limit(BACKFILL_CHUNK)
        chunk = conn.execute(query).all()
        if not chunk:
            return
        rows = [
            {"key": key, "entity_id": row.id}
            for row in chunk
            for key in sorted(stored_keys(Entity(row.id, row.name, row.label, tuple(row.aliases or ())), None, table))
        ]
        if rows:
            conn.execute(keys.insert(), rows)
        last = chunk[-1].id


def downgrade() -> None:
    op.drop_index("ix_entity_keys_entity", "entity_keys")
    op.drop_table("entity_keys")
