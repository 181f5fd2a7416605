"""Engines run the per-article work: in this process (``local``) or on Dask workers (``dask``).

A Dask task (``prepare_chunk``) takes a list of articles and returns, per article, everything the driver
would otherwise compute: the analysis flattened into encoded database rows and the dedupe signature. The
driver gets the results back in input order, so it only inserts signatures and executes inserts. Each worker
loads the spaCy pipeline once (cached per process); a lost worker's chunk is recomputed by Dask.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import ConfigError
from storyline.ingest.dedupe import TextSignature, text_signature
from storyline.pipeline import Context, analyze_articles, stage_named
from storyline.records import Article
from storyline.store.rows import ArticleRows, analysis_rows

# Dask's housekeeping runs in the driver (scheduler, nannies) and in every worker at a fixed rate: with
# defaults it costs more driver CPU than storing the articles. Slower monitors, no sampling profiler.
LOCAL_CLUSTER_CONFIG = {
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,
}

_CONTEXTS: dict[str | None, Context] = {}
_PIPELINE_LOADS = 0  # contexts built in this process: a worker must build one, whatever its task count


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """What a worker sends back for one article: compact rows, not the records they came from."""

    rows: ArticleRows
    signature: TextSignature


@dataclass(frozen=True, slots=True)
class ChunkResult:
    items: list[Any]  # one per input of the chunk, in order
    cpu_seconds: float  # worker CPU time spent on the chunk (to measure the split driver / workers)


def context_for(model_name: str | None) -> Context:
    """This process's context for a model, built on first use and kept between tasks."""
    global _PIPELINE_LOADS
    if model_name not in _CONTEXTS:
        _PIPELINE_LOADS += 1
        _CONTEXTS[model_name] = Context(model_name=model_name)
    return _CONTEXTS[model_name]


def pipeline_loads() -> int:
    return _PIPELINE_LOADS


def prepare_chunk(
    articles: list[Article], model_name: str | None, stage_names: tuple[str, ...], batch_size: int, dialect: str
) -> ChunkResult:
    """Analyse a list of articles and flatten each into rows encoded for ``dialect`` (runs on a worker)."""
    from storyline.runner import with_estimated_date

    started = time.process_time()
    ctx = context_for(model_name)
    stages = tuple(stage_named(name) for name in stage_names)
    dated = [with_estimated_date(article) for article in articles]
    prepared = [
        PreparedArticle(analysis_rows(analysis, dialect), text_signature(analysis.article.text))
        for analysis in analyze_articles(dated, ctx, stages=stages, batch_size=batch_size)
    ]
    return ChunkResult(prepared, time.process_time() - started)


def signature_chunk(texts: list[tuple[str, str]]) -> ChunkResult:
    """Dedupe signatures of stored (id, text) pairs, to rebuild the driver's index at the start of a run."""
    started = time.process_time()
    return ChunkResult([text_signature(text) for _, text in texts], time.process_time() - started)


@dataclass
class EngineStats:
    tasks: int = 0
    worker_cpu_seconds: float = 0.0
    chunk_sizes: list[int] = field(default_factory=list)


@dataclass
class DaskEngine:
    """Send chunks of articles to a Dask cluster (a local one when no scheduler address is given)."""

    scheduler: str | None = None
    workers: int = 2
    chunk_size: int = 32
    in_flight_per_worker: int = 2
    min_chunk_size: int = 2
    stats: EngineStats = field(default_factory=EngineStats)
    _client: Any = field(default=None, init=False, repr=False)
    _cluster: Any = field(default=None, init=False, repr=False)

    def __enter__(self) -> DaskEngine:
        self._client, self._cluster = self._connect()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def prepare(
        self,
        articles: Iterable[Article],
        model_name: str | None,
        stage_names: tuple[str, ...],
        batch_size: int,
        dialect: str,
    ) -> Iterator[tuple[Article, PreparedArticle]]:
        """(article, prepared rows) in input order (inside ``with engine:``)."""
        return self._in_order(articles, prepare_chunk, (model_name, stage_names, batch_size, dialect), self.chunk_size)

    def signatures(self, texts: Iterable[tuple[str, str]]) -> Iterator[tuple[tuple[str, str], TextSignature]]:
        """((id, text), signature) in input order; signatures are cheap, so chunks are larger."""
        return self._in_order(texts, signature_chunk, (), self.chunk_size * 8)

    def _connect(self) -> tuple[Any, Any]:  # distributed types: optional imports
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ConfigError("the Dask engine needs: pip install 'storyline[dask]'") from exc
        if self.scheduler:
            return Client(self.scheduler), None
        # One single-threaded process per worker: spaCy holds the GIL, threads would not add speed. The
        # nannies hand the configuration to the worker processes they start.
        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            return Client(cluster), cluster

    def _in_order(
        self, inputs: Iterable[Any], task: Callable[..., ChunkResult], task_args: tuple[Any, ...], chunk_size: int
    ) -> Iterator[tuple[Any, Any]]:
        from distributed import as_completed

        client = self._client
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or self.workers)
        chunks = _AdaptiveChunks(inputs, chunk_size, self.min_chunk_size, n_workers)
        # Results come back in any order; they are released in input order (so dedupe and storage see
        # the same sequence as a local run). The window bounds what waits behind a slow chunk.
        window = n_workers * (self.in_flight_per_worker + 2)
        submitted: dict[int, list[Any]] = {}
        done: dict[int, ChunkResult] = {}
        indexes = itertools.count()
        index_of: dict[str, int] = {}  # future key → chunk index
        pending = as_completed()
        next_out = 0

        def submit_more() -> None:
            while len(submitted) < window and pending.count() < n_workers * self.in_flight_per_worker:
                chunk = chunks.next_chunk()
                if chunk is None:
                    return
                index = next(indexes)
                submitted[index] = chunk
                future = client.submit(task, chunk, *task_args, pure=False)
                index_of[future.key] = index
                pending.add(future)
                self.stats.chunk_sizes.append(len(chunk))

        submit_more()
        for future in pending:
            done[index_of.pop(future.key)] = future.result()
            future.release()
            submit_more()
            while next_out in done:
                result = done.pop(next_out)
                self.stats.tasks += 1
                self.stats.worker_cpu_seconds += result.cpu_seconds
                yield from zip(submitted.pop(next_out), result.items, strict=True)
                next_out += 1
            submit_more()


class _AdaptiveChunks:
    """Cut the input stream into chunks; once the input is exhausted, the remaining articles are cut
    smaller so every worker is busy until the end (no single large chunk left for one worker)."""

    def __init__(self, items: Iterable[Any], size: int, min_size: int, n_workers: int) -> None:
        self._source = iter(items)
        self._size = max(1, size)
        self._min_size = max(1, min(min_size, self._size))
        self._n_workers = n_workers
        self._buffer: deque[Any] = deque()
        self._exhausted = False

    def next_chunk(self) -> list[Any] | None:
        # Read ahead one chunk per worker: enough to see the end coming, little memory.
        while not self._exhausted and len(self._buffer) < self._size * (self._n_workers + 1):
            following = next(self._source, None)
            if following is None:
                self._exhausted = True
            else:
                self._buffer.append(following)
        if not self._buffer:
            return None
        size = self._size
        if self._exhausted:
            size = max(self._min_size, min(size, math.ceil(len(self._buffer) / (2 * self._n_workers))))
        return [self._buffer.popleft() for _ in range(min(size, len(self._buffer)))]
