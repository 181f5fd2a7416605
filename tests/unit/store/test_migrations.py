"""Opening a database made by an older storyline upgrades its schema in place, keeping its rows."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect, text

from storyline.store import Store, migrations, schema


def test_old_database_is_upgraded_without_losing_rows(tmp_path):
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = migrations._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    # Revision 0001 created every table of its time; simulate a database made before events.coref_id existed.
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE events"))
        conn.execute(text("CREATE TABLE events (id VARCHAR(32) PRIMARY KEY, article_id VARCHAR(32), "
                          "start_char INTEGER, end_char INTEGER, text TEXT, trigger TEXT, event_type VARCHAR(64), "
                          "sub_event_type VARCHAR(80), actor1 TEXT, actor2 TEXT, place_id VARCHAR(32), "
                          "time_id VARCHAR(32), event_date DATETIME, date_precision VARCHAR(16), "
                          "fatalities_low FLOAT, fatalities_high FLOAT, background BOOLEAN, cameo VARCHAR(16))"))
        conn.execute(text("INSERT INTO events (id, article_id, start_char, end_char, text, trigger, event_type, "
                          "sub_event_type, background) VALUES ('e1', 'a1', 0, 5, 'shell', 'shell', 'Battles', "
                          "'Armed clash', 0)"))
    engine.dispose()
    assert migrations.current_revision(create_engine(f"sqlite:///{path}")) == "0001"

    store = Store(path)
    assert migrations.current_revision(store.engine) == migrations.head_revision()
    assert "coref_id" in {c["name"] for c in inspect(store.engine).get_columns("events")}
    assert [r["id"] for r in store.rows(schema.events)] == ["e1"]


def test_new_database_is_at_head(tmp_path):
    store = Store(tmp_path / "new.db")
    assert migrations.current_revision(store.engine) == migrations.head_revision() == "0002"
