"""Duplicate and shared-passage detection across the articles of a run, one article at a time.

``DuplicateIndex.add(id, text)`` returns ``ArticleLink``s from the new article to earlier ones: exact
duplicates (same normalized words), near duplicates (MinHash-LSH over word 5-shingles) and shared
passages (runs of common word 8-grams, e.g. a syndicated paragraph or a reused quote), with char spans.
The costly part, ``text_signature`` (tokens, hashes, MinHash), is pure and stable across processes, so Dask
workers compute it and the driver only looks it up and inserts it (``add_signature``).
"""

from __future__ import annotations

import hashlib
import re
import struct
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from storyline.records import ArticleLink

NUM_PERM = 96
SHINGLE_WORDS = 5
# LSH retrieves candidates at a lower threshold; the estimate then decides the link.
LSH_CANDIDATE_THRESHOLD = 0.6
NEAR_DUPLICATE_JACCARD = 0.8

PASSAGE_GRAM_WORDS = 8
# Fewer words than this is a stock phrase ("according to the … Observatory for Human Rights"), not a passage.
MIN_PASSAGE_WORDS = 10
# An 8-gram already in this many articles is boilerplate (bylines, footers, stock phrases): ignored,
# and its posting list stops growing, which bounds the cost of each lookup.
MAX_ARTICLES_PER_GRAM = 6
# Runs of matching 8-grams this close (in words, on both sides) merge into one passage, so that one
# changed word in a copied paragraph does not split it in two.
MAX_GAP_WORDS = 10
MAX_SHIFT_WORDS = 3
# A passage whose first (last) few words close the previous (open the next) sentence is trimmed to it.
MAX_SENTENCE_SNAP_WORDS = 4

# Words (letters/digits); quotes, dashes and other punctuation are skipped, which makes curly and straight
# quotes, or "–" and "-", compare equal.
_TOKEN = re.compile(r"\w+")
# A sentence or line ends in the gap between two words ("3.5" has no space after the point: no end).
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s|\n")
_COMMON = -1  # posting marker for boilerplate grams
_POSITION_BITS = 24  # a posting packs (article index, word position) into one int
_MINHASH_SEED = 1  # datasketch's default: every process draws the same permutations


@dataclass(frozen=True, slots=True)
class TextSignature:
    """What the index needs from one text, computed without the index (picklable, a few KB)."""

    exact_key: int | None  # None for a text without words
    minhash: np.ndarray | None  # MinHash values of the word 5-shingles
    scheme: str
    grams: array  # stable hash of each word 8-gram
    starts: array  # char offset of each word
    ends: array


_PROTOTYPE: MinHash | None = None  # holds the permutations and hashing scheme, built once per process


def text_signature(text: str) -> TextSignature:
    """Tokens and hashes of a text; the same in every process (no use of Python's salted ``hash(str)``)."""
    global _PROTOTYPE
    words: list[str] = []
    starts = array("I")
    ends = array("I")
    for match in _TOKEN.finditer(text):
        words.append(match.group().casefold())
        starts.append(match.start())
        ends.append(match.end())
    if not words:
        return TextSignature(None, None, "", array("q"), starts, ends)
    if _PROTOTYPE is None:
        _PROTOTYPE = MinHash(num_perm=NUM_PERM, seed=_MINHASH_SEED)
    minhash = MinHash(
        num_perm=NUM_PERM, seed=_MINHASH_SEED, permutations=_PROTOTYPE.permutations, scheme=_PROTOTYPE.scheme
    )
    width = min(SHINGLE_WORDS, len(words))
    shingles = {" ".join(words[i : i + width]).encode("utf-8") for i in range(len(words) - width + 1)}
    minhash.update_batch(list(shingles))
    return TextSignature(
        _stable_hash(words), minhash.hashvalues, minhash.scheme, array("q", _gram_hashes(words)), starts, ends
    )


def _stable_hash(parts: Iterable[str]) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int(struct.unpack("<Q", digest)[0])


