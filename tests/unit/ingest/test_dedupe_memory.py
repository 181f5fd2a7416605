"""The duplicate index's compact storage: sorted-run postings, a bounded look-back window, exact copies
claimed before analysis — with the same links as the dict-based index had."""

from __future__ import annotations

import gc
import random
import tracemalloc

import numpy as np

from storyline.ingest.dedupe import DuplicateIndex, exact_key, text_signature
from storyline.ingest.exact_keys import ExactKeyMap
from storyline.ingest.sorted_postings import SortedPostings

SYNDICATED = (
    "The regional water board said on Tuesday that the reservoir above Halden had fallen to a third of its "
    "capacity, the lowest level recorded in late spring, and asked households to stop watering gardens."
)
VOCABULARY = (
    "river council road bridge school harbour market station farm valley storm police mayor village "
    "train ferry clinic union strike budget tower field forest coast hill lake north south east west"
).split()


def _filler(rng: random.Random, n_words: int) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(n_words)]
    return " ".join(words).capitalize() + "."


def _corpus(n: int, seed: int = 3) -> list[str]:
    """Random-word articles; every fifth carries the syndicated paragraph, every seventh is an edited copy."""
    rng = random.Random(seed)
    texts: list[str] = []
    for i in range(n):
        if i % 7 == 6:
            texts.append(texts[i - 3].replace("e", "e ", 1) + " Additional reporting by a correspondent.")
        elif i % 5 == 0:
            texts.append(f"{_filler(rng, 40)}\n\n{SYNDICATED}\n\n{_filler(rng, 30)}")
        else:
            texts.append(_filler(rng, 80))
    return texts


def test_postings_match_a_plain_multimap_through_buffer_flushes_merges_and_drops():
    rng = random.Random(7)
    postings = SortedPostings(buffered_pairs=5)  # tiny buffer: many runs and merges
    expected: dict[int, list[int]] = {}
    for value in range(60):
        keys = np.array([rng.randrange(-40, 40) for _ in range(4)], dtype=np.int64)
        postings.add(keys, np.full(4, value, dtype=np.int64))
        for key in keys.tolist():
            expected.setdefault(key, []).append(value)
    postings.drop_below(20)
    query = np.array([-40, -3, 0, 17, 39, 1000], dtype=np.int64)
    matches = postings.lookup(query)
    for position, key in enumerate(query.tolist()):
        live = sorted(v for v in expected.get(key, []) if v >= 20)
        got = sorted(matches.values[matches.query_indexes == position].tolist())
        assert got == live
        # Dropped values still count until a merge removes them: never fewer than the live ones.
        assert len(live) <= matches.counts[position] <= len(expected.get(key, []))
    assert matches.counts[-1] == 0  # a key never added
    # Keys holding max_count values or more are counted, but their values are not returned.
    capped = postings.lookup(query, max_count=3)
    assert (capped.counts == matches.counts).all()
    for position in range(len(query)):
        returned = int((capped.query_indexes == position).sum())
        assert returned == (0 if matches.counts[position] >= 3 else int((matches.query_indexes == position).sum()))
    assert any(matches.counts >= 3) and any((matches.counts < 3) & (matches.counts > 0))


def test_buffer_size_does_not_change_any_link():
    texts = _corpus(60)
    reference = DuplicateIndex()
    expected = [reference.add(f"a{i}", text) for i, text in enumerate(texts)]
    assert any(link.kind == "shared_passage" for links in expected for link in links)
    assert any(link.kind == "near_duplicate" for links in expected for link in links)
    for buffered in (1, 13, 400):
        index = DuplicateIndex()
        index._grams, index._bands = SortedPostings(buffered), SortedPostings(buffered)
        assert [index.add(f"a{i}", text) for i, text in enumerate(texts)] == expected


