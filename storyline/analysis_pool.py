"""Whole-article analysis (spaCy and every stage) in worker processes, results in input order.

Input: articles, a Context and the checked stages; output: ``ArticleAnalysis`` per article. spaCy's own
``n_process`` only parallelises the model while the stages stay single-threaded in the parent; here each
worker runs the full per-article path on one batch at a time. The parent feeds batches lazily (at most
two per worker in flight), so memory stays flat and the input generator (dedupe, SQLite) stays in the
parent's thread. Workers are forked after the parent has warmed the model and the stages' resources.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.pipeline import Context, Stage, StageFunction, analyze_batch, batched, run_stages, stage_named
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
    PROCESS_CLOCK.reset()


def _analyze_in_worker(batch: list[Article]) -> tuple[list[ArticleAnalysis], dict]:
    if _worker is None:
        raise RuntimeError("analysis worker used before its setup ran")
    ctx, functions = _worker
    PROCESS_CLOCK.reset()
    analyses = analyze_batch(batch, ctx, functions)
    return analyses, PROCESS_CLOCK.export()


def warm_up(ctx: Context, functions: list[tuple[Stage, StageFunction]]) -> None:
    """Load the model and every stage's lazy resources once, so forked workers inherit them."""
    doc = ctx.nlp(WARM_UP_TEXT)
    run_stages(doc, Article.from_text(WARM_UP_TEXT), functions, ctx)


def analyze_in_processes(
    articles: Iterable[Article], ctx: Context, stages: tuple[Stage, ...], *, batch_size: int, n_process: int
) -> Iterator[ArticleAnalysis]:
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
            pending: deque[AsyncResult] = deque()
            for batch in batched(articles, batch_size):
                pending.append(pool.apply_async(_analyze_in_worker, (batch,)))
                if len(pending) >= IN_FLIGHT_PER_WORKER * n_process:
                    yield from _collect(pending.popleft())
            while pending:
                yield from _collect(pending.popleft())
    finally:
        _worker = None


def _collect(result: AsyncResult) -> list[ArticleAnalysis]:
    analyses, samples = result.get()
    PROCESS_CLOCK.merge(samples)
    return analyses  # type: ignore[no-any-return]
