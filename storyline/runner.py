"""``run_corpus``: inputs → articles → (dedupe) → per-article analysis → store → cross-document stages.

The library entry point the CLI, the benchmark and the Dask engine share. Analysed articles are stored in
batches (one transaction each, every article whole with its facts); articles already in the database are
skipped, so an interrupted run resumes where it stopped (redoing at most one batch) and a rerun adds nothing.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, TypeVar

from storyline.errors import ConfigError
from storyline.ingest import read_inputs
from storyline.ingest.dedupe import DuplicateIndex, TextSignature, is_duplicate
from storyline.pipeline import STAGES, Context, Stage, check_stages
from storyline.prepared import PreparedArticle, with_estimated_date
from storyline.records import Article, ArticleAnalysis, ArticleLink, Rejected
from storyline.store import Store
from storyline.store.rows import ArticleRows, analysis_rows

log = logging.getLogger(__name__)
_Item = TypeVar("_Item")

_LOOKUP_BLOCK = 64  # input items per "which are stored already?" query
# A batch is also committed once this long has passed since the last commit. Each commit (and the WAL
# checkpoints it triggers) costs the main process a few ms: at 1 s, a 15-articles/s run committed every
# ~15 articles; at 5 s batches reach ``store_batch`` and a crash still redoes at most one batch.
_MAX_SECONDS_PER_BATCH = 5.0


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
    store_batch: int = 64  # articles per transaction (a crash redoes at most this many)


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
    analysed: int = 0  # articles that went through the NLP stages (exact copies do not)
    worker_cpu_seconds: float = 0.0  # Dask: CPU the workers spent on this run's articles
    crossdoc_cpu_seconds: float = 0.0  # the cross-document update runs once, on the driver
    # Wall time of the serial parts, which more workers do not shorten: starting the engine (Dask: the
    # cluster and the index rebuild), until the first analysed article is back (workers load the model),
    # and the cross-document update at the end.
    engine_start_seconds: float = 0.0
    first_result_seconds: float = 0.0
    last_result_seconds: float = 0.0  # the last analysed article back (from the engine's start, as the first)
    crossdoc_seconds: float = 0.0

    @property
    def steady_articles_per_s(self) -> float | None:
        """Analysed articles per second between the first and the last result: the rate more workers raise,
        without the serial start and end."""
        span = self.last_result_seconds - self.first_result_seconds
        return (self.analysed - 1) / span if self.analysed > 1 and span > 0 else None

    @property
    def ok(self) -> bool:
        return self.rejected == 0


def run_corpus(
    inputs: Sequence[str | Path],
    store: Store,
    options: RunOptions = RunOptions(),
    *,
    stdin: TextIO | None = None,
    on_rejection: Callable[[Rejected], None] | None = None,
) -> RunSummary:
    """Read, analyse and store every article of ``inputs``; returns counts and the rejections. With more
    than one process (or Dask workers), files are read and cleaned in a pool of reading processes: this
    process only walks folders, hands out paths and gets cleaned articles back, in input order."""
    labels = [str(p) for p in inputs]
    readers = options.workers if options.engine == "dask" else options.n_process
    if readers <= 1:
        items = read_inputs(list(inputs), max_bytes=options.max_bytes, stdin=stdin)
        return run_articles(items, store, options, labels=labels, on_rejection=on_rejection)
    from storyline.ingest.parallel_read import read_inputs_in_pool, start_reading_pool

    # Started before the model loads and before any other pool or cluster: small, thread-free forks.
    with start_reading_pool(readers) as pool:
        items = read_inputs_in_pool(list(inputs), pool, n_process=readers, max_bytes=options.max_bytes, stdin=stdin)
        return run_articles(items, store, options, labels=labels, on_rejection=on_rejection)


def run_articles(
    items: Iterable[Article | Rejected],
    store: Store,
    options: RunOptions = RunOptions(),
    *,
    labels: Sequence[str] = (),
    on_rejection: Callable[[Rejected], None] | None = None,
) -> RunSummary:
    """Analyse and store already-read articles (rejections are recorded as they come)."""
    if options.engine not in ("local", "dask"):
        raise ConfigError(f"unknown engine {options.engine!r}; choose local or dask")
    started = time.perf_counter()
    summary = RunSummary(run_id=store.begin_run(list(labels)))
    writer = _BatchWriter(store, summary, max_articles=options.store_batch)

    def reject(rejection: Rejected) -> None:
        summary.rejected += 1
        summary.rejections.append(rejection)
        store.save_rejection(rejection, summary.run_id)
        if on_rejection:
            on_rejection(rejection)

    status = "interrupted"
    try:
        fresh = _fresh_articles(items, store, writer, summary, reject)
        if options.engine == "dask":
            _run_dask(fresh, store, writer, options)
        else:
            _run_local(fresh, store, writer, options)
        writer.flush()
        from storyline.crossdoc.update import update_crossdoc

        crossdoc_started, crossdoc_wall = time.process_time(), time.perf_counter()
        crossdoc = update_crossdoc(store)
        summary.crossdoc_cpu_seconds = time.process_time() - crossdoc_started
        summary.crossdoc_seconds = time.perf_counter() - crossdoc_wall
        summary.stories, summary.entities = crossdoc.stories, crossdoc.entities
        status = "failed" if summary.rejected else "done"
    finally:
        summary.seconds = time.perf_counter() - started
        store.finish_run(
            summary.run_id, stored=summary.stored, skipped=summary.skipped, rejected=summary.rejected, status=status
        )
    return summary


def _fresh_articles(
    items: Iterable[Article | Rejected],
    store: Store,
    writer: _BatchWriter,
    summary: RunSummary,
    reject: Callable[[Rejected], None],
) -> Iterator[Article]:
    """Articles not stored yet (nor earlier in this run); rejections are recorded on the way. Stored ids
    are looked up a block at a time, one query per block rather than one per article."""
    iterator = iter(items)
    while block := list(itertools.islice(iterator, _LOOKUP_BLOCK)):
        stored = store.known_article_ids(item.id for item in block if isinstance(item, Article))
        for item in block:
            if isinstance(item, Rejected):
                reject(item)
            elif item.id in stored or item.id in writer.unstored:
                summary.skipped += 1
            else:
                writer.unstored.add(item.id)
                yield item


def _run_local(articles: Iterable[Article], store: Store, writer: _BatchWriter, options: RunOptions) -> None:
    """Exact copies are found from the text as it is read and never analysed; the others are analysed,
    flattened to rows and signed in the worker processes (here with one process) and come back in input
    order, so this process only inserts signatures into the index and rows into the database."""
    from storyline.analysis_pool import prepare_in_processes

    started = time.perf_counter()
    ctx = Context(model_name=options.model_name)
    index = _rebuilt_index(store)
    writer.summary.engine_start_seconds = time.perf_counter() - started
    in_flight: set[str] = set()  # sent for analysis, not handed to the writer yet
    prepared = prepare_in_processes(
        _claim_exact_copies(articles, index, writer, in_flight),
        ctx,
        check_stages(options.stages),
        batch_size=options.batch_size,
        n_process=options.n_process,
        dialect=writer.dialect,
    )
    _store_prepared(prepared, index, writer, in_flight, progress=options.progress, started=started)


def _run_dask(articles: Iterable[Article], store: Store, writer: _BatchWriter, options: RunOptions) -> None:
    """Workers analyse, flatten to rows and compute dedupe signatures (also those of the stored articles
    the index is rebuilt from); as in a local run, exact copies are never sent to a worker."""
    from storyline.analysis_pool import settle_heap
    from storyline.engines import DaskEngine

    names = tuple(stage.name for stage in check_stages(options.stages))
    started = time.perf_counter()
    engine = DaskEngine(
        scheduler=options.scheduler,
        workers=options.workers,
        chunk_size=options.chunk_size,
        preload=(options.model_name, names),
    )
    with engine:
        index = _rebuilt_index(store, engine.signatures(store.iter_article_texts()))
        settle_heap()  # the scheduler, comms and index built so far: not walked by every full collection
        writer.summary.engine_start_seconds = time.perf_counter() - started
        in_flight: set[str] = set()  # sent to workers, not handed to the writer yet
        to_analyse = _claim_exact_copies(articles, index, writer, in_flight)
        prepared = engine.prepare(to_analyse, options.model_name, names, options.batch_size, writer.dialect)
        _store_prepared(prepared, index, writer, in_flight, progress=options.progress, started=started)
    writer.summary.worker_cpu_seconds = engine.stats.worker_cpu_seconds


def _claim_exact_copies(
    articles: Iterable[Article], index: DuplicateIndex, writer: _BatchWriter, in_flight: set[str]
) -> Iterator[Article]:
    """The articles to analyse; an exact copy of an earlier one (found from its words alone) is stored at
    once, with its link and without facts."""
    for article in articles:
        exact = index.claim_exact(article.id, article.text)
        if exact:
            rows = analysis_rows(ArticleAnalysis(with_estimated_date(article)), writer.dialect)
            writer.add(rows, exact, is_duplicate(exact), waiting_on=in_flight, analysed=False)
            continue
        in_flight.add(article.id)
        yield article


def _store_prepared(
    prepared: Iterable[tuple[Article, PreparedArticle]],
    index: DuplicateIndex,
    writer: _BatchWriter,
    in_flight: set[str],
    *,
    progress: bool,
    started: float,
) -> None:
    """Insert each analysed article's signature into the index (in input order) and hand its rows over."""
    summary = writer.summary
    for article, result in _progress(prepared, progress):
        summary.last_result_seconds = time.perf_counter() - started
        if not summary.first_result_seconds:
            summary.first_result_seconds = summary.last_result_seconds
        summary.analysed += 1
        links = index.add_signature(article.id, article.text, result.signature)
        # Claimed words make this impossible; if it happens anyway, facts are not stored twice.
        exact = _is_exact(links)
        rows = result.rows.without_facts() if exact else result.rows
        writer.add(rows, links, is_duplicate(links), waiting_on=in_flight, analysed=not exact)
        in_flight.discard(article.id)


