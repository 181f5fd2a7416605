"""Per-story and per-entity views for briefs, the API and the web pages.

``story_view`` gathers a story's articles, events, places, numbers and quotes; ``entity_dossier`` an
entity's aliases, quotes and reported whereabouts (places mentioned near the entity, with outlet and date).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from storyline.report.summary import speaker_name
from storyline.store import Store, schema
from storyline.store.queries import get_row, story_article_ids

WHEREABOUTS_WINDOW = 160  # characters around a mention in which a place counts as "where it was reported"


def _by_article(store: Store, table_name: str, article_ids: list[str]) -> list[dict[str, Any]]:
    table = schema.metadata.tables[table_name]
    return store.rows(table, table.c.article_id.in_(article_ids), order_by=table.c.start_char)


def story_view(store: Store, story_id: str) -> dict[str, Any] | None:
    story = get_row(store, "stories", story_id)
    if story is None:
        return None
    ids = story_article_ids(store, story_id)
    articles = store.rows(schema.articles, schema.articles.c.id.in_(ids), order_by=schema.articles.c.published)
    outlet_of = {a["id"]: a["outlet"] or a["title"] or a["origin"] for a in articles}
    places = {p["id"]: p for p in _by_article(store, "places", ids)}
    events = []
    for e in _by_article(store, "events", ids):
        place = places.get(e["place_id"])
        events.append({**e, "source": outlet_of[e["article_id"]],
                       "place_name": place["name"] if place else None,
                       "latitude": place["latitude"] if place else None,
                       "longitude": place["longitude"] if place else None,
                       "geo_precision": place["precision"] if place else None})
    links = store.rows(schema.article_links, schema.article_links.c.source_id.in_(ids))
    claims = _by_article(store, "claims", ids)
    speaker_ids = {c["speaker_entity_id"] for c in claims if c["speaker_entity_id"]}
    speakers = {e["id"]: e["name"] for e in store.rows(schema.entities, schema.entities.c.id.in_(speaker_ids))}
    return {
        "story": {k: v for k, v in story.items() if k != "profile"},
        "articles": [{k: v for k, v in a.items() if k not in ("text", "raw_text", "segments")} for a in articles],
        "events": events,
        "places": [{**p, "source": outlet_of[p["article_id"]]} for p in places.values()],
        "quantities": [{**q, "source": outlet_of[q["article_id"]]} for q in _by_article(store, "quantities", ids)],
        "claims": [{**c, "source": outlet_of[c["article_id"]], "speaker_name": speaker_name(c, speakers)}
                   for c in claims],
        "times": _by_article(store, "times", ids),
        "links": [{**link, "source": outlet_of.get(link["source_id"]), "target": outlet_of.get(link["target_id"])}
                  for link in links],
    }


def entity_dossier(store: Store, entity_id: str) -> dict[str, Any] | None:
    entity = get_row(store, "entities", entity_id)
    if entity is None:
        return None
    mentions = store.rows(schema.mentions, schema.mentions.c.entity_id == entity_id)
    ids = sorted({m["article_id"] for m in mentions})
    articles = {a["id"]: a for a in store.rows(schema.articles, schema.articles.c.id.in_(ids))}
    places_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in _by_article(store, "places", ids):
        if p["latitude"] is not None and not p["is_demonym"]:
            places_by_article[p["article_id"]].append(p)
    whereabouts: dict[tuple[str, str], dict[str, Any]] = {}
    for m in mentions:
        article = articles[m["article_id"]]
        for p in places_by_article[m["article_id"]]:
            if abs(p["start_char"] - m["start_char"]) <= WHEREABOUTS_WINDOW:
                whereabouts.setdefault((m["article_id"], p["id"]), {
                    "place": p["name"], "latitude": p["latitude"], "longitude": p["longitude"],
                    "precision": p["precision"], "outlet": article["outlet"], "published": article["published"],
                    "article_id": article["id"],
                    "evidence": article["text"][min(m["start_char"], p["start_char"]):
                                                max(m["end_char"], p["end_char"])][:400],
                })
    quotes = store.rows(schema.claims, schema.claims.c.speaker_entity_id == entity_id)
    return {
        "entity": entity,
        "mentions": len(mentions),
        "articles": [{k: articles[i][k] for k in ("id", "title", "outlet", "published")} for i in ids],
        "quotes": [{**q, "outlet": articles.get(q["article_id"], {}).get("outlet")} for q in quotes],
        "whereabouts": sorted(whereabouts.values(), key=lambda w: (w["published"] is None, w["published"] or 0)),
    }
