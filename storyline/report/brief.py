"""Cited briefs: one story from the database as an analyst's brief where every statement carries [n] citations.

Input: a ``Store`` and a story id (``resolve_story`` turns "1" into the largest story). Output: a frozen
``Brief`` (extractive account, key numbers, contested points, quotes, timeline, entity dossiers, citations);
``render_brief(brief, "md" | "html" | "json")`` in storyline/report/brief_render.py formats it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from storyline.report.brief_account import AccountSpans, Pick, choose_account
from storyline.report.brief_sections import (
    StoryRows,
    build_contested,
    build_dossiers,
    build_key_numbers,
    build_quotes,
    build_timeline,
    load_ledger,
    origins_of,
)
from storyline.report.brief_types import AccountSentence, Brief, Citation
from storyline.report.dating import publication_span
from storyline.report.summary import CASUALTY_STATES
from storyline.store import Store, schema
from storyline.store.queries import get_row, story_article_ids

__all__ = ["Brief", "build_brief", "render_brief", "resolve_story"]


def resolve_story(store: Store, ref: str) -> str | None:
    """A story id from an id, a unique id prefix, or a rank ("1" = the story with most articles)."""
    ref = ref.strip()
    if get_row(store, "stories", ref) is not None:
        return ref
    stories = store.rows(schema.stories)
    ranked = sorted(stories, key=lambda s: (-(s["n_articles"] or 0), s["id"]))
    if ref.isdigit() and 1 <= int(ref) <= len(ranked):
        return str(ranked[int(ref) - 1]["id"])
    prefixed = [s["id"] for s in stories if s["id"].startswith(ref)] if ref else []
    return prefixed[0] if len(prefixed) == 1 else None


def load_story_rows(store: Store, story_id: str) -> StoryRows | None:
    story = get_row(store, "stories", story_id)
    if story is None:
        return None
    ids = story_article_ids(store, story_id)
    articles = store.rows(schema.articles, schema.articles.c.id.in_(ids))
    articles.sort(key=lambda a: (a["published"] is None, a["published"] or datetime.min, a["outlet"] or "",
                                 a["id"]))
    tables = {}
    for table in schema.EXTRACTED_TABLES:
        tables[table.name] = store.rows(table, table.c.article_id.in_(ids), order_by=table.c.start_char)
    numbers = {a["id"]: n for n, a in enumerate(articles, start=1)}
    return StoryRows(story, articles, numbers, origins_of(store, articles), tables)


def build_brief(store: Store, story_id: str, *, account_size: int = 10) -> Brief | None:
    """The brief of one story; None when the story does not exist."""
    rows = load_story_rows(store, story_id)
    if rows is None:
        return None
    account = _account(rows, account_size)
    ledger = load_ledger(store, story_id)
    outlets = sorted({a["outlet"] for a in rows.articles if a["outlet"]})
    span = publication_span(rows.articles)
    return Brief(
        story_id=story_id,
        headline=_headline(rows),
        first_published=span.first,
        last_published=span.last,
        n_undated=span.n_undated,
        n_estimated=span.n_estimated,
        n_articles=len(rows.articles),
        n_origins=len(set(rows.origin_of.values())),
        outlets=tuple(outlets),
        account=account,
        key_numbers=build_key_numbers(ledger, rows),
        contested=build_contested(ledger, rows),
        quotes=build_quotes(store, rows),
        timeline=build_timeline(rows),
        dossiers=build_dossiers(store, rows),
        citations=tuple(_citation(a, rows.numbers[a["id"]]) for a in rows.articles),
    )


def _headline(rows: StoryRows) -> str:
    """The story's title, else the title of its earliest article carrying one."""
    if rows.story.get("title"):
        return str(rows.story["title"])
    return next((str(a["title"]) for a in rows.articles if a["title"]), f"Story {rows.story['id']}")


def _account(rows: StoryRows, limit: int) -> tuple[AccountSentence, ...]:
    salient: dict[str, list[tuple[int, int]]] = defaultdict(list)
    dated: dict[str, list[tuple[int, int, datetime]]] = defaultdict(list)
    for q in rows.tables["quantities"]:
        if q["state"] in CASUALTY_STATES and not q["negated"]:
            salient[q["article_id"]].append((q["start_char"], q["end_char"]))
    for e in rows.tables["events"]:
        if e["background"]:
            continue
        if e["fatalities_low"] or e["fatalities_high"]:
            salient[e["article_id"]].append((e["start_char"], e["end_char"]))
        if e["event_date"] is not None:
            dated[e["article_id"]].append((e["start_char"], e["end_char"], e["event_date"]))
    quoted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in rows.tables["claims"]:
        if c["direct"]:
            quoted[c["article_id"]].append((c["start_char"], c["end_char"]))
    picks = choose_account(rows.articles, rows.origin_of, AccountSpans(salient, dated, quoted), limit=limit)
    return tuple(_account_sentence(p, rows) for p in picks)


def _account_sentence(pick: Pick, rows: StoryRows) -> AccountSentence:
    sentence = pick.sentence
    return AccountSentence(
        text=sentence.text, article_id=sentence.article_id, start=sentence.start, end=sentence.end,
        citations=tuple(sorted(rows.numbers[c] for c in pick.carriers)), origins=pick.origins,
        date=pick.date, score=pick.score,
    )


def _citation(article: dict[str, Any], number: int) -> Citation:
    return Citation(number=number, article_id=article["id"], outlet=article["outlet"], title=article["title"],
                    published=article["published"], url=article["url"], origin=article["origin"],
                    duplicate_of=article["duplicate_of"])


def render_brief(brief: Brief, fmt: str) -> str:
    from storyline.report.brief_render import render  # rendering pulls in Jinja2 only when asked

    return render(brief, fmt)
