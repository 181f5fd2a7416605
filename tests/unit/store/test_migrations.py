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
        conn.execute(
            text(
                "INSERT INTO events (id, article_id, start_char, end_char, text, trigger, event_type, "
                "sub_event_type, background) VALUES ('e1', 'a1', 0, 5, 'shell', 'shell', 'Battles', "
                "'Armed clash', 0)"
            )
        )
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
    assert migrations.current_revision(store.engine) == migrations.head_revision() == "0003"


def test_upgrading_to_entity_keys_backfills_the_stored_entities(tmp_path):
    """A store resolved before 0003 gets the key rows its entities would have been saved with."""
    from storyline.crossdoc.entity_index import stored_keys
    from storyline.nlp.entities import load_alias_table
    from storyline.records import Entity

    path = tmp_path / "old.db"
    upgrade_to(path, "0002")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO entities (id, name, label, aliases) VALUES "
                "('p1', 'Omar Haddad', 'PERSON', '[\"Haddad\", \"Omar Hadad\"]'), "
                "('o1', 'Kurdish Red Crescent', 'ORG', '[]')"
            )
        )
    engine.dispose()

    store = Store(path)
    keys: dict[str, set[str]] = {}
    for row in store.rows(schema.entity_keys):
        keys.setdefault(row["entity_id"], set()).add(row["key"])
    table = load_alias_table()
    assert keys["p1"] == set(stored_keys(Entity("p1", "Omar Haddad", "PERSON", ("Haddad", "Omar Hadad")), None, table))
    assert {"form:haddad", "name:Omar Haddad", "name:Omar Hadad"} <= keys["p1"]
    assert "name:Haddad" not in keys["p1"]  # a bare surname inside a full name does not name it alone
    assert "form:kurdish red crescent" in keys["o1"]
