"""Dask scale-out measured by CPU, not only wall time: driver CPU per article vs worker CPU per article.

``run_dask_benchmark(n, workers=k)`` runs the whole Dask path (``run_articles`` with engine "dask") on the
benchmark corpus and returns wall speed plus the CPU split, from which the speed-up on k dedicated cores
follows even on a shared machine where wall time is noisy.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from storyline.benchmark import bench_corpus
from storyline.ingest.cleaning import clean_text
from storyline.records import Article, OffsetSegment, content_id
from storyline.runner import RunOptions, run_articles
from storyline.store import Store


def _article(index: int, raw: str) -> Article:
    text, segments = clean_text(raw)
    return Article(
        id=content_id(text, f"bench:{index}"),
        text=text,
        raw_text=raw,
        segments=segments or (OffsetSegment(0, 0, len(text)),),
        origin=f"bench:{index}",
    )


def projected_speedup(worker_cpu_per_article: float, driver_cpu_per_article: float, workers: int) -> float:
    """Speed-up of k workers over one on k dedicated cores: one worker leaves the driver a free core; k
    workers share the k cores with the driver (its CPU is the part that does not scale)."""
    if workers <= 1:
        return 1.0
    one_worker = max(worker_cpu_per_article, driver_cpu_per_article)
    k_workers = max((worker_cpu_per_article + driver_cpu_per_article) / workers, driver_cpu_per_article)
    return round(one_worker / k_workers, 2) if k_workers else 0.0


def run_dask_benchmark(
    n_articles: int, *, workers: int = 2, chunk_size: int = 32, batch_size: int = 16
) -> dict[str, Any]:
    texts = bench_corpus(n_articles)
    articles = [_article(i, t) for i, t in enumerate(texts)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        options = RunOptions(engine="dask", workers=workers, chunk_size=chunk_size, batch_size=batch_size)
        cpu_started, main_started, started = time.process_time(), time.thread_time(), time.perf_counter()
        summary = run_articles(iter(articles), store, options)
        seconds = time.perf_counter() - started
        # The process includes Dask's scheduler and nannies (event-loop thread, partly a fixed cost per
        # second); the main thread is storyline's own driver work: dedupe lookups, inserts, submissions.
        driver_cpu = time.process_time() - cpu_started
        main_thread_cpu = time.thread_time() - main_started
        store.close()
    crossdoc_cpu = summary.crossdoc_cpu_seconds
    per_article_driver = (driver_cpu - crossdoc_cpu) / n_articles
    per_article_worker = summary.worker_cpu_seconds / n_articles
    return {
        "articles": n_articles,
        "engine": "dask",
        "workers": workers,
        "chunk_size": chunk_size,
        "stored": summary.stored,
        "seconds": round(seconds, 2),
        "articles_per_s": round(n_articles / seconds, 2),
        "driver_cpu_s": round(driver_cpu, 2),
        "crossdoc_s": round(crossdoc_cpu, 2),
        "driver_cpu_ms_per_article": round(1000 * per_article_driver, 2),
        "driver_main_thread_ms_per_article": round(1000 * (main_thread_cpu - crossdoc_cpu) / n_articles, 2),
        "worker_cpu_ms_per_article": round(1000 * per_article_worker, 2),
        "projected_speedup_vs_1_worker": projected_speedup(per_article_worker, per_article_driver, workers),
        "driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
