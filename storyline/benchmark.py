"""`storyline bench`: end-to-end speed and memory against bare spaCy, measured in the same run.

Builds N varied articles in memory from the demo corpus (paragraphs re-mixed with a fixed seed so that
articles differ), times spaCy's full ``nlp.pipe`` on the texts, then storyline's whole per-article path
(cleaning, dedupe, NLP, every stage, SQLite writes, cross-document update) on the same texts.
"""

from __future__ import annotations

import random
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from storyline.ingest import read_inputs
from storyline.ingest.cleaning import clean_text
from storyline.pipeline import Context
from storyline.records import Article, OffsetSegment, content_id
from storyline.runner import RunOptions, run_corpus
from storyline.stage_clock import PROCESS_CLOCK
from storyline.store import Store

DEMO_DIR = Path(__file__).parent / "data" / "demo"


def bench_corpus(n: int, seed: int = 13, *, article_words: int | None = None) -> list[str]:
    """N texts re-mixed from the demo corpus paragraphs (deterministic): 5–9 paragraphs each (~270 words), or,
    with ``article_words``, paragraphs drawn until the text reaches that many words (news reports run 500–700)."""
    paragraphs: list[str] = []
    for item in read_inputs([DEMO_DIR]):
        if isinstance(item, Article):
            paragraphs.extend(p for p in item.text.split("\n") if len(p.split()) >= 8)
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        if article_words is None:
            chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(5, 9)))
        else:
            chosen = _paragraphs_for_length(paragraphs, article_words, rng)
        texts.append(f"Report {i}\n\n" + "\n\n".join(chosen))
    return texts


def _paragraphs_for_length(paragraphs: list[str], words: int, rng: random.Random) -> list[str]:
    """Paragraphs in random order until they hold ``words`` words (a paragraph repeats only once all were used)."""
    chosen: list[str] = []
    total = 0
    while total < words:
        for paragraph in rng.sample(paragraphs, k=len(paragraphs)):
            chosen.append(paragraph)
            total += len(paragraph.split())
            if total >= words:
                break
    return chosen


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024.0


def _current_rss_mb() -> float:
    """This process's resident memory now (Linux /proc; 0 where unavailable): unlike the peak, it shows
    whether the driver grows while a run stores articles."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / (1024.0 * 1024.0)


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """CPU time of this process (or its finished children): less noisy than wall time on a shared machine."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _all_cpu_seconds() -> float:
    return cpu_seconds() + cpu_seconds(resource.RUSAGE_CHILDREN)


def _as_article(index: int, raw: str) -> Article:
    text, segments = clean_text(raw)
    return Article(
        id=content_id(text, f"bench:{index}"),
        text=text,
        raw_text=raw,
        segments=segments or (OffsetSegment(0, 0, len(text)),),
        origin=f"bench:{index}",
    )


