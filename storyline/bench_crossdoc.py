"""Scaling of the cross-document update on a synthetic corpus shaped like real news (`storyline bench --crossdoc`).

Builds N stored-looking analyses without NLP: stories of varied size, 15–30 mentions per article with
spelling variants and typos, ~20 % syndicated copies, events with places, dates and actors. Names follow a
Zipf-like law over an open vocabulary, as in real news (a few names everywhere, a long tail of new ones);
``names="uniform"`` keeps the first generator (a fixed pool of short names drawn uniformly) for comparison.
Times one update after storing everything and the total of K updates after K chronological batches, with
peak memory.
Each measurement runs in a fresh process: memory a previous one freed but the allocator kept would otherwise
hide what the next one needs.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

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
from storyline.store import Store, rows

COPY_SHARE = 0.2  # syndicated copies among articles
TYPO_SHARE = 0.08  # mentions spelled with a typo
VARIANT_SHARE = 0.15  # articles that transliterate a name their own way ("Youssef" for "Yusuf")
GLOBAL_SHARE = 0.2  # mentions of recurring names that cross stories (leaders, agencies, capitals)
EVENT_TYPES = (
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
)
SPELLING_SWAPS = (("ou", "u"), ("kh", "k"), ("ee", "i"), ("y", "i"), ("ss", "s"), ("a", "e"))
ORGANISATION_WORDS = ("Forces", "Front", "Council", "Brigade", "Movement", "Party", "Army", "Union", "Ministry")
# name kind → (ranks covering about half of all draws, offset into the word space): first names are the most
# concentrated, places and organisations the least; every kind has an unbounded tail of rare names.
ZIPF_NAMES = {"first": (20, 0), "surname": (200, 1), "organisation": (100, 2), "place": (150, 3)}
NAME_MODELS = ("zipf", "uniform")
VERBS = ("said", "told reporters", "was seen in", "met officials in", "denied reports from", "visited")


def _word(number: int, suffix: str = "") -> str:
    """A distinct pronounceable word per non-negative number."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    out = "" if number >= 0 else "o"
    number = abs(number)
    while True:
        number, c = divmod(number, len(consonants))
        number, v = divmod(number, len(vowels))
        out += consonants[c] + vowels[v]
        if number == 0:
            return out + suffix


@dataclass(frozen=True)
class Cast:
    """The names and places one story keeps mentioning, and its date."""

    people: tuple[str, ...]
    organisations: tuple[str, ...]
    places: tuple[tuple[str, int, float, float], ...]  # name, gazetteer id, latitude, longitude
    words: tuple[str, ...]
    start: datetime


def _zipf_word(kind: str, rng: random.Random, suffix: str = "") -> str:
    """A name drawn by rank with P(rank >= r) ~ half / r: the same common names recur, the tail is open.

    Ranks are spread over three-syllable words (a bijection of the rank), so phonetic keys vary as real
    names' do instead of all sharing a handful of two-letter skeletons."""
    half, offset = ZIPF_NAMES[kind]
    rank = int(half * (rng.paretovariate(1.0) - 1.0))
    words = 70**3 - 70**2  # three-syllable words of _word
    return _word(70**2 + (rank * 7919 + offset * 100003) % words, suffix)


def _person(rng: random.Random, names: str) -> str:
    if names == "uniform":
        return f"{_word(rng.randint(0, 400)).title()} {_word(rng.randint(0, 4000), 'i').title()}"
    return f"{_zipf_word('first', rng).title()} {_zipf_word('surname', rng, 'i').title()}"


def _organisation(rng: random.Random, names: str) -> str:
    if names == "uniform":
        return f"{_word(rng.randint(0, 2000)).title()} Forces"
    return f"{_zipf_word('organisation', rng).title()} {ORGANISATION_WORDS[int(rng.paretovariate(1.2)) % 9]}"


def _place_name(rng: random.Random, names: str) -> str:
    return (
        _word(rng.randint(0, 3000), "ville").title()
        if names == "uniform"
        else _zipf_word("place", rng, "ville").title()
    )


def _cast(story: int, rng: random.Random, names: str = "zipf") -> Cast:
    places = tuple(
        (
            _place_name(rng, names),
            900000 + story * 10 + k,
            rng.uniform(-40, 60),
            rng.uniform(-20, 80),
        )
        for k in range(rng.randint(1, 3))
    )
    return Cast(
        people=tuple(_person(rng, names) for _ in range(rng.randint(3, 8))),
        organisations=tuple(_organisation(rng, names) for _ in range(rng.randint(1, 3))),
        places=places,
        words=tuple(_word(story * 16 + k, "ia") for k in range(12)),
        start=datetime(2020, 1, 1) + timedelta(days=rng.randint(0, 730)),
    )


def _respelled(name: str, rng: random.Random) -> str:
    """A transliteration variant, else a typo (a letter dropped or doubled)."""
    for written, other in rng.sample(SPELLING_SWAPS, len(SPELLING_SWAPS)):
        if written in name:
            return name.replace(written, other, 1)
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


