"""Incremental story clustering: each new article joins the most similar recent story or starts one.

Articles are compared with a story's profile (summed, length-normalised term weights from entity keys and
content words) by cosine similarity, inside a time window around the story's dates; an article's terms that
many active stories share count less. Only stories sharing at least one heavy term are scored (an inverted
index), so adding an article never compares it with the whole corpus. Stories persist with their profiles,
so later runs continue without reprocessing old articles.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from operator import itemgetter, mul
from typing import Any

from storyline.crossdoc.text_case import lowers_in_place
from storyline.records import content_id

JOIN_THRESHOLD = 0.22  # cosine similarity needed to join an existing story
TIME_WINDOW = timedelta(days=21)  # an article joins only stories active within this window of its date
PROFILE_TERMS = 150  # a story keeps its heaviest terms only, so profiles stay small
ENTITY_WEIGHT = 3.0  # named entities say more about "which story" than common words
MAX_POSTINGS = 50  # a term shared by more stories than this is not used to find candidates
CANDIDATES = 20  # stories scored on their full profile per new article
PERIOD_DAYS = 7  # granularity of the time-split inverted index
SPREAD_DISCOUNT = 0.5  # how fast a term's weight falls with the number of active stories holding it (log)

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
    counts = {"w:" + word: n for word, n in Counter(_lowered_words(text)).items() if word not in _STOPWORDS}
    for word in _lowered_words(title or ""):
        if word not in _STOPWORDS:
            term = "w:" + word
            counts[term] = counts.get(term, 0) + 2
    weights = {term: 1.0 + math.log(n) for term, n in counts.items()}
    for entity_key in entity_keys:
        key = "e:" + entity_key.lower()
        weights[key] = weights.get(key, 0.0) + ENTITY_WEIGHT
    return _normalise(_heaviest(weights))


def _lowered_words(text: str) -> list[str]:
    if lowers_in_place(text):
        return _WORD.findall(text.lower())
    return [word.lower() for word in _WORD.findall(text)]


def _heaviest(weights: dict[str, float]) -> dict[str, float]:
    """The PROFILE_TERMS heaviest terms, heaviest first, ties in insertion order (as heapq.nlargest, cheaper)."""
    return dict(sorted(weights.items(), key=itemgetter(1), reverse=True)[:PROFILE_TERMS])


def _normalise(weights: dict[str, float]) -> dict[str, float]:
    values = list(weights.values())
    norm = math.sqrt(sum(map(mul, values, values))) or 1.0  # the generator's sum, without its frames
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
    """Holds the stories of a database in memory and assigns new articles to them.

    The inverted index is split by period (PERIOD_DAYS): a story is posted under every period it is active
    in, and an article looks only at the periods within TIME_WINDOW of its date, so the stories it meets
    are the recent ones, however large the corpus grows.
    """

    def __init__(self) -> None:
        self.stories: dict[str, StoryState] = {}
        self.story_of: dict[str, str] = {}  # article id → story id
        self.changed: set[str] = set()  # stories created, grown or removed since loading
        self._index: dict[str, dict[int | None, set[str]]] = defaultdict(dict)  # term → period → story ids
        self._posted: dict[str, tuple[frozenset[str], tuple[int | None, ...]]] = {}  # story → its postings

    def load(self, story_rows: list[dict[str, Any]], membership: list[dict[str, Any]]) -> None:
        for row in story_rows:
            state = StoryState(
                row["id"], row["title"], dict(row["profile"]), row["first_published"], row["last_published"]
            )
            self.stories[state.id] = state
            self._reindex(state)
        for link in membership:
            if link["story_id"] in self.stories:
                self.stories[link["story_id"]].articles[link["article_id"]] = link["score"] or 0.0
                self.story_of[link["article_id"]] = link["story_id"]

    def assign(self, article_id: str, title: str | None, profile: dict[str, float], published: datetime | None) -> str:
        """Put the article in its best story (or a new one) and return the story id."""
        best_id, best_score = None, 0.0
        for story_id, score in self._scores(profile, published).items():
            if score > best_score and self.stories[story_id].within_window(published):
                best_id, best_score = story_id, score
        if best_id is None or best_score < JOIN_THRESHOLD:
            best_id = content_id("story", article_id)
            self.stories[best_id] = StoryState(best_id, title, {}, published, published)
            best_score = 1.0
        self.add(self.stories[best_id], article_id, profile, published, best_score)
        return best_id

    def attach(self, story_id: str, article_id: str, score: float) -> None:
        """Put an article in a story without touching its profile (a copy of a member, a user's move)."""
        self.stories[story_id].articles[article_id] = score
        self.story_of[article_id] = story_id
        self.changed.add(story_id)

    def remove(self, story_id: str) -> StoryState:
        """Take a story out (its articles are about to move elsewhere)."""
        story = self.stories.pop(story_id)
        self._unpost(story_id)
        self.changed.add(story_id)
        return story

    def _scores(self, profile: dict[str, float], published: datetime | None) -> dict[str, float]:
        """Similarity with the stories most likely to match, found through the inverted index.

        Candidates come from terms shared by at most MAX_POSTINGS stories active around the article's date
        (common terms cannot tell stories apart, and long posting lists would make each article cost more
        as the corpus grows); the best CANDIDATES of them by partial overlap are then scored on the full
        profile. The cost per article is bounded, so adding articles stays linear in their number.

        The article's terms are weighted down by how many active stories hold them (``_spread_weight``)
        before the cosine: names and words every story repeats (a president, "officials said") would
        otherwise make the story that gathered most of them attract every new article and snowball.
        """
        periods = _query_periods(published)
        partial: dict[str, float] = defaultdict(float)
        common: list[tuple[str, float]] = []  # terms left out of the search, still part of the similarity
        norm = 0.0
        index, stories = self._index, self.stories
        for term, weight in profile.items():
            by_period = index.get(term)
            postings = _postings(by_period, periods) if by_period else _NO_POSTINGS  # most terms: no call
            holding = len(postings)
            weight *= _spread_weight(holding)
            norm += weight * weight
            if holding > MAX_POSTINGS:
                common.append((term, weight))
            else:
                for story_id in postings:
                    partial[story_id] += weight * stories[story_id].profile.get(term, 0.0)
        # A story not posted under a term (in the searched periods) lacks it in its profile, so the partial
        # score plus the common terms, over the weighted article's length, is the full cosine similarity.
        best = heapq.nlargest(CANDIDATES, partial, key=partial.__getitem__)
        norm = math.sqrt(norm) or 1.0
        return {
            story_id: (partial[story_id] + sum(w * self.stories[story_id].profile.get(t, 0.0) for t, w in common))
            / norm
            for story_id in best
        }

    def add(
        self, story: StoryState, article_id: str, profile: dict[str, float], published: datetime | None, score: float
    ) -> None:
        n = len(story.articles)
        merged = {t: w * n for t, w in story.profile.items()}
        for term, weight in profile.items():
            merged[term] = merged.get(term, 0.0) + weight
        story.profile = _normalise(_heaviest(merged))
        story.articles[article_id] = score
        self.story_of[article_id] = story.id
        self.changed.add(story.id)
        if published is not None:
            story.first = min(story.first or published, published)
            story.last = max(story.last or published, published)
        self._reindex(story)

    def reset(self, story: StoryState) -> None:
        """Empty a story's profile, dates and members before it is rebuilt article by article."""
        self._unpost(story.id)
        for article_id in story.articles:
            self.story_of.pop(article_id, None)
        story.profile, story.articles, story.first, story.last = {}, {}, None, None
        self.changed.add(story.id)

    def _reindex(self, story: StoryState) -> None:
        """Post the story under its profile terms × active periods, changing only what changed."""
        terms, periods = frozenset(story.profile), _story_periods(story)
        old_terms, old_periods = self._posted.get(story.id, (frozenset(), ()))
        if periods != old_periods:
            self._unpost(story.id)
            old_terms = frozenset()
        for term in old_terms - terms:
            for period in periods:
                self._unpost_one(term, period, story.id)
        for term in terms - old_terms:
            by_period = self._index[term]
            for period in periods:
                by_period.setdefault(period, set()).add(story.id)
        self._posted[story.id] = (terms, periods)

    def _unpost(self, story_id: str) -> None:
        terms, periods = self._posted.pop(story_id, (frozenset(), ()))
        for term in terms:
            for period in periods:
                self._unpost_one(term, period, story_id)

    def _unpost_one(self, term: str, period: int | None, story_id: str) -> None:
        """Drop one posting, and the sets and terms left empty (so walking a term's periods stays short)."""
        by_period = self._index[term]
        ids = by_period[period]
        ids.discard(story_id)
        if not ids:
            del by_period[period]
            if not by_period:
                del self._index[term]

    def story_rows(self, stories: Iterable[StoryState] | None = None) -> list[dict[str, Any]]:
        return [
            {
                "id": s.id,
                "title": s.title,
                "first_published": s.first,
                "last_published": s.last,
                "profile": s.profile,
                "n_articles": len(s.articles),
            }
            for s in (self.stories.values() if stories is None else stories)
        ]

    def membership_rows(self, stories: Iterable[StoryState] | None = None) -> list[dict[str, Any]]:
        return [
            {"story_id": s.id, "article_id": a, "score": score}
            for s in (self.stories.values() if stories is None else stories)
            for a, score in s.articles.items()
        ]


@cache  # few distinct counts recur for every term of every article
def _spread_weight(stories_holding: int) -> float:
    """1 for a term of at most one active story, shrinking slowly as more stories share it."""
    return 1.0 / (1.0 + SPREAD_DISCOUNT * math.log(max(1, stories_holding)))


def _period(when: datetime) -> int:
    return when.toordinal() // PERIOD_DAYS


def _story_periods(story: StoryState) -> tuple[int | None, ...]:
    """Periods a story is posted under: those of its active span, or the undated slot."""
    if story.first is None or story.last is None:
        return (None,)
    return tuple(range(_period(story.first), _period(story.last) + 1))


def _query_periods(published: datetime | None) -> frozenset[int | None] | None:
    """Periods whose stories an article may join (None: an undated article may join any story)."""
    if published is None:
        return None
    try:
        return frozenset((None, *range(_period(published - TIME_WINDOW), _period(published + TIME_WINDOW) + 1)))
    except OverflowError:  # a date at the calendar's edge: no window to look in, so look everywhere
        return None


_NO_POSTINGS: frozenset[str] = frozenset()


def _postings(by_period: dict[int | None, set[str]] | None, periods: frozenset[int | None] | None) -> set[str]:
    """Stories posted under a term in any of the periods (in every period when ``periods`` is None)."""
    if not by_period:
        return set()
    if periods is None:
        found = list(by_period.values())
    elif len(by_period) <= len(periods):  # most terms are posted in one or two periods: walk those
        found = [ids for p, ids in by_period.items() if p in periods]
    else:
        found = [ids for p in periods if (ids := by_period.get(p))]
    return found[0] if len(found) == 1 else set().union(*found)  # one set is read, never changed