def run_benchmark(
    n_articles: int,
    *,
    processes: int = 1,
    batch_size: int = 16,
    engine: str = "local",
    workers: int = 2,
    article_words: int | None = None,
) -> dict[str, Any]:
    texts = bench_corpus(n_articles, article_words=article_words)
    words = sum(len(t.split()) for t in texts)
    ctx = Context()
    nlp = ctx.nlp
    list(nlp.pipe(texts[:8]))  # warm-up: first call pays for lazy initialisation
    # Warm storyline's own resources too (gazetteer, typer, matchers), as spaCy's model is already loaded.
    from storyline.pipeline import analyze_articles

    list(analyze_articles((_as_article(-1 - i, t) for i, t in enumerate(texts[:8])), ctx))
    from storyline.nlp.model import bare_model

    started, cpu_started = time.perf_counter(), _all_cpu_seconds()
    with bare_model(nlp):
        spacy_pipeline = list(nlp.pipe_names)
        for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=processes):
            pass
    spacy_seconds, spacy_cpu = time.perf_counter() - started, _all_cpu_seconds() - cpu_started
    PROCESS_CLOCK.reset()
    with tempfile.TemporaryDirectory() as tmp:
        # The articles go in as files, so the run reads and cleans them as `storyline run` does.
        inputs = Path(tmp) / "articles"
        inputs.mkdir()
        for i, text in enumerate(texts):
            (inputs / f"{i:06d}.txt").write_text(text, encoding="utf-8")
        store = Store(Path(tmp) / "bench.db")
        started, cpu_started, own_started = time.perf_counter(), _all_cpu_seconds(), cpu_seconds()
        rss_before = _current_rss_mb()
        options = RunOptions(n_process=processes, batch_size=batch_size, engine=engine, workers=workers)
        summary = run_corpus([inputs], store, options)
        seconds, cpu = time.perf_counter() - started, _all_cpu_seconds() - cpu_started
        own_cpu = cpu_seconds() - own_started
        driver_growth = _current_rss_mb() - rss_before
        store.close()
    return {
        "articles": n_articles,
        "words": words,
        "words_per_article": round(words / n_articles, 1),
        "processes": processes,
        "engine": engine,
        "workers": workers if engine == "dask" else None,
        "seconds": round(seconds, 2),
        "articles_per_s": round(n_articles / seconds, 2),
        "words_per_s": round(words / seconds, 1),
        "spacy_words_per_s": round(words / spacy_seconds, 1),
        "spacy_pipeline": spacy_pipeline,
        "ratio": round(spacy_seconds / seconds, 3),
        "cpu_seconds": round(cpu, 2),
        "main_process_cpu_seconds": round(own_cpu, 2),
        # Per article, without the cross-document update at the end (its own figure): what the main process
        # takes from the cores that parse while the articles stream through.
        "driver_cpu_ms_per_article": round(1000 * (own_cpu - summary.crossdoc_cpu_seconds) / n_articles, 2),
        "crossdoc_cpu_seconds": round(summary.crossdoc_cpu_seconds, 2),
        "spacy_cpu_seconds": round(spacy_cpu, 2),
        "cpu_ratio": round(spacy_cpu / cpu, 3) if cpu > 0 else None,
        "stage_cpu_ms_per_article": PROCESS_CLOCK.summary(),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        # Compare two N: a fixed start-up cost (Dask's scheduler, caches) against growth with the corpus.
        "driver_rss_growth_mb": round(driver_growth, 1),
        "stored": summary.stored,
        "rejected": summary.rejected,
        **serial_parts(summary),
        **(dask_cpu_split(summary, n_articles) if engine == "dask" else {}),
    }


def serial_parts(summary: Any) -> dict[str, float | None]:
    """The serial parts of a run's wall time, which cap the speed-up from more workers, and the rate between
    them (wall seconds; the first result counts from the engine's start: pools or cluster, model loads)."""
    steady = summary.steady_articles_per_s
    return {
        "engine_start_seconds": round(summary.engine_start_seconds, 2),
        "first_result_seconds": round(summary.first_result_seconds, 2),
        "crossdoc_update_seconds": round(summary.crossdoc_seconds, 2),
        "steady_articles_per_s": round(steady, 2) if steady else None,
    }


def dask_cpu_split(summary: Any, n_articles: int) -> dict[str, float]:
    """A Dask run's worker CPU per article (the driver's is reported for both engines)."""
    return {"worker_cpu_ms_per_article": round(1000 * summary.worker_cpu_seconds / n_articles, 2)}


def crossdoc_scaling(
    sizes: tuple[int, ...] = (1000, 4000, 16000), batches: int = 10, batch_articles: int | None = None
) -> dict[str, Any]:
    """Seconds, ms per article and peak memory of the cross-document update at each size, after one big
    batch and after ``batches`` chronological batches, or batches of ``batch_articles`` each
    (storyline.bench_crossdoc builds the corpus)."""
    from storyline.bench_crossdoc import crossdoc_scaling as scaling

    return scaling(sizes, batches, batch_articles)
