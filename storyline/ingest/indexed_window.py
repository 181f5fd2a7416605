"""The duplicate index's look-back window: per indexed article its id, MinHash and word offsets, in a ring.

Input: article index (0, 1, 2, … in insertion order) with what near-duplicate and passage search need of
it; output: the same back by index while it is among the last ``capacity``. MinHashes live in one fixed
uint32 matrix, offsets are packed to ~3 bytes a word (gap from the previous word, word length): no
per-article Python objects beyond the id and one bytes object, so memory per article stays small.
"""

from __future__ import annotations

from array import array

import numpy as np

# (dtype for gaps between word starts, dtype for word lengths), narrowest first: news text fits the
# first; a page with a 70,000-character run of non-words or a 300-letter "word" takes a wider one.
_PACKINGS: tuple[tuple[str, str], ...] = (("<u2", "u1"), ("<u4", "<u2"), ("<u4", "<u4"))
_ITEM_SIZES = {dtype: np.dtype(dtype).itemsize for packing in _PACKINGS for dtype in packing}
_SUM = np.add.reduce


class IndexedWindow:
    """The last ``capacity`` indexed articles by article index; older slots are overwritten."""

    def __init__(self, capacity: int, num_perm: int) -> None:
        self._capacity = max(1, capacity)
        self._ids: list[str | None] = [None] * self._capacity
        self._indexes = np.full(self._capacity, -1, dtype=np.int64)  # which article holds each slot
        # np.zeros maps the matrix lazily: pages are committed as articles fill them.
        self._minhashes = np.zeros((self._capacity, num_perm), dtype=np.uint32)
        self._has_minhash = np.zeros(self._capacity, dtype=bool)
        self._offsets: list[bytes | None] = [None] * self._capacity
        self._packing = np.zeros(self._capacity, dtype=np.uint8)
        self._word_counts = np.zeros(self._capacity, dtype=np.int64)
        self._first_live = 0  # every article below this index has been dropped

    @property
    def nbytes(self) -> int:
        """Bytes of the MinHashes and offsets in use (not the ids)."""
        used = self._indexes >= 0
        offsets = sum(len(packed) for packed in self._offsets if packed is not None)
        return int(used.sum()) * self._minhashes.shape[1] * 4 + offsets

    def put(self, index: int, article_id: str, minhash: np.ndarray | None, starts: array, ends: array) -> None:
        slot = index % self._capacity
        self._ids[slot] = article_id
        self._indexes[slot] = index
        self._has_minhash[slot] = minhash is not None
        if minhash is not None:
            self._minhashes[slot] = minhash
        packing, packed = _pack_offsets(starts, ends)
        self._offsets[slot], self._packing[slot], self._word_counts[slot] = packed, packing, len(starts)

    def drop_below(self, first_live: int) -> None:
        """Forget articles before ``first_live`` (their slots free their offsets now, not when reused)."""
        dropped_from, self._first_live = self._first_live, max(self._first_live, first_live)
        if self._first_live - dropped_from <= self._capacity:
            # Articles below the previous bound are gone already: only the slots of the newly dropped
            # indexes can hold one (an eviction per added article visits one slot, not all of them).
            slots = [index % self._capacity for index in range(dropped_from, self._first_live)]
            held = self._indexes[slots].tolist()
            stale = [slot for slot, index in zip(slots, held, strict=True) if 0 <= index < self._first_live]
        else:
            stale = np.flatnonzero((self._indexes >= 0) & (self._indexes < self._first_live)).tolist()
        for slot in stale:
            self._ids[slot], self._offsets[slot] = None, None
        self._indexes[stale] = -1

    def article_id(self, index: int) -> str | None:
        slot = index % self._capacity
        return self._ids[slot] if self._indexes[slot] == index else None

    def minhash(self, index: int) -> np.ndarray | None:
        slot = index % self._capacity
        if self._indexes[slot] != index or not self._has_minhash[slot]:
            return None
        return self._minhashes[slot]

    def span(self, index: int, first_word: int, last_word: int) -> tuple[int, int] | None:
        """Char span from the start of one word to the end of another: only these two are decoded (most
        passage candidates are too short to become links, so whole offset arrays are not built)."""
        slot = index % self._capacity
        packed = self._offsets[slot]
        if self._indexes[slot] != index or packed is None:
            return None
        gap_type, length_type = _PACKINGS[int(self._packing[slot])]
        gaps = np.frombuffer(packed, dtype=gap_type, count=int(self._word_counts[slot]))
        length_at = gaps.nbytes + last_word * _ITEM_SIZES[length_type]
        length = int(np.frombuffer(packed, dtype=length_type, count=1, offset=length_at)[0])
        # ``np.add.reduce`` rather than ``.sum()``: the same sum without numpy's Python-level wrapper, which
        # cost more than the addition itself (one span per passage link, dozens an article).
        start = int(_SUM(gaps[: first_word + 1], dtype=np.int64))
        return start, int(_SUM(gaps[: last_word + 1], dtype=np.int64)) + length


def _pack_offsets(starts: array, ends: array) -> tuple[int, bytes]:
    """(packing number, gaps then lengths as bytes) in the narrowest packing that holds them exactly."""
    start_values = np.frombuffer(starts, dtype=np.uint32).astype(np.int64) if len(starts) else np.zeros(0, np.int64)
    end_values = np.frombuffer(ends, dtype=np.uint32).astype(np.int64) if len(ends) else np.zeros(0, np.int64)
    gaps = np.diff(start_values, prepend=0)
    lengths = end_values - start_values
    for number, (gap_type, length_type) in enumerate(_PACKINGS):
        if gaps.size == 0 or (gaps.max() <= np.iinfo(gap_type).max and lengths.max() <= np.iinfo(length_type).max):
            return number, gaps.astype(gap_type).tobytes() + lengths.astype(length_type).tobytes()
    raise ValueError("word offsets beyond 32 bits")  # array("I") cannot hold such offsets to begin with
