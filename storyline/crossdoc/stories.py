"""Incremental story clustering: each new article joins the most similar recent story or starts one.

Articles are compared with a story's profile (summed, length-normalised term weights from entity keys and
content words) by cosine similarity, inside a time window around the story's dates. Only stories sharing at
least one heavy term are scored (an inverted index), so adding an article never compares it with the whole
corpus. Stories persist with their profiles, so later runs continue without reprocessing old articles.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storyline.records import content_id

JOIN_THRESHOLD = 0.22  # cosine similarity needed to join an existing story
TIME_WINDOW = timedelta(days=21)  # an article joins only stories active within this window of its date
PROFILE_TERMS = 150  # a story keeps its heaviest terms only, so profiles stay small
ENTITY_WEIGHT = 3.0  # named entities say more about "which story" than common words
MAX_POSTINGS = 50  # a term shared by more stories than this is not used to find candidates
CANDIDATES = 20  # stories scored on their full profile per new article

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_STOPWORDS = frozenset(
    """about above after again against also among been before being below between both could does doing down
    during each even ever from further have having here into just like made many more most much must near
    only other over said same says should since some such than that their them then there these they this
    those through under until very were what when where which while whom will with within without would
    your year years told according people last first week month months days says added including another
    still which""".split()
)


def article_profile(text: str, title: str | None, entity_keys: Iterable[str]) -> dict[str, float]:
    """Sparse unit-length term weights of one article (entities weighted above words)."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text):
        lowered = word.lower()
        if lowered not in _STOPWORDS:
            counts["w:" + lowered] += 1
    for word in _WORD.findall(title or ""):
        if word.lower() not in _STOPWORDS:
            counts["w:" + word.lower()] += 2
    weights = {term: 1.0 + math.log(n) for term, n in counts.items()}
    for entity_key in entity_keys:
        key = "e:" + entity_key.lower()
        weights[key] = weights.get(key, 0.0) + ENTITY_WEIGHT
    return _normalise(dict(Counter(weights).most_common(PROFILE_TERMS)))


def _normalise(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


@dataclass
class StoryState:
    id: str
    title: str | None
    profile: dict[str, float]
    first: datetime | None
    last: datetime | None
    articles: dict[str, float] = field(default_factory=dict)  # article id → similarity when it joined

    def within_window(self, when: datetime | None) -> bool:
        if when is None or self.first is None or self.last is None:
            return True
        return self.first - TIME_WINDOW <= when <= self.last + TIME_WINDOW


class StoryClusterer:
    """Holds the stories of a database in memory and assigns new articles to them."""

    def __init__(self) -> None:
        self.stories: dict[str, StoryState] = {}
        self._index: dict[str, set[str]] = defaultdict(set)  # term → story ids having it in their profile

    def load(self, story_rows: list[dict[str, Any]], membership: list[dict[str, Any]]) -> None:
        for row in story_rows:
            state = StoryState(row["id"], row["title"], dict(row["profile"]), row["first_published"],
                               row["last_published"])
            self.stories[state.id] = state
            self._reindex(state)
        for link in membership:
            if link["story_id"] in self.stories:
                self.stories[link["story_id"]].articles[link["article_id"]] = link["score"] or 0.0

    def assign(self, article_id: str, title: str | None, profile: dict[str, float],
               published: datetime | None) -> str:
        """Put the article in its best story (or a new one) and return the story id."""
        best_id, best_score = None, 0.0
        for story_id, score in self._scores(profile).items():
            if score > best_score and self.stories[story_id].within_window(published):
                best_id, best_score = story_id, score
        if best_id is None or best_score < JOIN_THRESHOLD:
            best_id = content_id("story", article_id)
            self.stories[best_id] = StoryState(best_id, title, {}, published, published)
            best_score = 1.0
        self.add(self.stories[best_id], article_id, profile, published, best_score)
        return best_id

    def _scores(self, profile: dict[str, float]) -> dict[str, float]:
        """Cosine similarity with the stories most likely to match, found through the inverted index.

        Candidates come from terms shared by at most MAX_POSTINGS stories (common terms cannot tell stories
        apart, and their long posting lists would make each article cost more as the corpus grows); the
        best CANDIDATES of them by partial overlap are then scored on the full profile. The cost per
        article is bounded, so adding articles stays linear in their number.
        """
        partial: dict[str, float] = defaultdict(float)
        for term, weight in profile.items():
            postings = self._index.get(term)
            if postings and len(postings) <= MAX_POSTINGS:
                for story_id in postings:
                    partial[story_id] += weight * self.stories[story_id].profile.get(term, 0.0)
        best = sorted(partial, key=partial.__getitem__, reverse=True)[:CANDIDATES]
        return {
            story_id: sum(w * self.stories[story_id].profile.get(t, 0.0) for t, w in profile.items())
            for story_id in best
        }

    def add(self, story: StoryState, article_id: str, profile: dict[str, float],
             published: datetime | None, score: float) -> None:
        n = len(story.articles)
        merged = {t: w * n for t, w in story.profile.items()}
        for term, weight in profile.items():
            merged[term] = merged.get(term, 0.0) + weight
        previous = story.profile
        story.profile = _normalise(dict(Counter(merged).most_common(PROFILE_TERMS)))
        story.articles[article_id] = score
        if published is not None:
            story.first = min(story.first or published, published)
            story.last = max(story.last or published, published)
        self._reindex(story, dropped=[t for t in previous if t not in story.profile])

    def _reindex(self, story: StoryState, dropped: Iterable[str] = ()) -> None:
        for term in dropped:
            self._index[term].discard(story.id)
        for term in story.profile:
            self._index[term].add(story.id)

    def story_rows(self) -> list[dict[str, Any]]:
        return [
            {"id": s.id, "title": s.title, "first_published": s.first, "last_published": s.last,
             "profile": s.profile, "n_articles": len(s.articles)}
            for s in self.stories.values()
        ]

    def membership_rows(self) -> list[dict[str, Any]]:
        return [
            {"story_id": s.id, "article_id": a, "score": score}
            for s in self.stories.values()
            for a, score in s.articles.items()
        ]
