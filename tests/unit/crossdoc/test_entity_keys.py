"""Entity resolution through the persisted key table: batches resolve like one run, a common first name does
not pull every holder, and an interrupted update leaves a consistent store that the next update finishes."""

from __future__ import annotations

import os
from collections.abc import Hashable, Sequence
from pathlib import Path

import pytest

import storyline.crossdoc.update as update
from storyline.crossdoc.entity_index import names_from_keys, stored_keys
from storyline.crossdoc.update import update_entities
from storyline.nlp.entities import load_alias_table
from storyline.records import Article, ArticleAnalysis, Entity, Evidence, Mention, OffsetSegment, content_id
from storyline.store import Store, schema

POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES_URL", "")
Names = Sequence[tuple[str, str, str]]  # (surface, label, within-article entity key)


def article(name: str, names: Names) -> ArticleAnalysis:
    """A stored-looking article whose text says each name once, in order."""
    body, mentions = "Reporters gathered at the crossing.", []
    for surface, _, _ in names:
        body += f" Later {surface} was mentioned."
    art = Article(
        id=content_id("entity-keys-test", name), text=body, raw_text=body, segments=(OffsetSegment(0, 0, len(body)),)
    )
    cursor = 0
    for surface, label, key in names:
        start = body.index(f" {surface} was", cursor) + 1
        cursor = start + len(surface)
        mentions.append(Mention(Evidence(art.id, start, cursor), surface, label, key))
    return ArticleAnalysis(art, mentions=tuple(mentions))


def resolved(path: Path, batches: Sequence[Sequence[ArticleAnalysis]]) -> dict[tuple[str, str, str], str]:
    """(article id, entity key, label) → entity id after storing and resolving batch by batch."""
    store = Store(path)
    for batch in batches:
        for analysis in batch:
            store.save_analysis(analysis)
        update_entities(store)
    return {(r["article_id"], r["entity_key"], r["label"]): r["entity_id"] for r in store.rows(schema.mentions)}


def partition(assigned: dict[tuple[str, str, str], str]) -> set[frozenset[Hashable]]:
    groups: dict[str, set[Hashable]] = {}
    for item, entity in assigned.items():
        groups.setdefault(entity, set()).add(item)
    return {frozenset(g) for g in groups.values()}


ALLIANCE = "of the Coastal Rescue Alliance"
ORDER_CORPUS = [
    article("c1", [(ALLIANCE, "ORG", ALLIANCE), ("CRA", "ORG", ALLIANCE), ("Tarnow", "GPE", "Tarnow")]),
    article(
        "c2", [("Coastal Rescue Alliance", "ORG", "Coastal Rescue Alliance"), ("CRA", "ORG", "Coastal Rescue Alliance")]
    ),
    # NER calls "Tarnow" a person and a town in one article: two entities, not whichever group came last.
    article(
        "c3", [("Tarnow", "PERSON", "Tarnow"), ("Tarnow", "GPE", "Tarnow"), ("Ewa Tarnow", "PERSON", "Ewa Tarnow")]
    ),
    article("c4", [("Coastal Rescue Alliance", "ORG", "Coastal Rescue Alliance"), ("Tarnow", "GPE", "Tarnow")]),
    article("c5", [("Ewa Tarnow", "PERSON", "Ewa Tarnow"), ("Tarnow", "PERSON", "Tarnow")]),
    article(
        "c6",
        [("the Coastal Rescue Alliance", "ORG", "Coastal Rescue Alliance"), ("Ewa Tarnoww", "PERSON", "Ewa Tarnoww")],
    ),
]


