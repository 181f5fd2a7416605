"""Alembic environment: migrations run on the connection the Store hands over (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from storyline.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
)  # SQLite alters tables by copy
with context.begin_transaction():
    context.run_migrations()
