"""The duplicate index's per-article steps on the driver: incremental eviction from the ring window forgets
exactly the articles below the bound (small steps, jumps beyond the capacity, a bound that goes back), and a
postings lookup through the buffer and the sorted runs gives what a plain list of pairs gives."""

from __future__ import annotations

import random
from array import array

import numpy as np

from storyline.ingest.indexed_window import IndexedWindow
from storyline.ingest.sorted_postings import SortedPostings


def _put(window: IndexedWindow, index: int) -> None:
    starts, ends = array("I", [0, 6]), array("I", [5, 11])  # "words words"
    window.put(index, f"id{index}", np.full(4, index, dtype=np.uint32), starts, ends)


def _live(window: IndexedWindow, indexes: range) -> list[int]:
    return [index for index in indexes if window.article_id(index) is not None]


def test_eviction_one_article_at_a_time_keeps_exactly_the_window():
    window = IndexedWindow(capacity=4, num_perm=4)
    for index in range(11):
        _put(window, index)
        window.drop_below(max(0, index - 2))
        assert _live(window, range(12)) == list(range(max(0, index - 2), index + 1))
    assert window.span(7, 0, 1) is None and window.minhash(7) is None
    assert window.span(10, 0, 1) == (0, 11)


def test_a_jump_beyond_the_capacity_and_a_bound_going_back():
    window = IndexedWindow(capacity=5, num_perm=4)
    for index in range(5):
        _put(window, index)
    window.drop_below(2)
    window.drop_below(1)  # lower than before: nothing comes back, nothing else goes
    assert _live(window, range(5)) == [2, 3, 4]
    for index in range(5, 8):
        _put(window, index)
    window.drop_below(40)  # far past everything held: every slot is freed
    assert _live(window, range(50)) == []
    assert window.nbytes == 0
    _put(window, 41)  # indexes skipped by the jump never held a slot; a later one works as usual
    window.drop_below(41)
    assert _live(window, range(50)) == [41]


def _reference(
    pairs: list[tuple[int, int]], keys: list[int], max_count: int | None, floor: int, counted: list[int]
) -> tuple[list[int], list[tuple[int, int]]]:
    """Counts of every pair per key, and the (query position, value) pairs at or above ``floor`` of the keys
    whose ``counted`` values stay below ``max_count`` (dropped values count until a merge removes them)."""
    counts = [sum(1 for k, _ in pairs if k == key) for key in keys]
    found = sorted(
        (position, value)
        for position, key in enumerate(keys)
        if max_count is None or counted[position] < max_count
        for k, value in pairs
        if k == key and value >= floor
    )
    return counts, found


def test_lookups_over_buffer_and_runs_match_a_plain_list_of_pairs():
    rng = random.Random(7)
    postings = SortedPostings(buffered_pairs=16)  # small: several sorted runs plus a partly filled buffer
    pairs: list[tuple[int, int]] = []
    for article in range(40):
        keys = [rng.randrange(-30, 30) for _ in range(rng.randrange(0, 9))]  # negatives and repeats too
        postings.add(np.array(keys, dtype=np.int64), np.full(len(keys), article, dtype=np.int64))
        pairs.extend((key, article) for key in keys)
        if article == 25:
            postings.drop_below(10)
        floor = 10 if article >= 25 else np.iinfo(np.int64).min
        query = [rng.randrange(-35, 35) for _ in range(12)]
        for max_count in (None, 3):
            matches = postings.lookup(np.array(query, dtype=np.int64), max_count=max_count)
            counts, found = _reference(pairs, query, max_count, floor, matches.counts.tolist())
            if article < 25:  # before any drop the counts are exact
                assert matches.counts.tolist() == counts
            got = sorted(zip(matches.query_indexes.tolist(), matches.values.tolist(), strict=True))
            assert got == found


def test_lookup_of_nothing_and_of_keys_never_added():
    postings = SortedPostings(buffered_pairs=4)
    assert postings.lookup(np.zeros(0, dtype=np.int64)).counts.tolist() == []
    postings.add(np.array([5, 5, 9], dtype=np.int64), np.array([1, 2, 3], dtype=np.int64))
    matches = postings.lookup(np.array([4, 5, 6], dtype=np.int64))
    assert matches.counts.tolist() == [0, 2, 0]
    assert sorted(matches.values.tolist()) == [1, 2]
