"""Engines run the per-article work: in this process (``local``) or on Dask workers (``dask``).

A Dask task (``prepare_chunk``) takes a list of articles and returns, per article, everything the driver
would otherwise compute: the analysis flattened into encoded database rows and the dedupe signature. The
driver gets the results back in input order, so it only inserts signatures and executes inserts. Each worker
loads the spaCy pipeline once, as soon as it starts (``PipelinePreload``); a lost worker's chunk is recomputed.
A chunk travels as one pickled blob, so the scheduler (in the driver's process) moves bytes, not articles.
"""

from __future__ import annotations

import itertools
import math
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import ConfigError
from storyline.ingest.dedupe import TextSignature, text_signature
from storyline.pipeline import Context, batched, stage_named
from storyline.prepared import PreparedArticle, prepare_batch
from storyline.records import Article
from storyline.stage_clock import PROCESS_CLOCK

# Every batched comm keeps its last ``low-level-log-length`` messages (1,000 by default) for debugging: on the
# driver that is each chunk of articles sent (client → scheduler → worker), ~200 KB a chunk, a log that
# made the driver grow ~17 KB an article for the first ~30,000 articles. Kept short, it holds a few chunks.
DRIVER_CONFIG = {"distributed.admin.low-level-log-length": 16}
# Dask's housekeeping runs in the driver (scheduler, nannies) and in every worker at a fixed rate: with
# defaults it costs more driver CPU than storing the articles. Slower monitors, no sampling profiler.
LOCAL_CLUSTER_CONFIG = {
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.worker.profile.enabled": False,
    **DRIVER_CONFIG,
}

_CONTEXTS: dict[str | None, Context] = {}
_PIPELINE_LOADS = 0  # contexts built in this process: a worker must build one, whatever its task count
# (model, stages) whose resources are loaded in this process. The lock makes a task that arrives while the
# preload thread loads wait for it, instead of loading a second model or racing on the stages' caches.
_WARMED: set[tuple[str | None, tuple[str, ...]]] = set()
_LOAD_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class ChunkResult:
    items: list[Any]  # one per input of the chunk, in order
    cpu_seconds: float  # worker CPU time spent on the chunk (to measure the split driver / workers)
    # Per-stage CPU samples of the chunk (``StageClock.export``), merged into the driver's clock.
    stage_samples: dict[str, tuple[list[float], int, float]] = field(default_factory=dict)


def context_for(model_name: str | None) -> Context:
    """This process's context for a model, built on first use and kept between tasks."""
    global _PIPELINE_LOADS
    if model_name not in _CONTEXTS:
        _PIPELINE_LOADS += 1
        _CONTEXTS[model_name] = Context(model_name=model_name)
    return _CONTEXTS[model_name]


def pipeline_loads() -> int:
    return _PIPELINE_LOADS


def warmed_context(model_name: str | None, stage_names: tuple[str, ...]) -> Context:
    """This process's context with the model and every stage's lazy resources loaded (once per process)."""
    from storyline.analysis_pool import warm_up

    with _LOAD_LOCK:
        ctx = context_for(model_name)
        if (model_name, stage_names) not in _WARMED:
            warm_up(ctx, [(stage, stage.load()) for stage in map(stage_named, stage_names)])
            _WARMED.add((model_name, stage_names))
    return ctx


def prepare_chunk(
    packed_articles: bytes, model_name: str | None, stage_names: tuple[str, ...], batch_size: int, dialect: str
) -> ChunkResult:
    """Analyse a pickled list of articles and flatten each into rows encoded for ``dialect`` (runs on a worker)."""
    ctx = warmed_context(model_name, stage_names)
    started = time.process_time()
    articles: list[Article] = unpacked_chunk(packed_articles)
    PROCESS_CLOCK.reset()
    functions = [(stage, stage.load()) for stage in map(stage_named, stage_names)]
    prepared = [
        item for batch in batched(articles, batch_size) for item in prepare_batch(batch, ctx, functions, dialect)
    ]
    return ChunkResult(prepared, time.process_time() - started, PROCESS_CLOCK.export())


