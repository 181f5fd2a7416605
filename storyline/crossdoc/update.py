"""After each run: bring the cross-document layer up to date with the newly stored articles.

Only articles not yet placed in a story are profiled and assigned; entity resolution attaches new
within-article entity keys to existing entities. Old articles are never re-analysed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from storyline.crossdoc.stories import StoryClusterer, article_profile
from storyline.records import Article, ArticleAnalysis, Entity, Evidence, Mention
from storyline.store import Store, schema


@dataclass(frozen=True)
class CrossdocSummary:
    stories: int
    entities: int


def update_crossdoc(store: Store) -> CrossdocSummary:
    update_stories(store)
    entity_count = update_entities(store)
    update_event_coreference(store)
    return CrossdocSummary(stories=store.count(schema.stories), entities=entity_count)


def update_stories(store: Store) -> None:
    clusterer = StoryClusterer()
    clusterer.load(store.rows(schema.stories), store.rows(schema.story_articles))
    placed = {row["article_id"] for row in store.rows(schema.story_articles)}
    keys: dict[str, list[str]] = defaultdict(list)
    with store.engine.connect() as conn:
        query = select(schema.mentions.c.article_id, schema.mentions.c.entity_key)
        for article_id, entity_key in conn.execute(query):
            if article_id not in placed:
                keys[article_id].append(entity_key)
    new_articles = [
        row for row in store.rows(schema.articles, order_by=schema.articles.c.published)
        if row["id"] not in placed
    ]
    if not new_articles:
        return
    for row in new_articles:
        # A copy joins its original's story: it is the same report, not new evidence.
        original_story = _story_of(clusterer, row["duplicate_of"])
        if original_story is not None:
            clusterer.stories[original_story].articles[row["id"]] = 1.0
            continue
        profile = article_profile(row["text"], row["title"], keys.get(row["id"], ()))
        clusterer.assign(row["id"], row["title"], profile, row["published"])
    store.replace_rows(schema.story_articles, [])
    store.replace_rows(schema.stories, clusterer.story_rows())
    store.replace_rows(schema.story_articles, clusterer.membership_rows())


def _story_of(clusterer: StoryClusterer, article_id: str | None) -> str | None:
    if article_id is None:
        return None
    for story in clusterer.stories.values():
        if article_id in story.articles:
            return story.id
    return None


def update_entities(store: Store) -> int:
    """Attach the entity keys of newly stored articles to cross-article entities (crossdoc.entities).

    Only mentions without an entity yet are grouped; existing entities take part as anchors, so earlier
    articles are not re-resolved, and an entity merged into another hands over its mentions.
    """
    from storyline.crossdoc.entities import groups_from_analysis, resolve_entities

    fresh = store.rows(schema.mentions, schema.mentions.c.entity_id.is_(None))
    if not fresh:
        return store.count(schema.entities)
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for row in fresh:
        evidence = Evidence(row["article_id"], row["start_char"], row["end_char"])
        by_article[row["article_id"]].append(Mention(evidence, row["text"], row["label"], row["entity_key"]))
    texts = {a["id"]: a["text"] for a in store.rows(schema.articles, schema.articles.c.id.in_(list(by_article)))}
    groups = [
        group
        for article_id, mentions in by_article.items()
        for group in groups_from_analysis(
            ArticleAnalysis(Article(id=article_id, text=texts[article_id]), mentions=tuple(mentions)))
    ]
    existing = [Entity(e["id"], e["name"], e["label"], tuple(e["aliases"])) for e in store.rows(schema.entities)]
    resolution = resolve_entities(groups, existing)
    assignments = {key: entity.id for key, entity in resolution.by_key.items()}
    store.save_entities(resolution.entities, assignments, superseded=resolution.superseded)
    return store.count(schema.entities)


def update_event_coreference(store: Store) -> None:
    """Link the events of each story reported by several articles (crossdoc.coref.link_events).

    Blocking is by story and event type inside link_events, so the cost follows story sizes, not the corpus.
    """
    from storyline.crossdoc.coref import EventRow, link_events

    story_of = {r["article_id"]: r["story_id"] for r in store.rows(schema.story_articles)}
    places = {p["id"]: p for p in store.rows(schema.places, schema.places.c.latitude.is_not(None))}
    rows = []
    for e in store.rows(schema.events, schema.events.c.background.is_(False)):
        place = places.get(e["place_id"]) or {}
        rows.append(EventRow(
            id=e["id"], article_id=e["article_id"], trigger=e["trigger"], event_type=e["event_type"],
            sub_event_type=e["sub_event_type"], story_id=story_of.get(e["article_id"]), actor1=e["actor1"],
            actor2=e["actor2"], geonames_id=place.get("geonames_id"), place_name=place.get("name"),
            latitude=place.get("latitude"), longitude=place.get("longitude"), event_date=e["event_date"],
            date_precision=e["date_precision"]))
    if rows:
        store.set_event_coreference({row.id: cluster for row, cluster in zip(rows, link_events(rows), strict=True)})
