"""After each run: bring the cross-document layer up to date with the newly stored articles.

Only articles not yet placed in a story are profiled and assigned; entity resolution attaches new
within-article entity keys to the stored entities they could merge with (found through a key index, not
by reading every entity); event coreference relinks only the (story, event type) blocks that received new
events. Old articles are never re-analysed. Output: updated story, entity and event-cluster rows, and a summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, or_, select

from storyline.crossdoc.stories import TIME_WINDOW, StoryClusterer, StoryState, article_profile
from storyline.errors import StorylineError
from storyline.nlp.entities import AliasTable, load_alias_table
from storyline.records import Article, ArticleAnalysis, Mention, content_id
from storyline.store import Store, schema
from storyline.store.queries import (
    all_entity_ids,
    article_texts,
    articles_with_unresolved_mentions,
    clear_event_coreference,
    entities_by_id,
    keys_of_entities,
    unresolved_mentions,
)

if TYPE_CHECKING:
    from storyline.crossdoc.entities import EntityGroup

SAVE_CHUNK = 500  # ids per IN (...) list, well under SQLite's bound-parameter limit
ENTITY_CHUNK = 4000  # articles resolved per transaction: bounds the memory of a large backlog


@dataclass(frozen=True)
class CrossdocSummary:
    stories: int
    entities: int
    events_read: int = 0  # event rows loaded to link: those of the stories new articles reached
    entities_read: int = 0  # stored entities loaded as candidates for the new articles' names


def update_crossdoc(store: Store) -> CrossdocSummary:
    texts = update_stories(store)  # the new articles' texts, read once for both stages
    entity_count, entities_read = update_entities(store, texts=texts)
    events_read = update_event_coreference(store)
    return CrossdocSummary(store.count(schema.stories), entity_count, events_read, entities_read)


def update_stories(store: Store) -> dict[str, str]:
    """Place the articles without a story; returns their texts (article id → text), read here once so
    entity resolution need not read them again; none for a backlog above ENTITY_CHUNK articles, which
    entity resolution reads chunk by chunk (its memory follows the chunk, not the backlog)."""
    # Only articles without a story are read (with their entity keys), and only the stories they could
    # join are loaded: the cost follows the new articles, not the database.
    placed = select(schema.story_articles.c.article_id)
    a = schema.articles
    wanted = select(a.c.id, a.c.title, a.c.text, a.c.published, a.c.duplicate_of)  # not raw_text nor segments
    with store.engine.connect() as conn:
        query = wanted.where(a.c.id.not_in(placed)).order_by(a.c.published)
        new_articles = [dict(r._mapping) for r in conn.execute(query)]
    if not new_articles:
        return {}
    keys: dict[str, list[str]] = defaultdict(list)
    with store.engine.connect() as conn:
        query = select(schema.mentions.c.article_id, schema.mentions.c.entity_key).where(
            schema.mentions.c.article_id.not_in(placed)
        )
        article_id: str
        entity_key: str
        for article_id, entity_key in conn.execute(query):  # tuples: no attribute lookup per row
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
    return {row["id"]: row["text"] for row in new_articles} if len(new_articles) <= ENTITY_CHUNK else {}


def update_entities(
    store: Store, *, all_candidates: bool = False, texts: Mapping[str, str] | None = None
) -> tuple[int, int]:
    """Attach the entity keys of newly stored articles to cross-article entities (crossdoc.entities);
    returns (entities stored, stored entities read).

    Only mentions without an entity yet are grouped, ENTITY_CHUNK articles at a time in the order they were
    stored (memory follows the chunk, not the backlog); stored entities take part as anchors, so earlier
    articles are not re-resolved, and an entity merged into another hands over its mentions. Only the
    stored entities the new names could merge with are read (crossdoc.entity_index); ``all_candidates``
    reads every entity instead (the reference the index must agree with). Each chunk commits on its own:
    an interrupted update leaves whole chunks behind, and the next one resolves what is left. ``texts``:
    article texts already read (by update_stories); the others are read from the store.
    """
    pending = articles_with_unresolved_mentions(store)
    read = 0
    for start in range(0, len(pending), ENTITY_CHUNK):
        chunk = pending[start : start + ENTITY_CHUNK]
        read += _resolve_articles(store, chunk, all_candidates=all_candidates, texts=texts or {})
    return store.count(schema.entities), read


def _resolve_articles(store: Store, article_ids: list[str], *, all_candidates: bool, texts: Mapping[str, str]) -> int:
    """Resolve the unresolved mentions of these articles against the store; returns stored entities read."""
    from storyline.crossdoc import entity_index
    from storyline.crossdoc.entities import resolve_entities
    from storyline.crossdoc.entity_nodes import group_nodes

    groups = _new_entity_groups(store, article_ids, texts)
    if not groups:
        return 0
    table = _alias_table()
    nodes = group_nodes(groups)
    if all_candidates:
        candidates = entity_index.Candidates(frozenset(all_entity_ids(store)), {})
    else:
        candidates = entity_index.find_candidates(store, nodes, table)
    wanted = sorted(candidates.ids)
    loaded_keys = keys_of_entities(store, wanted, entity_index.RESOLVER_KEY_KINDS)
    existing = entities_by_id(store, wanted)
    names = {e.id: entity_index.names_from_keys(loaded_keys[e.id]) for e in existing if e.id in loaded_keys}
    pairs = {e.id: entity_index.pairs_from_keys(loaded_keys[e.id]) for e in existing if e.id in loaded_keys}
    counts = entity_index.all_block_counts(store, loaded_keys, nodes, candidates.block_counts)
    outside = entity_index.outside_counts(counts, loaded_keys)
    resolution = resolve_entities(
        groups,
        existing,
        table=table,
        outside_counts=outside,
        group_nodes=nodes,
        existing_names=names,
        existing_pairs={entity_id: found for entity_id, found in pairs.items() if found is not None},
    )
    # Candidates nothing joined are stored as they are: rewrite and re-index only what changed.
    unchanged = {e for e in existing if tuple(sorted(resolution.names.get(e.id, ()))) == names.get(e.id)}
    changed = [entity for entity in resolution.entities if entity not in unchanged]
    keys = {e.id: entity_index.stored_keys(e, resolution.names[e.id], table) for e in changed}
    previous = keys_of_entities(store, [e.id for e in changed if e.id in loaded_keys])  # to write only the change
    assignments: dict[tuple[str, ...], str] = {group: entity.id for group, entity in resolution.by_group.items()}
    speakers = {key: entity.id for key, entity in resolution.by_key.items()}
    store.save_entities(
        changed, assignments, resolution.superseded, keys=keys, previous_keys=previous, speakers=speakers
    )
    return len(existing)


def _new_entity_groups(store: Store, article_ids: list[str], known: Mapping[str, str]) -> list[EntityGroup]:
    from storyline.crossdoc.entities import groups_from_analysis

    by_article: dict[str, list[Mention]] = defaultdict(list)
    for mention in unresolved_mentions(store, article_ids):
        by_article[mention.evidence.article_id].append(mention)
    texts = {a: known[a] for a in by_article if a in known}
    texts.update(article_texts(store, [a for a in by_article if a not in known]))
    return [
        group
        for article_id in article_ids
        if article_id in by_article
        for group in groups_from_analysis(
            ArticleAnalysis(
                Article(id=article_id, text=texts[article_id]), mentions=_in_text_order(by_article[article_id])
            )
        )
    ]


def _in_text_order(mentions: list[Mention]) -> tuple[Mention, ...]:
    # Rows come back in whatever order the database likes; the first form seen wins naming ties.
    return tuple(sorted(mentions, key=_text_order))


def _text_order(m: Mention) -> tuple[int, int, str, str]:
    return (m.evidence.start, m.evidence.end, m.label, m.entity_key)


@cache
def _alias_table() -> AliasTable:
    return load_alias_table()


def update_event_coreference(store: Store) -> int:
    """Link the events of the (story, event type) blocks that received new events
    (crossdoc.coref.relink_events); returns the number of event rows read.

    Events of untouched blocks are not read, so the cost follows the blocks new articles reach, not the
    corpus nor whole stories. A touched block is linked afresh (the partition one batch would give) and its
    clusters keep the ids stored for them.
    """
    from storyline.crossdoc.coref import relink_events
    from storyline.crossdoc.event_rows import rows_to_link

    rows, stored = rows_to_link(store)
    changed = {
        row.id: cluster
        for row, cluster in zip(rows, relink_events(rows, stored), strict=True)
        if stored.get(row.id) != cluster
    }
    if changed:
        store.set_event_coreference(changed)
    return len(rows)


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
    _relink_events(store, [keep])
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
    _relink_events(store, [story_id, new_id])
    return new_id


def _relink_events(store: Store, story_ids: list[str]) -> None:
    """Stories whose members changed are linked afresh: clusters of the old stories no longer hold."""
    clear_event_coreference(store, story_ids)
    update_event_coreference(store)


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
