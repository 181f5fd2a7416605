"""The hardware ceiling for parallel speed-up: bare spaCy ``nlp.pipe`` with 1 and with N processes.

Input: process counts, seconds per run, runs; output (one JSON line): docs/s per run and their medians, and
the median ratio. Docs before ``skip`` (pool start, model load, first batches) are not timed, so the ratio
is what more processes give at steady state: ``python -m storyline.bench_ceiling --docs 1000 --runs 3``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--docs", type=int, default=1000, help="docs per process (≥ 60 s on this machine)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    runs: dict[int, list[PipeRun]] = {1: [], args.processes: []}
    for run in range(args.runs):  # alternate, so a busy spell on the machine hits both settings
        for n_process, done in runs.items():
            done.append(steady_pipe_run(n_process, args.docs * n_process, args.skip, args.batch_size))
            print(f"run {run + 1}: {n_process} process(es) {done[-1]}", file=sys.stderr)
    rate = {n: statistics.median(r.docs_per_s for r in done) for n, done in runs.items()}
    cpu = {n: statistics.median(r.cpu_ms_per_doc for r in done) for n, done in runs.items()}
    report = {
        "docs_per_s": {n: [round(r.docs_per_s, 2) for r in done] for n, done in runs.items()},
        "cpu_ms_per_doc": {n: [round(r.cpu_ms_per_doc, 1) for r in done] for n, done in runs.items()},
        "ratio": round(rate[args.processes] / rate[1], 3),
        # What N processes would give on N idle cores: each parses at its own CPU cost per doc.
        "cpu_ratio_ceiling": round(args.processes * cpu[1] / cpu[args.processes], 3),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