def _is_exact(links: list[ArticleLink]) -> bool:
    return any(link.kind == "exact_duplicate" for link in links)


class _BatchWriter:
    """Collects stored-ready articles and writes them a batch per transaction. Batches double in size from
    one article up to ``max_articles`` (progress shows at once, an early crash loses little), and are also
    committed when ``max_seconds`` have passed since the last commit. A crash loses at most the uncommitted
    batch, which a rerun redoes: the articles of a committed batch are skipped."""

    def __init__(
        self, store: Store, summary: RunSummary, max_articles: int = 64, max_seconds: float = _MAX_SECONDS_PER_BATCH
    ) -> None:
        self.store, self.summary = store, summary
        self.dialect = store.dialect
        self.max_articles, self.max_seconds = max_articles, max_seconds
        self.unstored: set[str] = set()  # handed out for analysis, not committed yet
        self._waiting = _WaitingLinks()
        self._committed_at = time.monotonic()
        self._committed = 0  # articles committed by this writer
        self._clear()

    def _clear(self) -> None:
        self._batch: list[ArticleRows] = []
        self._links: list[ArticleLink] = []
        self._duplicates: dict[str, str] = {}
        self._analysed = 0
        self._words = 0

    def add(
        self,
        rows: ArticleRows,
        links: list[ArticleLink],
        duplicate_of: str | None,
        *,
        waiting_on: Container[str],
        analysed: bool = True,
    ) -> None:
        self._batch.append(rows)
        self._links.extend(self._waiting.hold(links, waiting_on))
        self._links.extend(self._waiting.release(rows.article_id))
        if duplicate_of:
            self._duplicates[rows.article_id] = duplicate_of
            self.summary.duplicates += 1
        if analysed:
            self._analysed += 1
            self._words += int(rows.article.get("word_count") or 0)
        limit = min(self.max_articles, self._committed + 1)
        if len(self._batch) >= limit or time.monotonic() - self._committed_at >= self.max_seconds:
            self.flush()

    def flush(self) -> None:
        if not self._batch and not self._links:
            return
        self.store.save_rows(self._batch, links=self._links, duplicates=self._duplicates, run_id=self.summary.run_id)
        self.summary.stored += self._analysed
        self.summary.words += self._words
        self.unstored.difference_update(rows.article_id for rows in self._batch)
        self._committed += len(self._batch)
        self._committed_at = time.monotonic()
        self._clear()