@dataclass
class _Hit:
    """A run of matching 8-grams: new-article word positions [i0, i1], earlier-article [j0, j1]."""

    i0: int
    i1: int
    j0: int
    j1: int


class DuplicateIndex:
    """Incremental index; rebuild it by calling ``add`` again over stored (id, text) pairs in order."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=LSH_CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
        self._minhashes: dict[str, LeanMinHash] = {}
        self._exact: dict[int, str] = {}
        self._grams: dict[int, int | list[int]] = {}
        self._ids: list[str] = []
        self._offsets: list[tuple[array, array]] = []
        self._links: dict[str, list[ArticleLink]] = {}

    def __len__(self) -> int:
        return len(self._links)

    def add(self, article_id: str, text: str) -> list[ArticleLink]:
        """Links from this article to earlier ones; adding a known id again returns its first links."""
        if article_id in self._links:
            return list(self._links[article_id])
        return self.add_signature(article_id, text, text_signature(text))

    def add_signature(self, article_id: str, text: str, signature: TextSignature) -> list[ArticleLink]:
        """``add`` with the signature computed elsewhere (on a worker); ``text`` is only read for spans."""
        if article_id in self._links:
            return list(self._links[article_id])
        links: list[ArticleLink] = []
        key = signature.exact_key
        earlier_exact = self._exact.get(key) if key is not None else None
        if earlier_exact is not None:
            links.append(ArticleLink(article_id, earlier_exact, "exact_duplicate", 1.0))
        else:
            if key is not None:
                self._exact[key] = article_id
            links.extend(self._near_duplicates(article_id, signature))
            duplicated = {link.target_id for link in links}
            links.extend(self._shared_passages(article_id, text, signature, duplicated))
        self._links[article_id] = links
        return list(links)

    def _near_duplicates(self, article_id: str, signature: TextSignature) -> list[ArticleLink]:
        if signature.minhash is None:
            return []
        minhash = LeanMinHash(seed=_MINHASH_SEED, hashvalues=signature.minhash, scheme=signature.scheme)
        links = []
        for candidate in self._lsh.query(minhash):
            estimate = float(minhash.jaccard(self._minhashes[candidate]))
            if estimate >= NEAR_DUPLICATE_JACCARD:
                links.append(ArticleLink(article_id, candidate, "near_duplicate", round(estimate, 3)))
        links.sort(key=lambda link: (-link.score, link.target_id))
        if not links:
            # A near duplicate is represented by the article it copies: keeping copies out of the LSH
            # buckets (and out of the passage index) keeps each add's cost flat when a story is
            # syndicated hundreds of times.
            self._lsh.insert(article_id, minhash)
            self._minhashes[article_id] = minhash
        return links

    def _shared_passages(self, article_id: str, text: str, tokens: TextSignature, skip: set[str]) -> list[ArticleLink]:
        grams = tokens.grams
        hits_by_article = self._lookup(grams)
        if not skip:
            index = len(self._ids)
            self._ids.append(article_id)
            self._offsets.append((tokens.starts, tokens.ends))
            self._post(index, grams)
        links = []
        n_words = max(len(tokens.starts), 1)
        for earlier, pairs in sorted(hits_by_article.items()):
            target_id = self._ids[earlier]
            if target_id in skip:
                continue
            target_starts, target_ends = self._offsets[earlier]
            for hit in _merge_hits(pairs):
                last_i = hit.i1 + PASSAGE_GRAM_WORDS - 1
                last_j = hit.j1 + PASSAGE_GRAM_WORDS - 1
                # Matching words before a sentence start ("… the town. 'Our units …") are a coincidence
                # of context; the passage starts with the sentence.
                shift = _sentence_start_shift(text, tokens, hit.i0, last_i)
                trim = _sentence_end_trim(text, tokens, hit.i0 + shift, last_i)
                last_i, last_j = last_i - trim, last_j - trim
                size = last_i - hit.i0 - shift + 1
                if size < MIN_PASSAGE_WORDS:
                    continue
                links.append(
                    ArticleLink(
                        article_id,
                        target_id,
                        "shared_passage",
                        round(min(1.0, size / n_words), 3),
                        source_span=(tokens.starts[hit.i0 + shift], tokens.ends[last_i]),
                        target_span=(target_starts[hit.j0 + shift], target_ends[last_j]),
                    )
                )
        return links

    def _lookup(self, grams: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
        """(new position, earlier position) pairs per earlier article, skipping boilerplate grams."""
        hits: dict[int, list[tuple[int, int]]] = {}
        mask = (1 << _POSITION_BITS) - 1
        for position, gram in enumerate(grams):
            posting = self._grams.get(gram)
            if posting is None or posting == _COMMON:
                continue
            if isinstance(posting, list) and len(posting) >= MAX_ARTICLES_PER_GRAM:
                continue  # about to be marked common: already boilerplate
            for packed in posting if isinstance(posting, list) else (posting,):
                hits.setdefault(packed >> _POSITION_BITS, []).append((position, packed & mask))
        return hits

    def _post(self, index: int, grams: Sequence[int]) -> None:
        seen: set[int] = set()
        for position, gram in enumerate(grams):
            if gram in seen or position >> _POSITION_BITS:
                continue  # one posting per gram per article keeps the lists short
            seen.add(gram)
            packed = (index << _POSITION_BITS) | position
            posting = self._grams.get(gram)
            if posting is None:
                self._grams[gram] = packed
            elif posting == _COMMON:
                continue
            elif isinstance(posting, int):
                self._grams[gram] = [posting, packed]
            elif len(posting) >= MAX_ARTICLES_PER_GRAM:
                self._grams[gram] = _COMMON
            else:
                posting.append(packed)


def _gram_hashes(words: list[str]) -> list[int]:
    """Hash of each run of PASSAGE_GRAM_WORDS words. Words are hashed with blake2b (``hash(str)`` is salted
    per process); a tuple of ints hashes the same in every process."""
    by_word: dict[str, int] = {}
    word_hashes = [by_word.get(w) or by_word.setdefault(w, _stable_hash((w,))) for w in words]
    return [hash(tuple(word_hashes[i : i + PASSAGE_GRAM_WORDS])) for i in range(len(words) - PASSAGE_GRAM_WORDS + 1)]


def _sentence_start_shift(text: str, tokens: TextSignature, first: int, last: int) -> int:
    """How many leading words of a passage belong to the end of the previous sentence (0 if none)."""
    for shift in range(1, min(MAX_SENTENCE_SNAP_WORDS, last - first) + 1):
        gap = text[tokens.ends[first + shift - 1] : tokens.starts[first + shift]]
        if _SENTENCE_END.search(gap):
            return shift
    return 0


def _sentence_end_trim(text: str, tokens: TextSignature, first: int, last: int) -> int:
    """How many trailing words of a passage open the next sentence (0 if none)."""
    for trim in range(1, min(MAX_SENTENCE_SNAP_WORDS, last - first) + 1):
        gap = text[tokens.ends[last - trim] : tokens.starts[last - trim + 1]]
        if _SENTENCE_END.search(gap):
            return trim
    return 0


def _merge_hits(pairs: list[tuple[int, int]]) -> list[_Hit]:
    """Chain matching grams that advance together on both sides into passages."""
    runs: list[_Hit] = []
    for i, j in sorted(pairs):
        for run in reversed(runs[-4:]):
            gap = i - run.i1
            if 0 < gap <= MAX_GAP_WORDS and abs((j - run.j1) - gap) <= MAX_SHIFT_WORDS and j > run.j1:
                run.i1, run.j1 = i, j
                break
        else:
            runs.append(_Hit(i, i, j, j))
    return runs


def is_duplicate(links: Iterable[ArticleLink]) -> str | None:
    """The earlier article this one duplicates (exact first, else the closest near duplicate), or None."""
    best: tuple[int, float, str] | None = None
    for link in links:
        rank = {"exact_duplicate": 2, "near_duplicate": 1}.get(link.kind)
        if rank is None:
            continue
        candidate = (rank, link.score, link.target_id)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None
