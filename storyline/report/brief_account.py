"""Extractive account for a brief: pick the 5–10 most central sentences of a story, never writing new text.

Input: the story's article rows (id, text, published), an origin id per article (copies share one), and
per-article "salient spans" (fatality counts, events). Output: ``Pick``s — verbatim sentence spans of an
article, each with every article that carries a near-identical sentence, ordered by date then position.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Sentence ends: terminal punctuation (optionally closing quotes/brackets) then space and a capital/quote.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*\d|\d")
# "CITY (AGENCY) - ", "CITY, Country, March 3 (Agency) — ": upper-case place, optional agency, then a dash
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,40}(?:,[^-–—()]{1,40})?\s*(?:\([^()]{1,30}\))?\s*[-–—]+\s+(?=[A-Z\"“])")
QUOTE_MARKS = "\"“”‘’"
# Web furniture and datelines that are sentences in form only.
BOILERPLATE = re.compile(
    r"^(source|photo|image|credit|read more|related|share|follow|subscribe|sign up|click|advertisement)\b"
    r"|leave a reply|will not be published|your browser|all rights reserved|cookie|newsletter|©",
    re.IGNORECASE,
)
# First person outside quotes: the sentence speaks for the writer, not about the story.
FIRST_PERSON = re.compile(r"\b(I|we|We|our|Our|us|me|my|My)\b")
STOPWORDS = frozenset("""
the and for that with from this was were are has have had been being will would could should said says
its his her their they them them there here which who whom whose what when where while after before about
into onto over under also than then just only more most some such very many much other others another
not but all any each both few own same one two three can may might must did does doing our out off
""".split())
MIN_CHARS, MAX_CHARS, MIN_WORDS = 40, 330, 7
NEAR_IDENTICAL = 0.72  # weighted overlap (both ways) above which two sentences are copies of one another
REDUNDANT = 0.45  # Jaccard of content words above which a second pick adds nothing new
SAME_FIGURE = 0.25  # overlap above which two sentences giving the same figure state the same fact
YEAR = re.compile(r"(19|20)\d\d")
WEIGHTS = {"support": 1.0, "salient": 0.5, "lead": 0.4, "recent": 0.2}
MAX_POSTINGS = 400
PER_ARTICLE = 3  # at most this many account sentences from one article
MAX_SCORED = 500  # sentences matched in full on large stories (see shortlist)
LEAD_SENTENCES = 2  # news leads summarize: an article's first sentences get the "lead" bonus


@dataclass(frozen=True, slots=True)
class Sentence:
    article_id: str
    start: int
    end: int
    text: str
    position: int  # index among the article's candidate sentences
    words: frozenset[str]


@dataclass(frozen=True, slots=True)
class AccountSpans:
    """Per article: spans stating casualties/events (salient), dated event spans, and direct-quote spans."""

    salient: dict[str, list[tuple[int, int]]]
    dated: dict[str, list[tuple[int, int, datetime]]]
    quoted: dict[str, list[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class Pick:
    """A chosen sentence: ``text`` == the article's text[start:end]; ``carriers`` every article carrying it."""

    sentence: Sentence
    carriers: tuple[str, ...]
    origins: int
    score: float
    date: datetime | None


@dataclass
class StoryText:
    """The story's candidate sentences with an inverted index for cross-article matching."""

    sentences: list[Sentence] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    idf: dict[str, float] = field(default_factory=dict)
    floor: float = 1.0  # typical sentence weight: short sentences cannot reach full support by one match

    def weight(self, words: frozenset[str]) -> float:
        return sum(self.idf.get(w, 1.0) for w in words)


def content_words(text: str) -> frozenset[str]:
    words = set()
    for token in WORD.findall(text):
        token = token.lower().replace("’", "'").removesuffix("'s").replace(",", "")
        if len(token) >= 3 and token not in STOPWORDS or token[0].isdigit():
            words.add(token)
    return frozenset(words)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: paragraphs (lines) split at sentence-final punctuation."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        begin = 0
        for match in SENTENCE_BREAK.finditer(line):
            spans.append((offset + begin, offset + match.start()))
            begin = match.end()
        spans.append((offset + begin, offset + len(line)))
        offset += len(line) + 1
    return [(s + _lead_space(text, s, e), e - _trail_space(text, s, e)) for s, e in spans if text[s:e].strip()]


def dateline_length(sentence: str) -> int:
    """Characters of a leading wire dateline ("OUAGADOUGOU (CWS) - "): trimmed, the rest is the sentence."""
    match = DATELINE.match(sentence)
    return match.end() if match else 0


def clause_length(sentence: str) -> int:
    """A sentence too long for the account is cut after its first clause when a semicolon ends one."""
    if len(sentence) <= MAX_CHARS:
        return len(sentence)
    cut = sentence.find("; ")
    return cut + 1 if MIN_CHARS <= cut < MAX_CHARS else len(sentence)


