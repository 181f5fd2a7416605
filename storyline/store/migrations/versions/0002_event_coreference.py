"""Events get a cross-document coreference id: the same event reported by several articles shares it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("coref_id", sa.String(32), nullable=True))
        batch.create_index("ix_events_coref_id", ["coref_id"])


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_index("ix_events_coref_id")
        batch.drop_column("coref_id")
