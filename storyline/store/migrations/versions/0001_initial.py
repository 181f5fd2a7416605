"""Initial schema: articles, links, entities, mentions, places, times, quantities, claims, events, stories.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from alembic import op

from storyline.store.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The first revision is the schema as declared; later revisions alter it step by step.
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