class _WaitingLinks:
    """Links whose earlier article is still being analysed (Dask finishes chunks out of order): they are
    written once that article is stored, so a link never points at a missing row."""

    def __init__(self) -> None:
        self._by_target: dict[str, list[ArticleLink]] = {}

    def hold(self, links: list[ArticleLink], pending: Container[str]) -> list[ArticleLink]:
        ready = []
        for link in links:
            if link.target_id in pending:
                self._by_target.setdefault(link.target_id, []).append(link)
            else:
                ready.append(link)
        return ready

    def release(self, stored_id: str) -> list[ArticleLink]:
        return self._by_target.pop(stored_id, [])


def _rebuilt_index(
    store: Store, signed: Iterable[tuple[tuple[str, str], TextSignature]] | None = None
) -> DuplicateIndex:
    """The MinHash/passage index over the stored articles, in insertion order (signatures computed here,
    or given: by Dask workers)."""
    index = DuplicateIndex()
    if signed is None:
        for article_id, text in store.iter_article_texts():
            index.add(article_id, text)
    else:
        for (article_id, text), signature in signed:
            index.add_signature(article_id, text, signature)
    return index


def _progress(items: Iterable[_Item], enabled: bool) -> Iterable[_Item]:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="analysing", unit=" articles", leave=False)
