"""Compact multimap from 64-bit keys to 64-bit values for the duplicate index (gram and LSH-band postings).

Input: batches of (key, value) pairs, one batch per article; output: per looked-up key, how many values
it has and the values themselves. Recent pairs sit in a bounded dict; older ones in a few sorted numpy runs
(16 bytes a pair, against ~100 in a dict of Python ints), merged as they grow: a lookup is a dict pass plus
a few binary searches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Pairs are first collected in a dict (fast to add to and look up in) and written out as a sorted run once
# this many (~30 articles) are buffered. Small on purpose: long-lived small Python objects scattered among
# the driver's short-lived result objects pin allocator arenas, and the process grew ~80 KB per article
# with 65,536; with 8,192 it grows ~12 KB, for a few more runs to search.
BUFFERED_PAIRS = 1 << 13
# A new run is merged into the previous one while that one is at most this many times larger: about
# log2(pairs / BUFFERED_PAIRS) runs stay, and each pair is copied about that many times (amortised).
MERGE_RATIO = 2
_EMPTY = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Matches:
    """Result of ``SortedPostings.lookup``: per query key its count; the pairs (query index, value)."""

    counts: np.ndarray  # int64, one per query key: how many values the key holds (capped keys included)
    query_indexes: np.ndarray  # int64, index into the queried keys of each matched value
    values: np.ndarray  # int64, the matched values (same length as query_indexes)


class SortedPostings:
    """Append-only (key, value) pairs; values below ``drop_below`` are forgotten (evicted articles)."""

    def __init__(self, buffered_pairs: int = BUFFERED_PAIRS) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted keys, values), oldest (largest) first
        self._buffer: dict[int, list[int]] = {}
        self._buffered = 0
        self._buffer_limit = max(1, buffered_pairs)
        self._min_value = np.iinfo(np.int64).min

    def __len__(self) -> int:
        return self._buffered + sum(len(keys) for keys, _ in self._runs)

    @property
    def nbytes(self) -> int:
        """Bytes of the sorted runs (the buffer holds at most ``buffered_pairs`` more pairs)."""
        return sum(keys.nbytes + values.nbytes for keys, values in self._runs)

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        for key, value in zip(keys.tolist(), values.tolist(), strict=True):
            self._buffer.setdefault(key, []).append(value)
        self._buffered += len(keys)
        if self._buffered >= self._buffer_limit:
            self._flush()

    def drop_below(self, min_value: int) -> None:
        """Forget values below ``min_value`` (lazily: they are filtered from lookups and merged runs)."""
        self._min_value = max(self._min_value, min_value)

    def lookup(self, keys: np.ndarray, max_count: int | None = None) -> Matches:
        """Counts and live values of each key; a key with ``max_count`` values or more is counted but its
        values are not returned (boilerplate grams: the common case in a big run, kept cheap). Counts
        include values dropped but not yet merged away."""
        counts = np.zeros(len(keys), dtype=np.int64)
        run_hits = []
        for run_keys, run_values in self._runs:
            hit, starts, lengths = _search_run(run_keys, keys)
            counts[hit] += lengths
            run_hits.append((run_values, hit, starts, lengths))
        # map() looks every key up in C; only the few keys held go through Python.
        held_by_key = list(map(self._buffer.get, keys.tolist()))
        buffered = [(position, held) for position, held in enumerate(held_by_key) if held]
        for position, held in buffered:
            counts[position] += len(held)
        limit = np.iinfo(np.int64).max if max_count is None else max_count
        found_queries: list[np.ndarray] = [_EMPTY]
        found_values: list[np.ndarray] = [_EMPTY]
        for run_values, hit, starts, lengths in run_hits:
            wanted = counts[hit] < limit
            hit, starts, lengths = hit[wanted], starts[wanted], lengths[wanted]
            # Expand each [start, start + length) range into indexes without a Python loop.
            offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            found_queries.append(np.repeat(hit, lengths))
            found_values.append(run_values[np.repeat(starts, lengths) + offsets])
        wanted_buffered = [(position, values) for position, values in buffered if counts[position] < limit]
        found_queries.append(np.array([p for p, vs in wanted_buffered for _ in vs], dtype=np.int64))
        found_values.append(np.array([v for _, vs in wanted_buffered for v in vs], dtype=np.int64))
        queries, values = np.concatenate(found_queries), np.concatenate(found_values)
        live = values >= self._min_value
        return Matches(counts, queries[live], values[live])

    def first(self, key: int) -> int | None:
        """The oldest live value of one key, or None: a single-key lookup without ``lookup``'s array work."""
        for run_keys, run_values in self._runs:  # oldest first; equal keys keep their insertion order
            at = int(run_keys.searchsorted(key))
            while at < len(run_keys) and run_keys[at] == key:
                if run_values[at] >= self._min_value:
                    return int(run_values[at])
                at += 1
        return next((value for value in self._buffer.get(key, ()) if value >= self._min_value), None)

    def _flush(self) -> None:
        sizes = [len(values) for values in self._buffer.values()]
        keys = np.repeat(np.fromiter(self._buffer.keys(), dtype=np.int64, count=len(sizes)), sizes)
        values = np.fromiter((v for vs in self._buffer.values() for v in vs), dtype=np.int64, count=len(keys))
        self._buffer, self._buffered = {}, 0
        # Stable: equal keys keep their insertion order.
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], values[order]))
        while len(self._runs) >= 2 and len(self._runs[-2][0]) <= MERGE_RATIO * len(self._runs[-1][0]):
            self._runs[-2:] = [self._merge(self._runs[-2], self._runs[-1])]

    def _merge(
        self, older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        keys = np.concatenate((older[0], newer[0]))
        values = np.concatenate((older[1], newer[1]))
        order = np.argsort(keys, kind="stable")  # two sorted runs: a linear merge
        keys, values = keys[order], values[order]
        live = values >= self._min_value
        if not live.all():
            keys, values = keys[live], values[live]
        return keys, values


def _search_run(run_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the queried keys found in a sorted run: their query indexes, first run index, and count."""
    low = np.searchsorted(run_keys, keys, side="left")
    inside = np.minimum(low, len(run_keys) - 1)
    hit = np.flatnonzero(run_keys[inside] == keys)
    # Only the keys found need their end: most grams of a new article are new.
    starts = low[hit]
    return hit, starts, np.searchsorted(run_keys, keys[hit], side="right") - starts