def _lead_space(text: str, start: int, end: int) -> int:
    return len(text[start:end]) - len(text[start:end].lstrip())


def _trail_space(text: str, start: int, end: int) -> int:
    return len(text[start:end]) - len(text[start:end].rstrip())


def _outside_quotes(text: str) -> str:
    return re.sub(r"[\"“‘][^\"”’]*[\"”’]", " ", text)


def is_account_sentence(text: str, title: str | None) -> bool:
    """A reportorial sentence: complete, not web furniture, not a headline repeat, not mostly a quote."""
    if not (MIN_CHARS <= len(text) <= MAX_CHARS) or len(text.split()) < MIN_WORDS:
        return False
    if not text[0].isupper() or text.rstrip(QUOTE_MARKS + ")")[-1:] not in ".!?;":
        return False
    if BOILERPLATE.search(text) or (title and text.strip().rstrip(".") == title.strip().rstrip(".")):
        return False
    outside = _outside_quotes(text)
    if text[0] in QUOTE_MARKS or len(outside) < 0.6 * len(text) or text.count("“") != text.count("”"):
        return False
    return not FIRST_PERSON.search(outside)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Half or more of [start, end) lies inside one of the spans."""
    return any(min(end, e) - max(start, s) >= (end - start) / 2 for s, e in spans)


def index_story(articles: list[dict[str, Any]], quoted: dict[str, list[tuple[int, int]]]) -> StoryText:
    """Candidate sentences; those inside direct quotes (or repeating a quote as a pull-quote) are left out."""
    quote_texts = [" ".join(a["text"][s:e].split()) for a in articles for s, e in quoted.get(a["id"], ())]
    story = StoryText()
    doc_freq: dict[str, int] = defaultdict(int)
    for article in articles:
        seen: set[str] = set()
        position = 0
        for start, end in sentence_spans(article["text"]):
            start += dateline_length(article["text"][start:end])
            end = start + clause_length(article["text"][start:end])
            text = article["text"][start:end]
            if not is_account_sentence(text, article.get("title")):
                continue
            if _inside(start, end, quoted.get(article["id"], [])):
                continue
            if any(" ".join(text.split()) in quote for quote in quote_texts):
                continue
            sentence = Sentence(article["id"], start, end, text, position, content_words(text))
            position += 1
            for word in sentence.words:
                story.by_word[word].append(len(story.sentences))
            story.sentences.append(sentence)
            seen |= sentence.words
        for word in seen:
            doc_freq[word] += 1
    n = max(1, len(articles))
    story.idf = {w: math.log(1 + n / df) for w, df in doc_freq.items()}
    weights = sorted(story.weight(s.words) for s in story.sentences)
    story.floor = weights[len(weights) // 2] if weights else 1.0
    return story


def overlap(story: StoryText, a: frozenset[str], b: frozenset[str]) -> float:
    """Share of ``a``'s weighted content that ``b`` also says."""
    total = sum(story.idf.get(w, 1.0) for w in a)
    return sum(story.idf.get(w, 1.0) for w in a & b) / total if total else 0.0


def best_matches(story: StoryText, index: int) -> dict[str, tuple[int, float]]:
    """For each other article, its sentence that says most of sentence ``index``, with the overlap."""
    sentence = story.sentences[index]
    hits: dict[int, float] = defaultdict(float)
    for word in sentence.words:
        weight = story.idf.get(word, 1.0)
        if len(story.by_word[word]) > MAX_POSTINGS:
            continue  # a word in hundreds of sentences says little about which ones match (and costs most)
        for other in story.by_word[word]:
            if story.sentences[other].article_id != sentence.article_id:
                hits[other] += weight
    total = max(story.weight(sentence.words), story.floor) or 1.0
    best: dict[str, tuple[int, float]] = {}
    for other, weight in hits.items():
        article_id = story.sentences[other].article_id
        if weight / total > best.get(article_id, (-1, 0.0))[1]:
            best[article_id] = (other, weight / total)
    return best


def _carriers(story: StoryText, index: int, matches: dict[str, tuple[int, float]]) -> list[str]:
    sentence = story.sentences[index]
    carriers = [sentence.article_id]
    for article_id, (other, forward) in matches.items():
        if forward >= NEAR_IDENTICAL and overlap(story, story.sentences[other].words, sentence.words) >= NEAR_IDENTICAL:
            carriers.append(article_id)
    return carriers