def signature_chunk(packed_texts: bytes) -> ChunkResult:
    """Dedupe signatures of pickled stored (id, text) pairs, to rebuild the driver's index at a run's start."""
    started = time.process_time()
    texts: list[tuple[str, str]] = unpacked_chunk(packed_texts)
    return ChunkResult([text_signature(text) for _, text in texts], time.process_time() - started)


def packed_chunk(items: list[Any]) -> bytes:
    """A task's inputs as one bytes object. Given the objects, the driver would pickle them for the scheduler,
    which unpickles and pickles them again for the worker (both in the driver's process): ~3 ms of driver CPU
    per 32 articles; bytes are copied, not walked."""
    return pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)


def unpacked_chunk(packed: bytes) -> Any:
    """The inputs ``packed_chunk`` packed (sent by this run's own driver: trusted as any Dask task is)."""
    return pickle.loads(packed)  # noqa: S301 - our own driver's data, as every Dask task argument


@dataclass
class EngineStats:
    tasks: int = 0
    items: int = 0  # inputs sent (articles, or texts to sign)
    worker_cpu_seconds: float = 0.0


@dataclass
class DaskEngine:
    """Send chunks of articles to a Dask cluster (a local one when no scheduler address is given)."""

    scheduler: str | None = None
    workers: int = 2
    chunk_size: int = 32
    in_flight_per_worker: int = 2
    min_chunk_size: int = 2
    # (model name, stage names) the workers load as they start; None: on their first task.
    preload: tuple[str | None, tuple[str, ...]] | None = None
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

    @property
    def client(self) -> Any:  # distributed.Client, inside ``with engine:``
        return self._client

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
        plugins = self._plugins()
        if self.scheduler:
            with dask.config.set(DRIVER_CONFIG):
                client = Client(self.scheduler)
            for plugin in plugins:  # also set up on workers that join (or are restarted) later
                client.register_plugin(plugin)
            return client, None
        # One single-threaded process per worker: spaCy holds the GIL, threads would not add speed. The
        # nannies hand the configuration and the plugins to the worker processes they start (and restart);
        # a plugin given here is set up before the worker registers, so the model loads during the start.
        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                plugins=tuple(plugins),
            )
            return Client(cluster), cluster

    def _plugins(self) -> list[Any]:
        if self.preload is None:
            return []
        from storyline.worker_preload import PipelinePreload

        return [PipelinePreload(*self.preload)]

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
                future = client.submit(task, packed_chunk(chunk), *task_args, pure=False)
                index_of[future.key] = index
                pending.add(future)
                self.stats.items += len(chunk)

        submit_more()
        for future in pending:
            done[index_of.pop(future.key)] = future.result()
            future.release()
            submit_more()
            while next_out in done:
                result = done.pop(next_out)
                self.stats.tasks += 1
                self.stats.worker_cpu_seconds += result.cpu_seconds
                PROCESS_CLOCK.merge(result.stage_samples)
                yield from zip(submitted.pop(next_out), result.items, strict=True)
                next_out += 1
            submit_more()


class _AdaptiveChunks:
    """Cut the input stream into chunks. The first round is ``min_size`` per worker, doubling each round up to
    ``size``: the first results come back after a few articles, not after a whole chunk each. Once the
    input is exhausted, the rest is cut smaller so every worker is busy until the end."""

    def __init__(self, items: Iterable[Any], size: int, min_size: int, n_workers: int) -> None:
        self._source = iter(items)
        self._size = max(1, size)
        self._min_size = max(1, min(min_size, self._size))
        self._n_workers = n_workers
        self._buffer: deque[Any] = deque()
        self._exhausted = False
        self._ramp_size = self._min_size
        self._handed_out = 0

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
        size = self._ramp_size
        self._handed_out += 1
        if self._handed_out % self._n_workers == 0:
            self._ramp_size = min(self._size, 2 * self._ramp_size)
        if self._exhausted:
            size = max(self._min_size, min(size, math.ceil(len(self._buffer) / (2 * self._n_workers))))
        return [self._buffer.popleft() for _ in range(min(size, len(self._buffer)))]
