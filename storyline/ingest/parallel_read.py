"""Reading and cleaning input files in worker processes, articles back in input order.

Input: the same paths (and stdin) as ``read_inputs``; output: the same ``Article``s and ``Rejected`` values in
the same order. The calling process only walks folders and hands out file paths; HTML/WARC extraction,
metadata and ``clean_text`` (3–4 ms an article) run in a small pool. A few files are read ahead, so memory
stays bounded by those files, not by the corpus. Stdin is read here (a stream cannot be handed out).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TextIO

from storyline.ingest import InputUnit, input_units, read_unit
from storyline.records import Article, Rejected

FILES_AHEAD_PER_PROCESS = 4  # files read ahead per reading process: enough to keep them busy


def start_reading_pool(n_process: int) -> Pool:
    """A pool of reading processes. Start it before the NLP model is loaded (small, quick forks) and before
    other pools start threads (forking a process with threads can inherit a held lock)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn").Pool(max(1, n_process))


def read_file_articles(path: Path, max_bytes: int) -> list[Article | Rejected]:
    """One file's articles and rejections (runs in a reading process)."""
    return list(read_unit(path, max_bytes=max_bytes))


def read_inputs_in_pool(
    paths: Sequence[str | Path],
    pool: Pool,
    *,
    n_process: int,
    max_bytes: int = 20_000_000,
    stdin: TextIO | None = None,
) -> Iterator[Article | Rejected]:
    """``read_inputs`` with each file read in ``pool``; same items, same order."""
    pending: deque[InputUnit | AsyncResult[list[Article | Rejected]]] = deque()
    ahead = FILES_AHEAD_PER_PROCESS * max(1, n_process)
    for unit in input_units(paths, max_bytes=max_bytes, stdin=stdin):
        pending.append(pool.apply_async(read_file_articles, (unit, max_bytes)) if isinstance(unit, Path) else unit)
        while len(pending) > ahead:
            yield from _items(pending.popleft(), max_bytes)
    while pending:
        yield from _items(pending.popleft(), max_bytes)


def _items(entry: InputUnit | AsyncResult[list[Article | Rejected]], max_bytes: int) -> Iterator[Article | Rejected]:
    if isinstance(entry, AsyncResult):
        yield from entry.get()
    else:
        yield from read_unit(entry, max_bytes=max_bytes)