@pytest.mark.parametrize("cuts", [(2,), (1, 3), (1, 2, 3, 4, 5), (3, 4)])
def test_batches_give_the_entity_partition_of_one_run(tmp_path: Path, cuts: tuple[int, ...]) -> None:
    one = resolved(tmp_path / "one.db", [ORDER_CORPUS])
    bounds = [0, *cuts, len(ORDER_CORPUS)]
    batches = [ORDER_CORPUS[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    assert partition(resolved(tmp_path / "batches.db", batches)) == partition(one)
    assert_keys_match_entities(Store(tmp_path / "batches.db"))


def assert_keys_match_entities(store: Store) -> None:
    """Key rows written as differences still equal the keys each stored entity has from scratch."""
    table = load_alias_table()
    held: dict[str, set[str]] = {}
    for row in store.rows(schema.entity_keys):
        held.setdefault(row["entity_id"], set()).add(row["key"])
    entities = store.rows(schema.entities)
    assert set(held) == {e["id"] for e in entities}
    for e in entities:
        entity = Entity(e["id"], e["name"], e["label"], tuple(e["aliases"]))
        assert held[e["id"]] == set(stored_keys(entity, names_from_keys(held[e["id"]]), table))


def test_one_run_joins_a_name_used_alone_and_keeps_a_person_apart_from_a_town(tmp_path: Path) -> None:
    short = {a.article.id: f"c{i + 1}" for i, a in enumerate(ORDER_CORPUS)}
    ids = resolved(tmp_path / "x.db", [ORDER_CORPUS])
    named = {(short[a], k, label): e for (a, k, label), e in ids.items()}
    alliance = {e for (_, _, label), e in named.items() if label == "ORG"}
    assert len(alliance) == 1  # "Coastal Rescue Alliance" alone (c4) meets the one "of the …" named
    assert named[("c3", "Tarnow", "PERSON")] != named[("c3", "Tarnow", "GPE")]
    assert named[("c3", "Tarnow", "GPE")] == named[("c1", "Tarnow", "GPE")] == named[("c4", "Tarnow", "GPE")]
    assert named[("c5", "Ewa Tarnow", "PERSON")] == named[("c3", "Ewa Tarnow", "PERSON")]
    assert named[("c6", "Ewa Tarnoww", "PERSON")] == named[("c3", "Ewa Tarnow", "PERSON")]


SURNAMES = [
    "Haddad",
    "Khalil",
    "Nasser",
    "Saleh",
    "Barzani",
    "Darwish",
    "Fayad",
    "Ghanem",
    "Hamdan",
    "Jaber",
    "Kassem",
    "Mansour",
    "Nader",
    "Qasim",
    "Rashid",
    "Sabbagh",
    "Tamimi",
    "Wakim",
    "Yassin",
    "Zaher",
    "Bitar",
    "Chamoun",
    "Dagher",
    "Frangieh",
    "Gemayel",
    "Hobeika",
    "Issa",
    "Jumblatt",
    "Karami",
    "Lahoud",
    "Maalouf",
    "Nassif",
    "Obeid",
    "Pharaon",
    "Riachi",
    "Sfeir",
    "Tueni",
    "Wazen",
    "Abdelrahman",
    "Zogby",
]


def test_a_common_first_name_reads_only_holders_agreeing_on_another_part(tmp_path: Path) -> None:
    """Forty stored "Omar …": a new "Omar Abdelrahmam" (consonant typo: no surname key shared) still finds
    "Omar Abdelrahman" through the pair key (Omar, A…) without reading every Omar; a bare "Omar" reads all."""
    store = Store(tmp_path / "omar.db")
    for i, surname in enumerate(SURNAMES):
        store.save_analysis(article(f"o{i}", [(f"Omar {surname}", "PERSON", f"Omar {surname}")]))
    update_entities(store)
    store.save_analysis(article("typo", [("Omar Abdelrahmam", "PERSON", "Omar Abdelrahmam")]))
    _, read = update_entities(store)
    assert 0 < read < 8
    entity_of = {r["entity_key"]: r["entity_id"] for r in store.rows(schema.mentions)}
    assert entity_of["Omar Abdelrahmam"] == entity_of["Omar Abdelrahman"]
    store.save_analysis(article("bare", [("Omar", "PERSON", "Omar")]))
    assert update_entities(store)[1] >= len(SURNAMES)


def test_an_interrupted_update_leaves_whole_chunks_and_the_next_one_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(update, "ENTITY_CHUNK", 2)
    store = Store(tmp_path / "cut.db")
    for analysis in ORDER_CORPUS:
        store.save_analysis(analysis)
    real_save, calls = Store.save_entities, []

    def failing_save(self: Store, *args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed mid-update")
        real_save(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "save_entities", failing_save)
    with pytest.raises(RuntimeError):
        update_entities(store)
    mentions = store.rows(schema.mentions)
    entity_ids = {r["id"] for r in store.rows(schema.entities)}
    keyed = {r["entity_id"] for r in store.rows(schema.entity_keys)}
    assert keyed == entity_ids  # every entity keyed, no key of a missing entity
    assert {r["entity_id"] for r in mentions if r["entity_id"]} <= entity_ids
    assert 0 < sum(r["entity_id"] is None for r in mentions) < len(mentions)

    monkeypatch.setattr(Store, "save_entities", real_save)
    update_entities(store)
    after = {(r["article_id"], r["entity_key"], r["label"]): r["entity_id"] for r in store.rows(schema.mentions)}
    assert None not in after.values()
    assert partition(after) == partition(resolved(tmp_path / "whole.db", [ORDER_CORPUS]))


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="STORYLINE_TEST_POSTGRES_URL not set (CI sets it)")
def test_postgres_upgrade_backfills_keys_and_batches_resolve_as_on_sqlite(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    from storyline.store import migrations

    store = Store(POSTGRES_URL)
    schema.metadata.drop_all(store.engine)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        config = migrations._config()  # noqa: SLF001 - the project's own migration config
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")  # a store made before entity_keys existed
        conn.execute(
            text("INSERT INTO entities (id, name, label, aliases) VALUES ('p1', 'Ewa Tarnow', 'PERSON', '[]')")
        )
    store = Store(POSTGRES_URL)
    assert {r["key"] for r in store.rows(schema.entity_keys)} >= {"form:ewa tarnow", "name:Ewa Tarnow"}
    schema.metadata.drop_all(store.engine)
    store = Store(POSTGRES_URL)
    for batch in (ORDER_CORPUS[:2], ORDER_CORPUS[2:]):
        for analysis in batch:
            store.save_analysis(analysis)
        update_entities(store)
    on_postgres = {(r["article_id"], r["entity_key"], r["label"]): r["entity_id"] for r in store.rows(schema.mentions)}
    assert partition(on_postgres) == partition(resolved(tmp_path / "lite.db", [ORDER_CORPUS]))
    assert {r["entity_id"] for r in store.rows(schema.entity_keys)} == {r["id"] for r in store.rows(schema.entities)}
    schema.metadata.drop_all(store.engine)
