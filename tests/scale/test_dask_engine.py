"""The Dask engine stores the same results as the local engine, and survives a worker killed midway."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from storyline.runner import RunOptions, run_corpus
from storyline.store import Store, schema

distributed = pytest.importorskip("distributed")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "articles"


def _facts(store: Store) -> dict[str, list]:
    return {t.name: sorted(r["id"] for r in store.rows(t)) for t in (schema.articles, *schema.EXTRACTED_TABLES)}


def test_dask_engine_matches_local(tmp_path):
    local, remote = Store(tmp_path / "local.db"), Store(tmp_path / "dask.db")
    run_corpus([FIXTURES], local)
    summary = run_corpus([FIXTURES], remote, RunOptions(engine="dask", workers=2))
    assert summary.stored == local.count(schema.articles) > 0
    assert _facts(remote) == _facts(local)


def _write_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(
            f"Bulletin {i}\n\nPolice in Rabat said {i + 2} people were arrested on Friday after clashes near "
            f"the stadium. Minister Youssef Amrani said {i + 1} officers were injured in incident {i}.\n"
        )


def test_worker_killed_midway_loses_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    # Results are committed in batches (at least every second) and the run is quick once the models are
    # loaded: enough articles that the kill lands while chunks are still in flight.
    n = 160
    _write_corpus(corpus, n)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    store = Store(tmp_path / "kill.db")
    killed: list[int] = []

    def kill_one_worker() -> None:
        # Wait until articles are flowing, then SIGKILL one worker process; its nanny restarts it and the
        # scheduler recomputes the lost chunk.
        while store.count(schema.articles) < 1:
            threading.Event().wait(0.2)
        pids = client.run(os.getpid)
        victim = next(iter(pids.values()))
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    killer = threading.Thread(target=kill_one_worker, daemon=True)
    killer.start()
    try:
        summary = run_corpus(
            [corpus], store, RunOptions(engine="dask", scheduler=cluster.scheduler_address, batch_size=2, chunk_size=4)
        )
    finally:
        client.close()
        cluster.close()
    killer.join(timeout=5)
    assert killed, "no worker was killed: the run finished too fast"
    assert summary.stored == n
    assert store.count(schema.articles) == n
    assert len({m["article_id"] for m in store.rows(schema.mentions)}) == n
