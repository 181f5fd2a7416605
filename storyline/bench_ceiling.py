"""The hardware ceiling for parallel speed-up: bare spaCy ``nlp.pipe`` with 1 and with N processes.

Input: process counts, seconds per run, runs; output (one JSON line): docs/s per run and their medians, and
the median ratio. Docs before ``skip`` (pool start, model load, first batches) are not timed, so the ratio
is what more processes give at steady state: ``python -m storyline.bench_ceiling --docs 1000 --runs 3``.
``--independent`` runs N separate processes, each parsing its own texts and keeping its Docs, started together
after their warm-up: no parent unpickles Docs, so what remains is how much the cores slow each other.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from storyline.benchmark import bench_corpus, cpu_seconds
from storyline.nlp.model import bare_model
from storyline.pipeline import Context


@dataclass(frozen=True)
class PipeRun:
    docs_per_s: float  # wall, from doc ``skip`` on
    seconds: float
    cpu_ms_per_doc: float  # CPU of the process(es) parsing, over all docs: robust to other load on the machine


def steady_pipe_run(n_process: int, n_docs: int, skip: int, batch_size: int) -> PipeRun:
    """Bare ``nlp.pipe`` over ``n_docs`` bench texts. The input is finite: spaCy's process pool does not
    shut down when a consumer stops early."""
    ctx = Context()
    texts = bench_corpus(n_docs)
    started = 0.0
    # With workers, this process only hands out texts: their CPU (reaped at the end) is the parsing.
    who = resource.RUSAGE_CHILDREN if n_process > 1 else resource.RUSAGE_SELF
    cpu_started = cpu_seconds(who)
    with bare_model(ctx.nlp) as nlp:
        for count, _doc in enumerate(nlp.pipe(texts, batch_size=batch_size, n_process=n_process)):
            if count == skip:
                started = time.perf_counter()
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(who) - cpu_started
    return PipeRun((n_docs - 1 - skip) / seconds, seconds, 1000 * cpu / n_docs)


def _independent_worker(n_docs: int, skip: int, batch_size: int, start: Any, results: Any) -> None:
    ctx = Context()
    texts = bench_corpus(n_docs + skip)
    with bare_model(ctx.nlp) as nlp:
        for _doc in nlp.pipe(texts[:skip], batch_size=batch_size):
            pass
        start.wait()  # every process begins timing together, model loaded and warm
        began, cpu_began = time.perf_counter(), cpu_seconds()
        for _doc in nlp.pipe(texts[skip:], batch_size=batch_size):
            pass
        results.put((began, time.perf_counter(), cpu_seconds() - cpu_began))


def independent_pipe_run(n_process: int, n_docs: int, skip: int, batch_size: int) -> PipeRun:
    """``n_process`` processes each parse ``n_docs`` texts on their own; docs/s over the span from the common
    start to the last finish (perf_counter is system-wide monotonic on Linux)."""
    forked = multiprocessing.get_context("fork")  # before any model is loaded in this process
    start, results = forked.Barrier(n_process), forked.Queue()
    processes = [
        forked.Process(target=_independent_worker, args=(n_docs, skip, batch_size, start, results))
        for _ in range(n_process)
    ]
    for process in processes:
        process.start()
    spans = [results.get() for _ in processes]
    for process in processes:
        process.join()
    seconds = max(end for _, end, _ in spans) - min(began for began, _, _ in spans)
    cpu = sum(spent for _, _, spent in spans)
    return PipeRun(n_process * n_docs / seconds, seconds, 1000 * cpu / (n_process * n_docs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--docs", type=int, default=1000, help="docs per process (≥ 60 s on this machine)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--independent", action="store_true", help="separate processes, no Docs shipped back")
    args = parser.parse_args()
    measure = independent_pipe_run if args.independent else steady_pipe_run
    runs: dict[int, list[PipeRun]] = {1: [], args.processes: []}
    for run in range(args.runs):  # alternate, so a busy spell on the machine hits both settings
        for n_process, done in runs.items():
            n_docs = args.docs if args.independent else args.docs * n_process
            done.append(measure(n_process, n_docs, args.skip, args.batch_size))
            print(f"run {run + 1}: {n_process} process(es) {done[-1]}", file=sys.stderr)
    rate = {n: statistics.median(r.docs_per_s for r in done) for n, done in runs.items()}
    cpu = {n: statistics.median(r.cpu_ms_per_doc for r in done) for n, done in runs.items()}
    report = {
        "docs_per_s": {n: [round(r.docs_per_s, 2) for r in done] for n, done in runs.items()},
        "cpu_ms_per_doc": {n: [round(r.cpu_ms_per_doc, 1) for r in done] for n, done in runs.items()},
        "ratio": round(rate[args.processes] / rate[1], 3),
        # What N processes would give on N idle cores: each parses at its own CPU cost per doc.
        "cpu_ratio_ceiling": round(args.processes * cpu[1] / cpu[args.processes], 3),
        "independent": args.independent,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