def _names(cast: Cast, shared: Cast, rng: random.Random) -> list[tuple[str, str, str]]:
    """(surface, label, within-article key) for 15–30 mentions of one article."""
    spelled = {p: (_respelled(p, rng) if rng.random() < VARIANT_SHARE else p) for p in cast.people + shared.people}
    out = []
    for _ in range(rng.randint(15, 30)):
        source = shared if rng.random() < GLOBAL_SHARE else cast
        kind = rng.random()
        if kind < 0.6:
            key = spelled[rng.choice(source.people)]
            surface = key if rng.random() < 0.5 else key.split()[-1]  # later mentions: the surname
            label = "PERSON"
        elif kind < 0.8:
            key = surface = rng.choice(source.organisations)
            label = "ORG"
        else:
            key = surface = rng.choice(source.places)[0]
            label = "GPE"
        if rng.random() < TYPO_SHARE:
            surface = key = _respelled(surface, rng)
        out.append((surface, label, key))
    return out


def _article(index: int, story: int, cast: Cast, shared: Cast, rng: random.Random) -> ArticleAnalysis:
    names = _names(cast, shared, rng)
    filler = [_word(rng.randint(0, 3000), "um") for _ in range(30)]
    parts = [" ".join(rng.sample(cast.words, 8) + filler) + "."]
    offsets = []
    cursor = len(parts[0]) + 1
    for surface, _, _ in names:
        offsets.append(cursor)
        sentence = f"{surface} {rng.choice(VERBS)} {rng.choice(filler)}."
        parts.append(sentence)
        cursor += len(sentence) + 1
    text = " ".join(parts)
    published = cast.start + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 23))
    art = Article(
        id=content_id("crossdoc-bench", index),
        text=text,
        raw_text=text,
        segments=(OffsetSegment(0, 0, len(text)),),
        origin=f"synthetic:{index}",
        title=f"{cast.words[0]} {cast.words[1]} {index}",
        published=published,
    )
    mentions = tuple(
        Mention(Evidence(art.id, o, o + len(s)), s, label, key)
        for o, (s, label, key) in zip(offsets, names, strict=True)
    )
    places, events = _events(art, cast, mentions, rng)
    return ArticleAnalysis(art, mentions=mentions, places=places, events=events)


def _events(
    art: Article, cast: Cast, mentions: tuple[Mention, ...], rng: random.Random
) -> tuple[tuple[PlaceRef, ...], tuple[Event, ...]]:
    places, events = [], []
    for k in range(rng.randint(1, 4)):
        anchor = mentions[k % len(mentions)].evidence
        name, gid, lat, lon = rng.choice(cast.places)
        place = PlaceRef(anchor, name, name, gid, lat, lon) if rng.random() < 0.7 else None
        day = cast.start + timedelta(days=rng.choice((0, 0, 1, 3)))
        date = (
            TimeRef(anchor, "that day", "DATE", day.date().isoformat(), day, day + timedelta(days=1), DatePrecision.DAY)
            if rng.random() < 0.6
            else None
        )
        event_type, sub_type = EVENT_TYPES[(cast.places[0][1] + k) % len(EVENT_TYPES)]
        actor = rng.choice(cast.organisations) if rng.random() < 0.5 else None
        events.append(Event(anchor, "attack", event_type, sub_type, actor1=actor, location=place, date=date))
        places.extend([place] if place else [])
    return tuple(places), tuple(events)


def synthetic_corpus(n: int, seed: int, names: str = "zipf") -> Iterator[tuple[ArticleAnalysis, str | None]]:
    """(analysis, id of the article it copies or None) in publication order; story sizes are heavy-tailed.
    ``names``: one of NAME_MODELS (see the module docstring)."""
    if names not in NAME_MODELS:
        raise ValueError(f"names must be one of {NAME_MODELS}, not {names!r}")
    rng = random.Random(seed)
    shared = _cast(-1, rng, names)
    items: list[tuple[ArticleAnalysis, str | None]] = []
    story = 0
    while len(items) < n:
        cast, size = _cast(story, rng, names), min(400, max(1, int(rng.paretovariate(1.1))))
        originals: list[ArticleAnalysis] = []
        for _ in range(min(size, n - len(items))):
            if originals and rng.random() < COPY_SHARE:
                source = rng.choice(originals)
                copy = Article(
                    id=content_id("crossdoc-bench-copy", len(items)),
                    text=source.article.text,
                    raw_text=source.article.text,
                    segments=source.article.segments,
                    origin=f"synthetic:{len(items)}",
                    title=source.article.title,
                    published=(source.article.published or cast.start) + timedelta(hours=rng.randint(1, 30)),
                )
                items.append((_recast(source, copy), source.article.id))
            else:
                originals.append(_article(len(items), story, cast, shared, rng))
                items.append((originals[-1], None))
        story += 1
    items.sort(key=lambda item: item[0].article.published or datetime.min)
    return iter(items)