def test_articles_beyond_the_window_drop_out_of_passage_search_but_not_exact_search():
    rng = random.Random(11)
    first = f"{_filler(rng, 30)} {SYNDICATED}"
    unrelated = [_filler(rng, 50) for _ in range(3)]
    later = f"{SYNDICATED} {_filler(rng, 30)}"
    for window, linked in ((4, True), (3, False)):
        index = DuplicateIndex(max_indexed=window)
        index.add("first", first)
        for i, text in enumerate(unrelated):
            index.add(f"u{i}", text)
        kinds = {(link.kind, link.target_id) for link in index.add("later", later)}
        assert (("shared_passage", "first") in kinds) is linked
        assert [link.kind for link in index.add("copy", first.upper())] == ["exact_duplicate"]


def test_memory_stays_bounded_by_the_window():
    texts = [_filler(random.Random(seed), 200) for seed in range(240)]
    index = DuplicateIndex(max_indexed=40)
    index._grams, index._bands = SortedPostings(500), SortedPostings(500)
    sizes = []
    for i, text in enumerate(texts):
        index.add(f"a{i}", text)
        if i in (79, 239):
            sizes.append(index.nbytes)
    # Three times the articles, not three times the bytes: old postings are dropped as runs merge.
    assert sizes[1] < 1.5 * sizes[0]


def test_claimed_exact_copy_is_linked_before_analysis_and_original_is_added_normally():
    index = DuplicateIndex()
    index.add("earlier", f"{_filler(random.Random(5), 60)} {SYNDICATED}")
    assert index.claim_exact("original", SYNDICATED) == []  # first with these words: claims them
    (copy_link,) = index.claim_exact("copy", SYNDICATED.upper().replace(",", " ,"))
    assert (copy_link.kind, copy_link.target_id) == ("exact_duplicate", "original")
    # The original's signature arrives later (from a worker): it is not a duplicate of itself.
    links = index.add_signature("original", SYNDICATED, text_signature(SYNDICATED))
    assert [(link.kind, link.target_id) for link in links] == [("shared_passage", "earlier")]
    assert index.add("copy", SYNDICATED) == [copy_link]  # a known id keeps its first links
    assert exact_key(SYNDICATED) == text_signature(SYNDICATED).exact_key
    assert exact_key(" \u2014 ") is None


def test_nothing_grows_with_the_number_of_articles_beyond_the_window():
    # Links, ids and offsets of articles past the window used to be kept: ~400 bytes an article here
    # (~3 KB on news text, which has more shared passages), so 450 more articles added ~180 KB.
    texts = _corpus(600, seed=9)
    index = DuplicateIndex(max_indexed=30)
    index._grams, index._bands = SortedPostings(300), SortedPostings(300)
    index._exact = ExactKeyMap(buffered_pairs=8)
    traced = []
    tracemalloc.start()
    try:
        for i, text in enumerate(texts):
            index.add(f"{i:016x}", text)
            if (i + 1) % 150 == 0:
                gc.collect()
                traced.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    assert len(index) == 600
    # Buffers and run merges make the size go up and down by a few tens of KB, not up with the count.
    assert max(traced) - min(traced) < 64_000, traced
    # Exact copies of the very first articles are still found, with their ids.
    (link,) = index.add("copy-of-first", texts[1].upper())
    assert (link.kind, link.target_id) == ("exact_duplicate", f"{1:016x}")


def test_exact_key_map_keeps_the_first_id_for_hex_and_other_ids():
    keys = ExactKeyMap(buffered_pairs=2)  # flushes into sorted runs after two pairs
    big_key = (1 << 64) - 5  # a key with the top bit set: packed as a negative int64
    assert keys.claim(big_key, "ffffffffffffff01") == "ffffffffffffff01"
    assert keys.claim(7, "0000000000000abc") == "0000000000000abc"
    assert keys.claim(9, "not-a-hex-id") == "not-a-hex-id"
    assert keys.claim(11, "ABCDEF0123456789") == "ABCDEF0123456789"  # upper case: kept as given
    # Later claims of the same key get the first holder back, exactly as it was given.
    assert keys.claim(big_key, "1111111111111111") == "ffffffffffffff01"
    assert keys.claim(7, "other") == "0000000000000abc"
    assert keys.claim(9, "2222222222222222") == "not-a-hex-id"
    assert keys.get(11) == "ABCDEF0123456789" and keys.get(12345) is None
