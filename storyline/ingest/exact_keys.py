"""The duplicate index's map from exact-duplicate key (64-bit hash of a text's words) to the first article id.

Input: (key, article id) pairs, first one kept; output: the article id for a key, or None. It holds every
article of a run (exact copies of any earlier article are found, beyond the near-duplicate window), so
it is kept compact: a 16-hex-digit article id (``content_id``) is packed into the 64-bit value of a
``SortedPostings`` pair, 16 bytes an article against ~140 in a dict of int → str.
"""

from __future__ import annotations

import re

import numpy as np

from storyline.ingest.sorted_postings import SortedPostings

_HEX_ID = re.compile(r"[0-9a-f]{16}")
# One pair per article: a small buffer (a dict entry costs ~150 bytes) flushed into sorted runs often.
BUFFERED_PAIRS = 1 << 10
_SIGN_BIT = 1 << 63
_MASK = (1 << 64) - 1


class ExactKeyMap:
    """Insert-if-absent map of int key → article id (ids of other shapes are kept in a plain dict)."""

    def __init__(self, buffered_pairs: int = BUFFERED_PAIRS) -> None:
        self._packed = SortedPostings(buffered_pairs)  # key → id packed as int64
        self._other: dict[int, str] = {}  # key → an id that is not 16 lowercase hex digits

    def get(self, key: int) -> str | None:
        other = self._other.get(key)
        if other is not None:
            return other
        packed = self._packed.first(_as_int64(key))
        return None if packed is None else _unpack(packed)

    def claim(self, key: int, article_id: str) -> str:
        """The id that holds ``key``: an earlier one if any, else ``article_id``, which now holds it."""
        earlier = self.get(key)
        if earlier is not None:
            return earlier
        if _HEX_ID.fullmatch(article_id):
            self._packed.add(np.array([_as_int64(key)], dtype=np.int64), np.array([_pack(article_id)], dtype=np.int64))
        else:
            self._other[key] = article_id
        return article_id


def _as_int64(value: int) -> int:
    """An unsigned 64-bit int as the signed int64 with the same bits."""
    return value - (1 << 64) if value & _SIGN_BIT else value


def _pack(hex_id: str) -> int:
    return _as_int64(int(hex_id, 16))


def _unpack(value: int) -> str:
    return format(value & _MASK, "016x")
