"""Opening a database made by an older storyline upgrades its schema in place, keeping its rows."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from storyline.store import Store, migrations, schema


def upgrade_to(path, revision: str) -> None:  # noqa: ANN001
    engine = create_engine(f"sqlite:///{path}")
    config = migrations._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def test_old_database_is_upgraded_without_losing_rows(tmp_path):
    path = tmp_path / "old.db"
    upgrade_to(path, "0001")  # a database made before events.coref_id existed
    engine = create_engine(f"sqlite:///{path}")
    assert "coref_id" not in {c["name"] for c in inspect(engine).get_columns("events")}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO events (id, article_id, start_char, end_char, text, trigger, event_type, "
                          "sub_event_type, background) VALUES ('e1', 'a1', 0, 5, 'shell', 'shell', 'Battles', "
                          "'Armed clash', 0)"))
    engine.dispose()
    assert migrations.current_revision(create_engine(f"sqlite:///{path}")) == "0001"

    store = Store(path)
    assert migrations.current_revision(store.engine) == migrations.head_revision()
    assert "coref_id" in {c["name"] for c in inspect(store.engine).get_columns("events")}
    assert [r["id"] for r in store.rows(schema.events)] == ["e1"]


def test_migrations_build_exactly_the_declared_schema(tmp_path):
    """A schema change without a migration (or a migration that drifts from schema.py) fails here."""
    path = tmp_path / "migrated.db"
    upgrade_to(path, "head")
    with create_engine(f"sqlite:///{path}").connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert differences == []


def test_new_database_is_at_head(tmp_path):
    store = Store(tmp_path / "new.db")
    assert migrations.current_revision(store.engine) == migrations.head_revision() == "0002"
