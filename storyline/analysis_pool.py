"""Whole-article analysis (spaCy and every stage) in worker processes, results in input order.

Input: articles, a Context and the checked stages; output: ``ArticleAnalysis`` per article, or (for a run)
``PreparedArticle``: rows and dedupe signature, so the parent only stores them. spaCy's own
``n_process`` only parallelises the model while the stages stay single-threaded in the parent; here each
worker runs the full per-article path on one batch at a time. The parent feeds batches lazily (at most
two per worker in flight), so memory stays flat and the input generator (dedupe, SQLite) stays in the
parent's thread. Workers are forked after the parent has warmed the model and the stages' resources.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.pipeline import Context, Stage, StageFunction, analyze_batch, batched, run_stages, stage_named
from storyline.prepared import PreparedArticle, prepare_batch
from storyline.records import Article, ArticleAnalysis
from storyline.stage_clock import PROCESS_CLOCK

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

IN_FLIGHT_PER_WORKER = 2
WARM_UP_TEXT = (
    "Warm-up\n\nOfficials in Aleppo said on Monday that 12 people were killed, the ministry told Reuters. "
    '"We will respond," Ahmad Hassan said.'
)


@dataclass(frozen=True, slots=True)
class _WorkerSetup:
    model_name: str | None
    settings: dict[str, object]
    stage_names: tuple[str, ...]


# What a worker process analyses with; inherited when forked, else built by ``_start_worker``.
_worker: tuple[Context, list[tuple[Stage, StageFunction]]] | None = None


def _start_worker(setup: _WorkerSetup) -> None:
    global _worker  # noqa: PLW0603 - one analysis context per worker process
    if _worker is None:
        ctx = Context(model_name=setup.model_name, settings=dict(setup.settings))
        _worker = (ctx, [(stage, stage.load()) for stage in map(stage_named, setup.stage_names)])
        warm_up(*_worker)
    PROCESS_CLOCK.reset()


def _analyze_in_worker(batch: list[Article]) -> tuple[list[ArticleAnalysis], dict]:
    ctx, functions = _started_worker()
    return analyze_batch(batch, ctx, functions), PROCESS_CLOCK.export()


def _prepare_in_worker(batch: list[Article], dialect: str) -> tuple[list[PreparedArticle], dict]:
    ctx, functions = _started_worker()
    return prepare_batch(batch, ctx, functions, dialect), PROCESS_CLOCK.export()


def _started_worker() -> tuple[Context, list[tuple[Stage, StageFunction]]]:
    if _worker is None:
        raise RuntimeError("analysis worker used before its setup ran")
    PROCESS_CLOCK.reset()
    return _worker


def warm_up(ctx: Context, functions: list[tuple[Stage, StageFunction]]) -> None:
    """Load the model and every stage's lazy resources once, so forked workers inherit them."""
    doc = ctx.nlp(WARM_UP_TEXT)
    run_stages(doc, Article.from_text(WARM_UP_TEXT), functions, ctx)
    settle_heap()


def settle_heap() -> None:
    """Move the objects alive now (the model, gazetteers, matchers: millions) out of the cyclic garbage
    collector's reach. Each full collection walked them all again: a quarter of the main process's CPU
    during a run, and in forked workers it also un-shares the pages they inherited. Garbage is collected
    first; frozen objects are still freed by reference counting, only cycles among them stay."""
    gc.collect()
    gc.freeze()


def analyze_in_processes(
    articles: Iterable[Article], ctx: Context, stages: tuple[Stage, ...], *, batch_size: int, n_process: int
) -> Iterator[ArticleAnalysis]:
    for _batch, analyses in _in_processes(articles, ctx, stages, batch_size, n_process, _analyze_in_worker, ()):
        yield from analyses


def prepare_in_processes(
    articles: Iterable[Article],
    ctx: Context,
    stages: tuple[Stage, ...],
    *,
    batch_size: int,
    n_process: int,
    dialect: str,
) -> Iterator[tuple[Article, PreparedArticle]]:
    """(article, its rows and dedupe signature) in input order, all computed in the workers: the parent
    only pickles articles out and unpickles rows back (cheaper than the records they come from)."""
    if n_process <= 1:
        functions = [(stage, stage.load()) for stage in stages]
        warm_up(ctx, functions)
        for batch in batched(articles, batch_size):
            yield from zip(batch, prepare_batch(batch, ctx, functions, dialect), strict=True)
        return
    for batch, prepared in _in_processes(articles, ctx, stages, batch_size, n_process, _prepare_in_worker, (dialect,)):
        yield from zip(batch, prepared, strict=True)


def _in_processes(
    articles: Iterable[Article],
    ctx: Context,
    stages: tuple[Stage, ...],
    batch_size: int,
    n_process: int,
    task: Callable[..., tuple[list[Any], dict]],
    task_args: tuple[Any, ...],
) -> Iterator[tuple[list[Article], list[Any]]]:
    """(batch, the task's results for it) in input order, from a pool of ``n_process`` workers."""
    global _worker  # noqa: PLW0603 - handed to forked workers through inheritance
    functions = [(stage, stage.load()) for stage in stages]
    methods = multiprocessing.get_all_start_methods()
    forking = "fork" in methods
    if forking:
        warm_up(ctx, functions)
        _worker = (ctx, functions)
    setup = _WorkerSetup(ctx.model_name, dict(ctx.settings), tuple(stage.name for stage in stages))
    pool_context = multiprocessing.get_context("fork" if forking else "spawn")
    try:
        with pool_context.Pool(n_process, initializer=_start_worker, initargs=(setup,)) as pool:
            pending: deque[tuple[list[Article], AsyncResult]] = deque()
            for batch in batched(articles, batch_size):
                pending.append((batch, pool.apply_async(task, (batch, *task_args))))
                if len(pending) >= IN_FLIGHT_PER_WORKER * n_process:
                    yield _collect(*pending.popleft())
            while pending:
                yield _collect(*pending.popleft())
    finally:
        _worker = None


def _collect(batch: list[Article], result: AsyncResult) -> tuple[list[Article], list[Any]]:
    results, samples = result.get()
    PROCESS_CLOCK.merge(samples)
    return batch, results
