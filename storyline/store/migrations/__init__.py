"""Alembic migrations for the storyline schema (run by ``Store`` on open, or ``storyline db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

MIGRATIONS_DIR = Path(__file__).parent


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema revision (a no-op when it is current)."""
    if current_revision(engine) == head_revision() and inspect(engine).has_table("articles"):
        return
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        if not inspect(conn).has_table("articles"):
            # Tables dropped by hand under a stamped revision: start again from an empty schema.
            command.stamp(config, "base", purge=True)
        command.upgrade(config, "head")