def _recast(source: ArticleAnalysis, copy: Article) -> ArticleAnalysis:
    """The source's records pointing at the copy (a syndicated copy is analysed like any article)."""

    def moved(evidence: Evidence) -> Evidence:
        return Evidence(copy.id, evidence.start, evidence.end)

    mentions = tuple(Mention(moved(m.evidence), m.text, m.label, m.entity_key) for m in source.mentions)
    places = {
        p: PlaceRef(moved(p.evidence), p.text, p.name, p.geonames_id, p.latitude, p.longitude) for p in source.places
    }
    events = tuple(
        Event(
            moved(e.evidence),
            e.trigger,
            e.event_type,
            e.sub_event_type,
            actor1=e.actor1,
            location=places.get(e.location) if e.location else None,
            date=TimeRef(
                moved(e.date.evidence),
                e.date.text,
                e.date.timex_type,
                e.date.value,
                e.date.start,
                e.date.end,
                e.date.precision,
            )
            if e.date
            else None,
        )
        for e in source.events
    )
    return ArticleAnalysis(copy, mentions=mentions, places=tuple(places.values()), events=events)


def _store_batch(store: Store, batch: list[tuple[ArticleAnalysis, str | None]]) -> None:
    encoded = [rows.analysis_rows(analysis, store.dialect) for analysis, _ in batch]
    store.save_rows(encoded, duplicates={a.article.id: original for a, original in batch if original})


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux), so each measurement starts from the current size."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _timed_updates(n: int, batches: int, seed: int, names: str = "zipf") -> dict[str, Any]:
    """Store n synthetic articles in ``batches`` chronological batches, updating after each."""
    from storyline.crossdoc.update import update_crossdoc

    corpus = list(synthetic_corpus(n, seed, names))
    size = -(-n // batches)
    seconds: list[float] = []
    cpu: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "crossdoc.db")
        _reset_peak_rss()
        before = _peak_rss_mb()  # the corpus held in memory, not the update's own use
        for start in range(0, n, size):
            _store_batch(store, corpus[start : start + size])
            if start + size >= n:  # the store as the last update finds it, to trace that update on its own
                _copy_sqlite(Path(tmp) / "crossdoc.db", Path(tmp) / "before_last.db")
            started, started_cpu = time.perf_counter(), time.process_time()
            summary = update_crossdoc(store)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        peak = _peak_rss_mb()
        store.close()
        last_traced = _traced_peak_mb(Path(tmp) / "before_last.db")
    return {
        "seconds": round(sum(seconds), 2),
        "ms_per_article": round(1000 * sum(seconds) / n, 2),
        "last_batch_ms_per_article": round(1000 * seconds[-1] / len(corpus[(len(seconds) - 1) * size :]), 2),
        # CPU time: on a shared machine wall-clock figures mostly measure the neighbours
        "cpu_ms_per_article": round(1000 * sum(cpu) / n, 2),
        "last_batch_cpu_ms_per_article": round(1000 * cpu[-1] / len(corpus[(len(cpu) - 1) * size :]), 2),
        "last_events_read": summary.events_read,
        "last_entities_read": summary.entities_read,
        "stories": summary.stories,
        "entities": summary.entities,
        "copies": sum(1 for _, original in corpus if original),
        "mentions": sum(len(a.mentions) for a, _ in corpus),
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(before, 1),
        # What storing and updating needed on top of the corpus held in memory: flat across N if bounded.
        "update_rss_growth_mb": round(peak - before, 1),
        # Python allocations at the peak of the last update alone, replayed on a copy of the store it found:
        # RSS keeps the allocator's high-water mark of all earlier batches (pymalloc frees an arena only when
        # it is empty) and the process-wide name caches filling up, so it cannot show one batch's own use.
        "last_update_traced_peak_mb": last_traced,
    }


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store (its WAL included), through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _traced_peak_mb(path: Path) -> float:
    """Peak traced Python allocations of one cross-document update of the store at ``path``."""
    from storyline.crossdoc.update import update_crossdoc

    store = Store(path)
    tracemalloc.start()
    try:
        update_crossdoc(store)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        store.close()
    return round(peak / 2**20, 1)


def _timed_updates_in_fresh_process(n: int, batches: int, seed: int, names: str = "zipf") -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_timed_updates, n, batches, seed, names).result()


def crossdoc_scaling(
    sizes: tuple[int, ...] = (1000, 4000, 16000), batches: int = 10, batch_articles: int | None = None
) -> dict[str, Any]:
    """Per size: one update after storing everything, and the total of the updates after each of K batches
    (``batches`` per size, or batches of ``batch_articles`` each: what a stream of runs does, so the last
    batch's figures show whether one batch's cost follows the batch or the store)."""
    timings: dict[str, Any] = {}
    mode = f"batches_of_{batch_articles}" if batch_articles else f"{batches}_batches"
    for n in sizes:
        timings[str(n)] = {
            "one_update": _timed_updates_in_fresh_process(n, 1, seed=n),
            mode: _timed_updates_in_fresh_process(n, -(-n // batch_articles) if batch_articles else batches, seed=n),
        }
    first, last = str(sizes[0]), str(sizes[-1])
    for measured in ("one_update", mode):
        growth = timings[last][measured]["ms_per_article"] / max(timings[first][measured]["ms_per_article"], 1e-6)
        timings[f"{measured}_ms_per_article_growth"] = round(growth, 2)  # 1.0 = flat: cost follows new articles
    return timings
