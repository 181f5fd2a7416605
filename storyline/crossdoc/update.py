"""After each run: bring the cross-document layer up to date with the newly stored articles.

Only articles not yet placed in a story are profiled and assigned; entity resolution attaches new
within-article entity keys to existing entities. Old articles are never re-analysed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, or_, select

from storyline.crossdoc.stories import TIME_WINDOW, StoryClusterer, StoryState, article_profile
from storyline.errors import StorylineError
from storyline.records import Article, ArticleAnalysis, Entity, Evidence, Mention, content_id
from storyline.store import Store, schema

SAVE_CHUNK = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit


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
    # Only articles without a story are read (with their entity keys), and only the stories they could
    # join are loaded: the cost follows the new articles, not the database.
    placed = select(schema.story_articles.c.article_id)
    new_articles = store.rows(
        schema.articles, schema.articles.c.id.not_in(placed), order_by=schema.articles.c.published
    )
    if not new_articles:
        return
    keys: dict[str, list[str]] = defaultdict(list)
    with store.engine.connect() as conn:
        query = select(schema.mentions.c.article_id, schema.mentions.c.entity_key).where(
            schema.mentions.c.article_id.not_in(placed)
        )
        for article_id, entity_key in conn.execute(query):
            keys[article_id].append(entity_key)
    clusterer = _loaded_around(store, [row["published"] for row in new_articles])
    for row in new_articles:
        # A copy joins its original's story: it is the same report, not new evidence.
        original_story = clusterer.story_of.get(row["duplicate_of"] or "")
        if original_story is not None:
            clusterer.attach(original_story, row["id"], 1.0)
            continue
        profile = article_profile(row["text"], row["title"], keys.get(row["id"], ()))
        clusterer.assign(row["id"], row["title"], profile, row["published"])
    _save(store, clusterer)


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
            ArticleAnalysis(Article(id=article_id, text=texts[article_id]), mentions=tuple(mentions))
        )
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
        rows.append(
            EventRow(
                id=e["id"],
                article_id=e["article_id"],
                trigger=e["trigger"],
                event_type=e["event_type"],
                sub_event_type=e["sub_event_type"],
                story_id=story_of.get(e["article_id"]),
                actor1=e["actor1"],
                actor2=e["actor2"],
                geonames_id=place.get("geonames_id"),
                place_name=place.get("name"),
                latitude=place.get("latitude"),
                longitude=place.get("longitude"),
                event_date=e["event_date"],
                date_precision=e["date_precision"],
            )
        )
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
        for article_id, score in clusterer.remove(story_id).articles.items():
            clusterer.attach(keep, article_id, score)
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
        raise StorylineError(
            f"split needs some but not all articles of story {story_id}; not in it: {', '.join(missing) or 'none'}"
        )
    new_id = content_id("story", "split", story_id, *sorted(article_ids))
    titles = {a["id"]: a["title"] for a in store.rows(schema.articles, schema.articles.c.id.in_(article_ids))}
    clusterer.stories[new_id] = StoryState(new_id, titles.get(article_ids[0]), {}, None, None)
    for article_id in article_ids:
        clusterer.attach(new_id, article_id, story.articles.pop(article_id))
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


def _loaded_around(store: Store, dates: list[datetime | None]) -> StoryClusterer:
    """The stories new articles can join: those active within TIME_WINDOW of their dates, undated ones, and
    those holding the originals that new copies repeat."""
    if any(d is None for d in dates):
        return _loaded(store)  # an undated article may join any story
    s, sa, a = schema.stories, schema.story_articles, schema.articles
    try:
        earliest = min(d for d in dates if d is not None) - TIME_WINDOW
        latest = max(d for d in dates if d is not None) + TIME_WINDOW
    except OverflowError:  # a date at the calendar's edge: load everything rather than guess
        return _loaded(store)
    new_ids = select(a.c.id).where(a.c.id.not_in(select(sa.c.article_id)))
    holding_originals = select(sa.c.story_id).where(
        sa.c.article_id.in_(select(a.c.duplicate_of).where(a.c.id.in_(new_ids)))
    )
    wanted = or_(
        s.c.first_published.is_(None),
        s.c.last_published.is_(None),
        and_(s.c.first_published <= latest, s.c.last_published >= earliest),
        s.c.id.in_(holding_originals),
    )
    clusterer = StoryClusterer()
    clusterer.load(store.rows(s, wanted), store.rows(sa, sa.c.story_id.in_(select(s.c.id).where(wanted))))
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
        clusterer.reset(story)
        for a in sorted(articles, key=lambda r: (r["published"] is None, r["published"] or 0)):
            profile = article_profile(a["text"], a["title"], keys.get(a["id"], ()))
            clusterer.add(story, a["id"], profile, a["published"], scores.get(a["id"], 1.0))


def _save(store: Store, clusterer: StoryClusterer) -> None:
    """Rewrite the rows of the stories that changed (all others stay as stored), in one transaction."""
    changed = sorted(clusterer.changed)
    stories, links = schema.stories, schema.story_articles
    with store.engine.begin() as conn:
        for start in range(0, len(changed), SAVE_CHUNK):
            chunk = changed[start : start + SAVE_CHUNK]
            conn.execute(delete(links).where(links.c.story_id.in_(chunk)))
            conn.execute(delete(stories).where(stories.c.id.in_(chunk)))
        kept = [clusterer.stories[s] for s in changed if s in clusterer.stories]
        for table, rows in ((stories, clusterer.story_rows(kept)), (links, clusterer.membership_rows(kept))):
            if rows:  # an empty executemany would insert one row of defaults
                conn.execute(table.insert(), rows)
    clusterer.changed.clear()
