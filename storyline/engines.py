"""Engines run the per-article analysis: in this process (``local``) or on Dask workers (``dask``).

Both call the same function, ``analyze_chunk``, on lists of articles; the driver keeps reading inputs,
deduplicating and storing, so the database is written from one place whatever the engine. On Dask each
worker process loads the spaCy pipeline once (cached per process) and keeps it between chunks; a lost
worker's chunk is recomputed by Dask, and a killed driver resumes on rerun like a local run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from storyline.errors import ConfigError
from storyline.pipeline import Context, analyze_articles, stage_named
from storyline.records import Article, ArticleAnalysis

_CONTEXTS: dict[str | None, Context] = {}


def analyze_chunk(articles: list[Article], model_name: str | None, stage_names: tuple[str, ...],
                  batch_size: int = 16) -> list[ArticleAnalysis]:
    """Analyse a list of articles in this process (the unit of work both engines share)."""
    ctx = _CONTEXTS.setdefault(model_name, Context(model_name=model_name))
    stages = tuple(stage_named(name) for name in stage_names)
    return list(analyze_articles(articles, ctx, stages=stages, batch_size=batch_size))


@dataclass
class DaskEngine:
    """Send chunks of articles to a Dask cluster (a local one when no scheduler address is given)."""

    scheduler: str | None = None
    workers: int = 2
    chunk_size: int = 32
    in_flight_per_worker: int = 2

    def analyze(self, articles: Iterable[Article], model_name: str | None, stage_names: tuple[str, ...],
                batch_size: int = 16) -> Iterator[ArticleAnalysis]:
        client, cluster = self._connect()
        try:
            yield from self._run(client, articles, model_name, stage_names, batch_size)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _connect(self):  # noqa: ANN202 - distributed types are optional imports
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ConfigError("the Dask engine needs: pip install 'storyline[dask]'") from exc
        if self.scheduler:
            return Client(self.scheduler), None
        cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster

    def _run(self, client, articles, model_name, stage_names, batch_size):  # noqa: ANN001, ANN202
        from distributed import as_completed

        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or self.workers)
        chunks = _chunks(articles, self.chunk_size)
        pending = as_completed()
        for chunk in itertools.islice(chunks, n_workers * self.in_flight_per_worker):
            pending.add(client.submit(analyze_chunk, chunk, model_name, stage_names, batch_size, pure=False))
        for future in pending:
            yield from future.result()
            future.release()
            following = next(chunks, None)
            if following is not None:
                pending.add(client.submit(analyze_chunk, following, model_name, stage_names, batch_size,
                                          pure=False))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
