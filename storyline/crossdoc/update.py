"""After each run: bring the cross-document layer up to date with the newly stored articles.

Only articles not yet placed in a story are profiled and assigned; entity resolution attaches new
within-article entity keys to existing entities. Old articles are never re-analysed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from storyline.crossdoc.stories import StoryClusterer, StoryState, article_profile
from storyline.errors import StorylineError
from storyline.records import Article, ArticleAnalysis, Entity, Evidence, Mention, content_id
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
    clusterer = _loaded(store)
    placed = {article_id for story in clusterer.stories.values() for article_id in story.articles}
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
    _save(store, clusterer)


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


def merge_stories(store: Store, keep: str, absorb: list[str]) -> int:
    """Move every article of the ``absorb`` stories into ``keep`` (a user's correction); returns the count.

    The merged profile is rebuilt from the member articles, so later articles keep joining correctly.
    """
    clusterer = _loaded(store)
    for story_id in [keep, *absorb]:
        if story_id not in clusterer.stories:
            raise StoryNotFound(story_id)
    moved = 0
    for story_id in absorb:
        for article_id, score in clusterer.stories.pop(story_id).articles.items():
            clusterer.stories[keep].articles[article_id] = score
            moved += 1
    _rebuild_profiles(store, clusterer, [keep])
    _save(store, clusterer)
    return moved


def split_story(store: Store, story_id: str, article_ids: list[str]) -> str:
    """Move the given articles of a story into a new story of their own; returns the new story's id."""
    clusterer = _loaded(store)
    story = clusterer.stories.get(story_id)
    if story is None:
        raise StoryNotFound(story_id)
    missing = [a for a in article_ids if a not in story.articles]
    if missing or len(article_ids) >= len(story.articles):
        raise StorylineError(f"split needs some but not all articles of story {story_id}; "
                             f"not in it: {', '.join(missing) or 'none'}")
    new_id = content_id("story", "split", story_id, *sorted(article_ids))
    titles = {a["id"]: a["title"] for a in store.rows(schema.articles, schema.articles.c.id.in_(article_ids))}
    clusterer.stories[new_id] = StoryState(new_id, titles.get(article_ids[0]), {}, None, None)
    for article_id in article_ids:
        clusterer.stories[new_id].articles[article_id] = story.articles.pop(article_id)
    _rebuild_profiles(store, clusterer, [story_id, new_id])
    _save(store, clusterer)
    return new_id


class StoryNotFound(StorylineError):
    def __init__(self, story_id: str) -> None:
        super().__init__(f"no story with id {story_id!r} (list them with `storyline report`)")


def _loaded(store: Store) -> StoryClusterer:
    clusterer = StoryClusterer()
    clusterer.load(store.rows(schema.stories), store.rows(schema.story_articles))
    return clusterer


def _rebuild_profiles(store: Store, clusterer: StoryClusterer, story_ids: list[str]) -> None:
    for story_id in story_ids:
        story = clusterer.stories[story_id]
        members = list(story.articles)
        articles = store.rows(schema.articles, schema.articles.c.id.in_(members))
        keys: dict[str, list[str]] = defaultdict(list)
        for m in store.rows(schema.mentions, schema.mentions.c.article_id.in_(members)):
            keys[m["article_id"]].append(m["entity_key"])
        scores = dict(story.articles)
        story.profile, story.articles, story.first, story.last = {}, {}, None, None
        for a in sorted(articles, key=lambda r: (r["published"] is None, r["published"] or 0)):
            profile = article_profile(a["text"], a["title"], keys.get(a["id"], ()))
            clusterer.add(story, a["id"], profile, a["published"], scores.get(a["id"], 1.0))


def _save(store: Store, clusterer: StoryClusterer) -> None:
    store.replace_rows(schema.story_articles, [])
    store.replace_rows(schema.stories, clusterer.story_rows())
    store.replace_rows(schema.story_articles, clusterer.membership_rows())
