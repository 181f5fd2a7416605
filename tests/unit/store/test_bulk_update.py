"""Bulk assignment of entities and event clusters (``update_matching`` through a temporary table): exactly the
rows a key names change, labelled assignments override two-part ones, and a failed write leaves nothing behind.
Runs on SQLite, and on PostgreSQL too when STORYLINE_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from sqlalchemy import select

from storyline.errors import StoreError
from storyline.records import Article, ArticleAnalysis, Claim, Entity, Event, Evidence, Mention
from storyline.store import Store, schema
from storyline.store.database import update_matching

POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES_URL")
TEXT = "O'Brien met Ярослав Коваль in Kherson; O'Brien said the bridge was hit. Kherson was calm."


def _fresh_postgres() -> Store:
    store = Store(POSTGRES_URL)
    schema.metadata.drop_all(store.engine)
    return Store(POSTGRES_URL)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("STORYLINE_TEST_POSTGRES_URL not set (CI sets it)")
        made = _fresh_postgres()
        yield made
        schema.metadata.drop_all(made.engine)
        made.close()
    else:
        made = Store(tmp_path / "bulk.db")
        yield made
        made.close()


def _stored(store: Store, text: str = TEXT, origin: str = "mem:a") -> str:
    article = Article.from_text(text, published=datetime(2022, 11, 9), origin=origin)
    aid = article.id
    obrien = text.index("O'Brien")
    kherson = text.index("Kherson")
    mentions = (
        Mention(Evidence(aid, obrien, obrien + 7), "O'Brien", "PERSON", "o'brien"),
        Mention(Evidence(aid, 12, 26), text[12:26], "PERSON", "ярослав коваль"),
        Mention(Evidence(aid, kherson, kherson + 7), "Kherson", "GPE", "kherson"),
        # Same key, another label: a labelled assignment must leave it alone.
        Mention(Evidence(aid, text.rindex("Kherson"), text.rindex("Kherson") + 7), "Kherson", "ORG", "kherson"),
    )
    said = text.index("said")
    claim = Claim(Evidence(aid, said + 5, said + 30), text[said + 5 : said + 30], "O'Brien", "name", "o'brien")
    event = Event(Evidence(aid, 0, 40), "hit", "Explosions/Remote violence", "Shelling/artillery/missile attack")
    store.save_analysis(ArticleAnalysis(article, mentions=mentions, claims=(claim,), events=(event,)))
    return aid


def _entity_ids(store: Store) -> dict[tuple[str, str], str | None]:
    m = schema.mentions
    with store.engine.connect() as conn:
        return {
            (r.entity_key, r.label): r.entity_id for r in conn.execute(select(m.c.entity_key, m.c.label, m.c.entity_id))
        }


def test_labelled_assignments_override_two_part_ones_and_touch_only_their_label(store):
    aid = _stored(store)
    people = Entity("e-obrien", "O'Brien", "PERSON", ("O'Brien",))
    city = Entity("e-kherson", "Kherson", "GPE", ("Kherson",))
    store.save_entities(
        [people, city],
        {(aid, "o'brien"): "e-obrien", (aid, "kherson"): "e-other", (aid, "kherson", "GPE"): "e-kherson"},
    )
    assert _entity_ids(store) == {
        ("o'brien", "PERSON"): "e-obrien",
        ("ярослав коваль", "PERSON"): None,  # no assignment names it: untouched
        ("kherson", "GPE"): "e-kherson",  # the labelled assignment wins over the two-part one
        ("kherson", "ORG"): "e-other",
    }
    # Without explicit speakers, the two-part assignments also name claim speakers.
    assert [c["speaker_entity_id"] for c in store.rows(schema.claims)] == ["e-obrien"]


def test_assignments_of_other_articles_and_unknown_keys_change_nothing(store):
    aid = _stored(store)
    other = _stored(store, TEXT.replace("calm", "quiet"), "mem:b")
    store.save_entities(
        [Entity("e-kherson", "Kherson", "GPE", ())],
        {(other, "kherson", "GPE"): "e-kherson", (aid, "no such key", "GPE"): "e-none"},
        speakers={(aid, "nobody"): "e-none"},
    )
    m = schema.mentions
    rows = store.rows(m)
    assert {(r["article_id"], r["entity_id"]) for r in rows if r["entity_id"]} == {(other, "e-kherson")}
    assert all(c["speaker_entity_id"] is None for c in store.rows(schema.claims))


def test_a_later_assignment_replaces_an_earlier_one(store):
    aid = _stored(store)
    store.save_entities([], {(aid, "o'brien", "PERSON"): "first"})
    store.save_entities([], {(aid, "o'brien", "PERSON"): "second"}, speakers={(aid, "o'brien"): "second"})
    assert _entity_ids(store)[("o'brien", "PERSON")] == "second"
    assert store.rows(schema.claims)[0]["speaker_entity_id"] == "second"


def test_event_clusters_are_set_by_id_and_others_keep_theirs(store):
    aid = _stored(store)
    event_id = store.rows(schema.events)[0]["id"]
    store.set_event_coreference({event_id: "cluster-1", "not-an-event": "cluster-2"})
    assert [e["coref_id"] for e in store.rows(schema.events)] == ["cluster-1"]
    store.set_event_coreference({})
    assert [e["coref_id"] for e in store.rows(schema.events)] == ["cluster-1"]
    assert store.rows(schema.events)[0]["article_id"] == aid


def test_a_failed_write_rolls_back_and_the_next_one_works(store):
    aid = _stored(store)
    m = schema.mentions
    # Two values for one key: the temporary table's key refuses it, and the whole transaction goes.
    with pytest.raises(Exception):  # noqa: B017, PT011 - the driver's IntegrityError differs by database
        with store.engine.begin() as conn:
            update_matching(conn, m.c.entity_id, (m.c.article_id,), [(aid, "a"), (aid, "b")])
    assert set(_entity_ids(store).values()) == {None}
    # The connection goes back to the pool; a leftover temporary table must not break the next write.
    for _ in range(2):
        store.save_entities([], {(aid, "kherson", "ORG"): "e-org"})
    assert _entity_ids(store)[("kherson", "ORG")] == "e-org"


def test_save_entities_failure_is_a_store_error_free_of_partial_rows(store):
    aid = _stored(store)
    with pytest.raises(StoreError):
        store.save_entities([], {(aid, "o'brien", "PERSON", "extra"): "e"})  # a shape no mention has
    assert set(_entity_ids(store).values()) == {None}
