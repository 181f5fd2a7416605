"""``run_corpus``: inputs → articles → (dedupe) → per-article analysis → store → cross-document stages.

The library entry point the CLI, the benchmark and the Dask engine share. Each article is stored in its
own transaction as soon as it is analysed; articles already in the database are skipped, so an
interrupted run resumes where it stopped and a rerun adds nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from storyline.errors import ConfigError
from storyline.ingest import read_inputs
from storyline.pipeline import STAGES, Context, Stage, analyze_articles
from storyline.records import Article, ArticleAnalysis, ArticleLink, DatePrecision, Rejected
from storyline.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    max_bytes: int = 20_000_000
    batch_size: int = 16
    n_process: int = 1
    model_name: str | None = None
    stages: tuple[Stage, ...] = STAGES
    progress: bool = False
    engine: str = "local"  # "local" | "dask"
    scheduler: str | None = None  # Dask scheduler address; None starts a local cluster
    workers: int = 2  # workers of the local Dask cluster
    chunk_size: int = 32  # articles per Dask task


@dataclass
class RunSummary:
    run_id: int
    stored: int = 0
    skipped: int = 0
    duplicates: int = 0
    rejected: int = 0
    words: int = 0
    seconds: float = 0.0
    stories: int = 0
    entities: int = 0
    rejections: list[Rejected] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rejected == 0


@dataclass
class _Pending:
    links: list[ArticleLink]
    duplicate_of: str | None


def run_corpus(
    inputs: Sequence[str | Path],
    store: Store,
    options: RunOptions = RunOptions(),
    *,
    stdin: TextIO | None = None,
    on_rejection: Callable[[Rejected], None] | None = None,
) -> RunSummary:
    """Read, analyse and store every article of ``inputs``; returns counts and the rejections."""
    items = read_inputs(list(inputs), max_bytes=options.max_bytes, stdin=stdin)
    return run_articles(items, store, options, labels=[str(p) for p in inputs], on_rejection=on_rejection)


def run_articles(
    items: Iterable[Article | Rejected],
    store: Store,
    options: RunOptions = RunOptions(),
    *,
    labels: Sequence[str] = (),
    on_rejection: Callable[[Rejected], None] | None = None,
) -> RunSummary:
    """Analyse and store already-read articles (rejections are recorded as they come)."""
    started = time.perf_counter()
    summary = RunSummary(run_id=store.begin_run(list(labels)))
    ctx = Context(model_name=options.model_name)
    dedupe = _DuplicateTracker(store)
    pending: dict[str, _Pending] = {}
    waiting = _WaitingLinks()

    def reject(rejection: Rejected) -> None:
        summary.rejected += 1
        summary.rejections.append(rejection)
        store.save_rejection(rejection, summary.run_id)
        if on_rejection:
            on_rejection(rejection)

    def to_analyse() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Rejected):
                reject(item)
                continue
            if item.id in pending or store.has_article(item.id):
                summary.skipped += 1
                continue
            article = with_estimated_date(item)
            links, duplicate_of = dedupe.add(article)
            if duplicate_of and any(link.kind == "exact_duplicate" for link in links):
                # Same text already analysed: store the copy and its link, not its facts a second time.
                store.save_analysis(ArticleAnalysis(article), links=waiting.hold(links, pending),
                                    duplicate_of=duplicate_of, run_id=summary.run_id)
                summary.duplicates += 1
                continue
            summary.duplicates += duplicate_of is not None
            pending[article.id] = _Pending(links, duplicate_of)
            yield article

    status = "interrupted"
    try:
        analyses = _analyses(to_analyse(), ctx, options)
        for analysis in _progress(analyses, options.progress):
            extra = pending.pop(analysis.article.id)
            store.save_analysis(analysis, links=waiting.hold(extra.links, pending),
                                duplicate_of=extra.duplicate_of, run_id=summary.run_id)
            store.save_links(waiting.release(analysis.article.id))
            summary.stored += 1
            summary.words += len(analysis.article.text.split())
        from storyline.crossdoc.update import update_crossdoc

        crossdoc = update_crossdoc(store)
        summary.stories, summary.entities = crossdoc.stories, crossdoc.entities
        status = "failed" if summary.rejected else "done"
    finally:
        summary.seconds = time.perf_counter() - started
        store.finish_run(summary.run_id, stored=summary.stored, skipped=summary.skipped,
                         rejected=summary.rejected, status=status)
    return summary


class _WaitingLinks:
    """Links whose earlier article is still being analysed (Dask finishes chunks out of order): they are
    written once that article is stored, so a link never points at a missing row."""

    def __init__(self) -> None:
        self._by_target: dict[str, list[ArticleLink]] = {}

    def hold(self, links: list[ArticleLink], pending: dict[str, _Pending]) -> list[ArticleLink]:
        ready = []
        for link in links:
            if link.target_id in pending:
                self._by_target.setdefault(link.target_id, []).append(link)
            else:
                ready.append(link)
        return ready

    def release(self, stored_id: str) -> list[ArticleLink]:
        return self._by_target.pop(stored_id, [])


def with_estimated_date(article: Article) -> Article:
    """Articles without a known date get one estimated from their own dated references, marked so."""
    if article.published is not None:
        return article
    from storyline.nlp.times import estimate_publication_date

    estimate = estimate_publication_date(article.text)
    if estimate is None:
        return article
    when, precision = estimate
    return replace(article, published=when, published_precision=DatePrecision(precision),
                   published_source="estimated")


def _analyses(articles: Iterable[Article], ctx: Context, options: RunOptions) -> Iterator[ArticleAnalysis]:
    if options.engine == "dask":
        from storyline.engines import DaskEngine

        engine = DaskEngine(scheduler=options.scheduler, workers=options.workers, chunk_size=options.chunk_size)
        names = tuple(stage.name for stage in options.stages)
        return engine.analyze(articles, options.model_name, names, options.batch_size)
    if options.engine != "local":
        raise ConfigError(f"unknown engine {options.engine!r}; choose local or dask")
    return analyze_articles(articles, ctx, stages=options.stages, batch_size=options.batch_size,
                            n_process=options.n_process)


class _DuplicateTracker:
    """Wraps the MinHash/passage index, rebuilt from the stored articles when the run starts."""

    def __init__(self, store: Store) -> None:
        from storyline.ingest.dedupe import DuplicateIndex

        self.index = DuplicateIndex()
        for article_id, text in store.iter_article_texts():
            self.index.add(article_id, text)

    def add(self, article: Article) -> tuple[list[ArticleLink], str | None]:
        from storyline.ingest.dedupe import is_duplicate

        links = self.index.add(article.id, article.text)
        return links, is_duplicate(links)


def _progress(items: Iterable[ArticleAnalysis], enabled: bool) -> Iterable[ArticleAnalysis]:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="analysing", unit=" articles", leave=False)
