"""The cross-document update reads only what new articles touch, and batching does not change its result."""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import storyline.crossdoc.entity_index as entity_index
from storyline.crossdoc.coref import EventRow, link_events, relink_events
from storyline.crossdoc.update import merge_stories, update_crossdoc, update_entities, update_stories
from storyline.records import (
    Article,
    ArticleAnalysis,
    DatePrecision,
    Event,
    Evidence,
    Mention,
    OffsetSegment,
    PlaceRef,
    TimeRef,
    content_id,
)
from storyline.store import Store, schema

QUARRY = "Rescuers searched the Kelbrook quarry after the collapse buried the night shift"
HARBOUR = "Dockers at the Felixstowe harbour walked out over pay and blocked the cranes"
KELBROOK = (101, 53.9, -2.1)  # an invented gazetteer id and coordinates


def partition(assigned: Mapping[Hashable, Hashable]) -> set[frozenset[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = {}
    for item, cluster in assigned.items():
        groups.setdefault(cluster, set()).add(item)
    return {frozenset(g) for g in groups.values()}


def attack(text: str, article_id: str, day: int | None, located: bool) -> tuple[Event, PlaceRef | None]:
    start = text.index("collapse")
    evidence = Evidence(article_id, start, start + len("collapse"))
    place = None
    if located:
        where = text.index("Kelbrook")
        gid, lat, lon = KELBROOK
        place = PlaceRef(Evidence(article_id, where, where + 8), "Kelbrook", "Kelbrook", gid, lat, lon)
    date = None
    if day is not None:
        when = datetime(2021, 3, day)
        date = TimeRef(evidence, "that day", "DATE", when.date().isoformat(), when, when + timedelta(days=1))
        date = TimeRef(evidence, "that day", "DATE", date.value, date.start, date.end, DatePrecision.DAY)
    return Event(evidence, "collapse", "Violence against civilians", "Attack", location=place, date=date), place


def article(
    name: str, text: str, events: Sequence[tuple[int | None, bool]] = (), names: Sequence[tuple[str, str]] = ()
) -> ArticleAnalysis:
    """An undated stored-looking article: ``events`` as (day, located), ``names`` as (surface, label)."""
    body = text + "".join(f" {surface} spoke." for surface, _ in names)
    art = Article(
        id=content_id("incremental-test", name), text=body, raw_text=body, segments=(OffsetSegment(0, 0, len(body)),)
    )
    built = [attack(body, art.id, day, located) for day, located in events]
    mentions, cursor = [], len(text)
    for surface, label in names:
        start = body.index(surface, cursor)
        cursor = start + len(surface)
        mentions.append(Mention(Evidence(art.id, start, cursor), surface, label, surface))
    return ArticleAnalysis(
        art,
        mentions=tuple(mentions),
        places=tuple(p for _, p in built if p is not None),
        events=tuple(e for e, _ in built),
    )


def ingest(store: Store, batches: Sequence[Sequence[ArticleAnalysis]]) -> list[int]:
    """Store and update batch by batch; returns the event rows each update read."""
    read = []
    for batch in batches:
        for analysis in batch:
            store.save_analysis(analysis)
        read.append(update_crossdoc(store).events_read)
    return read


def event_clusters(store: Store) -> set[frozenset[Hashable]]:
    rows = store.rows(schema.events, schema.events.c.background.is_(False))
    return partition({r["id"]: r["coref_id"] for r in rows})


def test_relinking_in_batches_gives_the_one_batch_partition_where_keeping_clusters_does_not(tmp_path: Path) -> None:
    """An undated report stored first must not capture whichever dated report happens to come next."""
    vague = article("vague", QUARRY, [(None, True)])  # at Kelbrook, like both dated reports: it may join either
    dated = sorted(
        [article("first", QUARRY + " today", [(1, True)]), article("fifth", QUARRY + " again", [(5, True)])],
        key=lambda a: a.article.id,
    )
    one = Store(tmp_path / "one.db")
    ingest(one, [[vague, *dated]])
    three = Store(tmp_path / "three.db")
    ingest(three, [[vague], [dated[1]], [dated[0]]])
    assert len(event_clusters(one)) == 2  # the two dated collapses stay apart; the undated one joins one
    assert event_clusters(three) == event_clusters(one)

    # The greedy join with fixed earlier clusters (link_events' ``known``) would pair the vague row with
    # the row that arrived second: this is why touched stories are relinked.
    rows = [
        EventRow(f"e{i}", f"a{i}", "collapse", "Attack", "", "s", geonames_id=KELBROOK[0], event_date=d)
        for i, d in enumerate([None, datetime(2021, 3, 1), datetime(2021, 3, 5)])
    ]
    vague_first = link_events(rows[:1])
    kept = link_events([rows[0], rows[2]], known={"e0": vague_first[0]})  # the 5 March row arrives second
    incremental = link_events(rows, known={"e0": kept[0], "e2": kept[1]})
    assert partition(dict(zip("abc", incremental, strict=True))) != partition(
        dict(zip("abc", link_events(rows), strict=True))
    )


def test_an_update_reads_only_the_events_of_stories_that_received_articles(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    quarry = [article(f"q{i}", f"{QUARRY} ({word})", [(1, True)]) for i, word in enumerate(["morning", "noon", "dusk"])]
    harbour = [
        article(f"h{i}", f"{HARBOUR}; their talks saw a collapse ({word})", [(2, False)])
        for i, word in enumerate(["union", "wages", "pickets", "ferries"])
    ]
    read = ingest(store, [quarry + harbour])
    assert read == [7]
    stories = {r["story_id"] for r in store.rows(schema.story_articles)}
    assert len(stories) == 2
    clusters_before = {r["id"]: r["coref_id"] for r in store.rows(schema.events)}
    later = article("q9", QUARRY + " (midnight)", [(1, True)])
    assert ingest(store, [[later]]) == [4]  # the quarry story's 3 stored events and the new one
    after = {r["id"]: r["coref_id"] for r in store.rows(schema.events)}
    assert all(after[i] == c for i, c in clusters_before.items())  # surviving clusters keep their ids
    assert ingest(store, [[]]) == [0]  # nothing new: nothing read


def retyped(analysis: ArticleAnalysis, event_type: str, sub_event_type: str) -> ArticleAnalysis:
    events = tuple(replace(e, event_type=event_type, sub_event_type=sub_event_type) for e in analysis.events)
    return replace(analysis, events=events)


def test_an_update_relinks_only_the_event_types_of_a_story_that_received_rows(tmp_path: Path) -> None:
    words = ["morning", "noon", "dusk", "dawn", "evening"]
    collapses = [article(f"c{i}", f"{QUARRY} ({w})", [(1, True)]) for i, w in enumerate(words[:3])]
    vigils = [
        retyped(article(f"v{i}", f"{QUARRY} ({w})", [(2, True)]), "Protests", "Peaceful protest")
        for i, w in enumerate(words[3:])
    ]
    later_vigil = retyped(article("v9", QUARRY + " (midnight)", [(2, True)]), "Protests", "Peaceful protest")
    store, one = Store(tmp_path / "s.db"), Store(tmp_path / "one.db")
    assert ingest(store, [collapses + vigils]) == [5]
    assert len({r["story_id"] for r in store.rows(schema.story_articles)}) == 1
    assert ingest(store, [[later_vigil]]) == [3]  # the story's two stored vigils and the new one, no collapse
    ingest(one, [[*collapses, *vigils, later_vigil]])
    assert event_clusters(store) == event_clusters(one) and len(event_clusters(one)) == 2


def test_merging_stories_relinks_their_events_together(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    quarry = article("q", QUARRY, [(1, True)])
    strike = HARBOUR + "; union stewards, pickets, ferries, wages, tariffs, freight, containers, lorries. "
    other = article("o", strike + "A crane collapse, Kelbrook", [(1, True)])
    ingest(store, [[quarry, other]])
    story_of = {r["article_id"]: r["story_id"] for r in store.rows(schema.story_articles)}
    assert story_of[quarry.article.id] != story_of[other.article.id]
    assert len(event_clusters(store)) == 2  # different stories: never linked
    merge_stories(store, story_of[quarry.article.id], [story_of[other.article.id]])
    assert len(event_clusters(store)) == 1


def test_the_demo_corpus_in_three_batches_links_like_one_batch(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    from storyline.benchmark import DEMO_DIR
    from storyline.ingest import read_inputs
    from storyline.pipeline import analyze_articles

    analyses = list(analyze_articles([a for a in read_inputs([DEMO_DIR]) if isinstance(a, Article)], ctx))
    one, three = Store(tmp_path / "one.db"), Store(tmp_path / "three.db")
    ingest(one, [analyses])
    ingest(three, [analyses[:2], analyses[2:5], analyses[5:]])
    assert len(event_clusters(one)) > 3
    assert event_clusters(three) == event_clusters(one)


# --- entities: candidates read through the key index resolve exactly like a full load ---

FIRST = ["Omar", "Umar", "Yusuf", "Youssef", "Ahmed", "Ahmad", "Fatima", "Fatma", "Leila", "Layla"]
LAST = ["Haddad", "Hadad", "Khalil", "Kalil", "Nasser", "Nasir", "Saleh", "Salih", "Barzani", "Barazani"]
ORGS = ["Syrian Democratic Forces", "SDF", "Kurdish Red Crescent", "Red Crescent", "Mosul Dam Authority"]
PLACES = ["Deir ez-Zor", "Deir Ezzor", "Hajin", "Hajeen", "Al-Susah", "Sousa", "Baghouz"]


def random_names(rng: random.Random) -> list[tuple[str, str]]:
    people = [(f"{rng.choice(FIRST)} {rng.choice(LAST)}", "PERSON") for _ in range(rng.randint(1, 4))]
    people += [(rng.choice(LAST), "PERSON")] if rng.random() < 0.5 else []  # a bare surname
    return people + [(rng.choice(ORGS), "ORG"), (rng.choice(PLACES), "GPE")]


def entity_partition(store: Store) -> set[frozenset[Hashable]]:
    return partition({(r["article_id"], r["entity_key"]): r["entity_id"] for r in store.rows(schema.mentions)})


def resolve_in_batches(path: Path, analyses: list[ArticleAnalysis], *, all_candidates: bool) -> tuple[Store, int]:
    store, read = Store(path), 0
    for start in range(0, len(analyses), 6):
        for analysis in analyses[start : start + 6]:
            store.save_analysis(analysis)
        update_stories(store)
        read += update_entities(store, all_candidates=all_candidates)[1]
    return store, read


@pytest.mark.parametrize("seed", [3, 17, 29])
def test_entities_read_through_the_index_resolve_like_a_full_load(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    analyses = [article(f"n{seed}-{i}", HARBOUR, names=random_names(rng)) for i in range(30)]
    full, full_read = resolve_in_batches(tmp_path / "full.db", analyses, all_candidates=True)
    indexed, indexed_read = resolve_in_batches(tmp_path / "indexed.db", analyses, all_candidates=False)
    assert entity_partition(indexed) == entity_partition(full)
    assert indexed_read < full_read


def test_a_key_too_common_to_block_on_is_judged_on_the_whole_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holders of a common key are not read, yet still count: a bare "Karim" must not meet the one
    "Karim …" that happened to be read (a full load would not block on "Karim" at all)."""
    monkeypatch.setattr(entity_index, "MAX_BLOCK", 3)
    monkeypatch.setattr("storyline.crossdoc.entities.MAX_BLOCK", 3)
    surnames = "Abbas Dabour Fadel Ghanem".split()
    analyses = [article(f"k{i}", HARBOUR, names=[(f"Karim {s}", "PERSON")]) for i, s in enumerate(surnames)]
    analyses.append(article("k9", HARBOUR, names=[("Karim Abas", "PERSON"), ("Karim", "PERSON")]))
    results = {}
    for all_candidates in (True, False):
        store, read = Store(tmp_path / f"{all_candidates}.db"), 0
        for batch in (analyses[:4], analyses[4:]):
            for analysis in batch:
                store.save_analysis(analysis)
            update_stories(store)
            read = update_entities(store, all_candidates=all_candidates)[1]
        results[all_candidates] = {r["entity_key"]: r["entity_id"] for r in store.rows(schema.mentions)}
        assert read == (4 if all_candidates else 1)  # indexed: only "Karim Abbas", via "Abbas"
    names = results[False]
    assert partition(names) == partition(results[True])
    assert names["Karim Abas"] == names["Karim Abbas"]
    assert names["Karim"] not in {names[f"Karim {s}"] for s in surnames}


def test_relinking_keeps_the_stored_id_of_the_cluster_most_members_held() -> None:
    rows = [
        EventRow(f"e{i}", f"a{i}", "collapse", "Attack", "", "s", event_date=datetime(2021, 3, 1)) for i in range(3)
    ]
    ids = relink_events(rows, {"e0": "old-a", "e1": "old-a", "e2": "old-b"})
    assert ids == ["old-a"] * 3
    apart = [EventRow("x", "a", "t", "Attack", "", "s", event_date=datetime(2021, 3, d)) for d in (1, 9)]
    apart[1] = EventRow("y", "b", "t", "Attack", "", "s", event_date=datetime(2021, 3, 9))
    split = relink_events(apart, {"x": "old", "y": "old"})  # a stored cluster the rows no longer support
    assert len(set(split)) == 2 and "old" in split
    # A row split off alone gets the id of a cluster it is first of, which may be the one its old partner took.
    day = datetime(2021, 3, 1)
    vague = EventRow("y", "b", "t", "Attack", "", "s", event_date=day)
    debi = EventRow("z", "c", "t", "Attack", "", "s", actor1="Debi Forces", event_date=day)
    rosa = EventRow("x", "a", "t", "Attack", "", "s", actor1="Rosa Forces", event_date=day)
    held = link_events([rosa])[0]  # x and y were linked before z arrived
    ids = relink_events([vague, debi, rosa], {"x": held, "y": held})
    assert ids[0] == ids[1] == held and ids[2] != held


def test_two_components_choosing_one_name_get_distinct_ids() -> None:
    """Kept apart but named alike (e.g. an ambiguous surname): saving both must not overwrite one."""
    from storyline.crossdoc.entities import Components, EntityGroup, Resolver, build_resolution, group_node
    from storyline.nlp.entities import load_alias_table

    groups = [EntityGroup(article, "Haddad", "PERSON", ("Haddad",)) for article in ("a1", "a2")]
    resolver = Resolver([group_node(g) for g in groups], load_alias_table(), Components(2))  # nothing joined
    resolution = build_resolution(resolver)
    assert len({e.id for e in resolution.entities}) == 2
    assert resolution.by_key[("a1", "Haddad")] != resolution.by_key[("a2", "Haddad")]
