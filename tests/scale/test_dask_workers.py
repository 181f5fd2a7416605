"""Work moved to Dask workers: signatures equal across processes, each worker loads the pipeline once,
results come back in input order, and the tail of the input is cut small so no worker idles at the end."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from datetime import datetime

import pytest

from storyline.engines import DaskEngine, _AdaptiveChunks, pipeline_loads
from storyline.ingest.dedupe import DuplicateIndex, text_signature
from storyline.pipeline import STAGES
from storyline.records import Article
from storyline.stage_clock import PROCESS_CLOCK

SYNDICATED = (
    "\u201cWe have lost contact with the convoy since the early morning,\u201d the regional governor told "
    "reporters on Sunday, adding that rescue teams were waiting for the weather to clear over the pass. "
    "Relatives gathered outside the town hall in Brenna, where officials posted the names of the drivers."
)


def _signature_in_fresh_process(text: str, hash_seed: str) -> object:
    # Another interpreter with another str-hash salt, as a Dask worker process would have.
    code = (
        "import pickle, sys; from storyline.ingest.dedupe import text_signature; "
        "sys.stdout.buffer.write(pickle.dumps(text_signature(sys.stdin.read())))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=text.encode(),
        capture_output=True,
        check=True,
        env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        cwd=_repo_root(),
    )
    return pickle.loads(out.stdout)


def _repo_root() -> str:
    import storyline

    return str(__import__("pathlib").Path(storyline.__file__).parent.parent)


def test_signature_is_the_same_in_another_process():
    here = text_signature(SYNDICATED)
    there = _signature_in_fresh_process(SYNDICATED, "4242")
    assert there.grams == here.grams and there.exact_key == here.exact_key
    assert list(there.minhash) == list(here.minhash)


def test_signatures_from_elsewhere_give_the_same_links_as_local_adds():
    later = "Officials in the capital said more snow was expected. " + SYNDICATED.split(". ", 1)[1]
    local, remote = DuplicateIndex(), DuplicateIndex()
    local.add("a", SYNDICATED)
    expected = local.add("b", later)
    remote.add_signature("a", SYNDICATED, _signature_in_fresh_process(SYNDICATED, "7"))
    got = remote.add_signature("b", later, _signature_in_fresh_process(later, "99"))
    assert got == expected
    assert [link.kind for link in got] == ["shared_passage"]


def _articles(n: int) -> list[Article]:
    return [
        Article.from_text(
            f"Dispatch {i}: the council of Arlen met {i + 1} times in March to discuss the dam.",
            published=datetime(2023, 3, 30),
            origin=f"mem:{i}",
        )
        for i in range(n)
    ]


def test_chunks_ramp_up_then_the_tail_is_cut_smaller_and_nothing_is_lost():
    articles = _articles(100)
    chunks = _AdaptiveChunks(iter(articles), size=16, min_size=2, n_workers=2)
    sizes, seen = [], []
    while (chunk := chunks.next_chunk()) is not None:
        sizes.append(len(chunk))
        seen.extend(chunk)
    assert seen == articles
    # Both workers start on a small chunk, sizes double each round up to the full size...
    assert sizes[:7] == [2, 2, 4, 4, 8, 8, 16]
    # ...and once the input is read, chunks only shrink, down to the minimum.
    largest = sizes.index(16)
    assert sizes[largest:] == sorted(sizes[largest:], reverse=True) and sizes[-1] <= 2
    assert all(size <= 16 for size in sizes)
    # One worker: the ramp doubles every chunk; a short input is cut small from the start.
    single = _AdaptiveChunks(iter(articles), size=16, min_size=2, n_workers=1)
    assert [len(single.next_chunk() or []) for _ in range(4)] == [2, 4, 8, 16]
    short = _AdaptiveChunks(iter(articles[:6]), size=16, min_size=2, n_workers=2)
    assert [len(c) for c in iter(short.next_chunk, None)] == [2, 2, 2]
    # Empty input: no chunk at all.
    assert _AdaptiveChunks(iter([]), size=16, min_size=2, n_workers=2).next_chunk() is None


def test_each_worker_loads_the_pipeline_once_and_results_keep_input_order():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        articles = _articles(24)
        names = tuple(stage.name for stage in STAGES)
        with DaskEngine(scheduler=cluster.scheduler_address, chunk_size=3) as engine:
            PROCESS_CLOCK.reset()
            results = list(engine.prepare(articles, None, names, 4, "sqlite"))
            clock = PROCESS_CLOCK.export()
            stored_texts = [(a.id, a.text) for a in articles[:5]]
            signed = list(engine.signatures(stored_texts))
        loads = client.run(pipeline_loads)
    finally:
        client.close()
        cluster.close()
    assert [article.id for article, _ in results] == [a.id for a in articles]
    assert [prepared.rows.article_id for _, prepared in results] == [a.id for a in articles]
    assert engine.stats.tasks >= 6 > len(loads)
    assert sorted(loads.values()) in ([1, 1], [0, 1])  # a worker that got no task loads nothing
    # The workers' per-stage CPU reaches this process's clock, one sample per article and stage; the CPU
    # counted per article leaves out each worker's model load (seconds), done before its first chunk.
    assert {"spacy", *names} <= set(clock) and {seen for _, seen, _ in clock.values()} == {len(articles)}
    assert 0 < engine.stats.worker_cpu_seconds < sum(total for _, _, total in clock.values()) + 1.0
    assert [pair for pair, _ in signed] == stored_texts
    assert [sig.exact_key for _, sig in signed] == [text_signature(text).exact_key for _, text in stored_texts]


def test_workers_load_the_pipeline_as_they_start_before_any_task_is_sent():
    pytest.importorskip("distributed")
    names = tuple(stage.name for stage in STAGES)
    articles = _articles(3)
    with DaskEngine(workers=1, preload=(None, names)) as engine:
        deadline = time.monotonic() + 120
        while not all((loads := engine.client.run(pipeline_loads)).values()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert list(loads.values()) == [1] and engine.stats.tasks == 0
        results = list(engine.prepare(articles, None, names, 4, "sqlite"))
        # The task waited for the preloaded pipeline instead of loading a second one.
        assert list(engine.client.run(pipeline_loads).values()) == [1]
        # The driver's comm keeps a few recent messages (chunks of articles), not Dask's default 1,000.
        assert engine.client.scheduler_comm.recent_message_log.maxlen <= 16
    assert [prepared.rows.article_id for _, prepared in results] == [a.id for a in articles]