def _score(story: StoryText, index: int, matches: dict[str, tuple[int, float]], origin_of: dict[str, str],
           salient: dict[str, list[tuple[int, int]]], recency: dict[str, float]) -> float:
    sentence = story.sentences[index]
    own = origin_of[sentence.article_id]
    by_origin: dict[str, float] = {}
    for article_id, (_, value) in matches.items():
        origin = origin_of[article_id]
        if origin != own:  # copies of the same origin do not corroborate each other
            by_origin[origin] = max(by_origin.get(origin, 0.0), value)
    support = sum(v for v in by_origin.values() if v >= 0.2)
    is_salient = any(s < sentence.end and sentence.start < e for s, e in salient.get(sentence.article_id, ()))
    return (WEIGHTS["support"] * support + WEIGHTS["salient"] * is_salient
            + WEIGHTS["lead"] * (sentence.position < LEAD_SENTENCES)
            + WEIGHTS["recent"] * recency.get(sentence.article_id, 0.0))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def redundant(story: StoryText, a: Sentence, b: Sentence) -> bool:
    """Two sentences saying one fact: mostly the same words, or the same figure in similar words."""
    if jaccard(a.words, b.words) >= REDUNDANT:
        return True
    shared_figures = {w for w in a.words & b.words if w[0].isdigit() and not YEAR.fullmatch(w)}
    if not shared_figures:
        return False
    # a coincident number alone ("320 civilians" / "320 followers") is not the same fact: compare the rest
    words_a, words_b = a.words - shared_figures, b.words - shared_figures
    return max(overlap(story, words_a, words_b), overlap(story, words_b, words_a)) >= SAME_FIGURE


def shortlist(story: StoryText, n_articles: int) -> list[int]:
    """The sentences worth matching in full: on large stories, those whose words recur in most articles
    (a cheap stand-in for cross-outlet support; matching every sentence against all others is quadratic)."""
    if len(story.sentences) <= MAX_SCORED:
        return list(range(len(story.sentences)))

    def recurrence(index: int) -> float:
        words = story.sentences[index].words
        # idf is log(1 + n/df): invert it to the share of articles using each word
        shares = [1 / (math.exp(story.idf.get(w, 1.0)) - 1) for w in words]
        return sum(shares) / max(len(shares), 1) + (story.sentences[index].position < LEAD_SENTENCES)

    return sorted(range(len(story.sentences)), key=recurrence, reverse=True)[:MAX_SCORED]


def choose_account(articles: list[dict[str, Any]], origin_of: dict[str, str], spans: AccountSpans,
                   *, limit: int = 8) -> list[Pick]:
    """Greedy choice of central, non-redundant sentences, ordered by event/publication date, then centrality."""
    story = index_story(articles, spans.quoted)
    salient, dated = spans.salient, spans.dated
    # An estimated date (the latest date the text mentions) is a lower bound: it neither dates a sentence
    # nor earns a recency bonus.
    known = {a["id"]: a["published"] for a in articles if a.get("published_source") != "estimated"}
    ranked_dates = sorted({d for d in known.values() if d is not None})
    recency = {aid: (ranked_dates.index(d) + 1) / len(ranked_dates) for aid, d in known.items() if d}
    scored = []
    for index in shortlist(story, len(articles)):
        matches = best_matches(story, index)
        scored.append((_score(story, index, matches, origin_of, salient, recency), index, matches))
    scored.sort(key=lambda item: (-item[0], story.sentences[item[1]].article_id, item[1]))
    picks: list[Pick] = []
    for score, index, matches in scored:
        sentence = story.sentences[index]
        if any(redundant(story, sentence, p.sentence) for p in picks):
            continue
        if sum(p.sentence.article_id == sentence.article_id for p in picks) >= PER_ARTICLE:
            continue  # draw on every outlet rather than retell one article
        carriers = _carriers(story, index, matches)
        sentence = _earliest_copy(story, index, matches, carriers, articles)
        date = _sentence_date(sentence, dated) or min((known[c] for c in carriers if known.get(c)), default=None)
        picks.append(Pick(sentence, tuple(carriers), len({origin_of[c] for c in carriers}), round(score, 3), date))
        if len(picks) >= limit:
            break
    # Dated sentences in time order; undated ones after them, most central first.
    return sorted(picks, key=lambda p: (p.date is None, p.date or datetime.min, -p.score if p.date is None else 0,
                                        p.sentence.article_id, p.sentence.start))


def _earliest_copy(story: StoryText, index: int, matches: dict[str, tuple[int, float]], carriers: list[str],
                   articles: list[dict[str, Any]]) -> Sentence:
    """The copy of a sentence in the earliest carrying article: quote the first to publish it."""
    first = next(a["id"] for a in articles if a["id"] in carriers)
    if first == story.sentences[index].article_id:
        return story.sentences[index]
    return story.sentences[matches[first][0]]


def _sentence_date(sentence: Sentence, dated: dict[str, list[tuple[int, int, datetime]]]) -> datetime | None:
    for start, end, when in dated.get(sentence.article_id, ()):
        if start < sentence.end and sentence.start < end:
            return when
    return None


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence span of ``text`` containing [start, end) (the whole line when no break is found)."""
    for s, e in sentence_spans(text):
        if s <= start < e or (s < end <= e):
            return s, max(e, min(end, len(text)))
    return start, end


def crosses_sentences(text: str) -> bool:
    """The snippet runs over a line or sentence break."""
    return "\n" in text or SENTENCE_BREAK.search(text) is not None
