"""Duplicate and shared-passage detection across the articles of a run, one article at a time.

``DuplicateIndex.add(id, text)`` returns ``ArticleLink``s from the new article to earlier ones: exact
duplicates (same normalized words), near duplicates (MinHash-LSH over word 5-shingles) and shared
passages (runs of common word 8-grams, e.g. a syndicated paragraph or a reused quote), with char spans.
The costly part, ``text_signature`` (tokens, hashes, MinHash), is pure and stable across processes, so Dask
workers compute it and the driver only looks it up and inserts it (``add_signature``); ``claim_exact`` finds
an exact duplicate from the text alone, before anything is analysed.
"""

from __future__ import annotations

import hashlib
import re
import struct
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import numpy as np

from storyline.ingest.exact_keys import ExactKeyMap
from storyline.ingest.indexed_window import IndexedWindow
from storyline.ingest.minhash import SCHEME, lsh_layout, minhash_values
from storyline.ingest.sorted_postings import Matches, SortedPostings
from storyline.records import ArticleLink

NUM_PERM = 96
SHINGLE_WORDS = 5
# LSH retrieves candidates at a lower threshold; the estimate then decides the link.
LSH_CANDIDATE_THRESHOLD = 0.6
NEAR_DUPLICATE_JACCARD = 0.8
# datasketch's band layout for that threshold (bands × rows ≤ NUM_PERM), used by the compact LSH below.
_LSH_BANDS, _LSH_ROWS = lsh_layout(LSH_CANDIDATE_THRESHOLD, NUM_PERM)
# Near-duplicate and passage search look back over this many distinct articles (about 13 KB each for a
# 500-word article, so ~130 MB at most): the driver's memory stays bounded however long the run.
MAX_INDEXED_ARTICLES = 10_000
# Adding an id again returns its first links while it is among this many recent ids: enough for a batch
# that is retried; a run never re-adds (stored and in-flight ids are skipped before the index).
MAX_REMEMBERED_LINKS = 2_048

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
_POSITION_BITS = 24  # a posting packs (article index, word position) into one int
_MINHASH_SEED = 1  # datasketch's default: every process draws the same permutations
_NO_GRAMS = np.zeros(0, dtype=np.int64)
# Matching grams an earlier article needs before it can share a passage: one gram covers only
# PASSAGE_GRAM_WORDS words, two chained grams at least one word more.
_MIN_PASSAGE_PAIRS = 1 if PASSAGE_GRAM_WORDS >= MIN_PASSAGE_WORDS else 2


@dataclass(frozen=True, slots=True)
class TextSignature:
    """What the index needs from one text, computed without the index (picklable, a few KB)."""

    exact_key: int | None  # None for a text without words
    minhash: np.ndarray | None  # MinHash values of the word 5-shingles
    scheme: str
    grams: array  # stable hash of each word 8-gram
    starts: array  # char offset of each word
    ends: array


def text_signature(text: str) -> TextSignature:
    """Tokens and hashes of a text; the same in every process (no use of Python's salted ``hash(str)``)."""
    words: list[str] = []
    starts = array("I")
    ends = array("I")
    for match in _TOKEN.finditer(text):
        words.append(match.group().casefold())
        starts.append(match.start())
        ends.append(match.end())
    if not words:
        return TextSignature(None, None, "", array("q"), starts, ends)
    width = min(SHINGLE_WORDS, len(words))
    shingles = {" ".join(words[i : i + width]).encode("utf-8") for i in range(len(words) - width + 1)}
    minhash = minhash_values(shingles, NUM_PERM, _MINHASH_SEED)
    return TextSignature(_stable_hash(words), minhash, SCHEME, array("q", _gram_hashes(words)), starts, ends)


def exact_key(text: str) -> int | None:
    """The exact-duplicate key of a text (its casefolded words, as in ``text_signature``): cheap enough to
    compute on the driver when the article is read; None for a text without words."""
    words = _TOKEN.findall(text)
    # Case folding maps each character on its own, so folding the joined words equals joining folded
    # words (``text_signature``'s key) at one call instead of one per word.
    return _stable_bytes_hash("\x1f".join(words).casefold().encode("utf-8")) if words else None


def _stable_hash(parts: Iterable[str]) -> int:
    return _stable_bytes_hash("\x1f".join(parts).encode("utf-8"))


def _stable_bytes_hash(data: bytes) -> int:
    digest = hashlib.blake2b(data, digest_size=8).digest()
    return int(struct.unpack("<Q", digest)[0])


@dataclass
class _Hit:
    """A run of matching 8-grams: new-article word positions [i0, i1], earlier-article [j0, j1]."""

    i0: int
    i1: int
    j0: int
    j1: int


class DuplicateIndex:
    """Incremental index; rebuild it by calling ``add`` again over stored (id, text) pairs in order.

    Memory: the postings of the most recent ``max_indexed`` distinct articles are kept in compact sorted
    arrays (about 16 bytes per word), their word offsets packed (~3 bytes a word) and MinHashes in a fixed
    matrix (384 bytes an article); older articles drop out of near-duplicate and passage search, though
    exact duplicates of them are still found (16 bytes an article). The links of the last
    ``max_remembered`` ids are kept too, so that adding a recent id again returns its first links; beyond
    that nothing grows with the number of articles added.
    """

    def __init__(self, max_indexed: int = MAX_INDEXED_ARTICLES, max_remembered: int = MAX_REMEMBERED_LINKS) -> None:
        self._max_indexed = max(1, max_indexed)
        self._max_remembered = max(1, min(max_remembered, self._max_indexed))
        self._exact = ExactKeyMap()
        self._grams = SortedPostings()  # gram hash → (article index << _POSITION_BITS) | word position
        self._bands = SortedPostings()  # LSH band key → article index
        self._window = IndexedWindow(self._max_indexed, NUM_PERM)  # indexed (non-duplicate) articles
        self._next_index = 0
        self._first_live = 0  # articles before this index were evicted
        self._recent_links: OrderedDict[str, tuple[ArticleLink, ...]] = OrderedDict()
        self._added = 0

    def __len__(self) -> int:
        """Distinct ids added (or claimed as exact copies)."""
        return self._added

    @property
    def nbytes(self) -> int:
        """Bytes held by the postings, offsets and MinHashes (not the ids and links)."""
        return self._grams.nbytes + self._bands.nbytes + self._window.nbytes

    def add(self, article_id: str, text: str) -> list[ArticleLink]:
        """Links from this article to earlier ones; adding a recent id again returns its first links."""
        if article_id in self._recent_links:
            return list(self._recent_links[article_id])
        return self.add_signature(article_id, text, text_signature(text))

    def claim_exact(self, article_id: str, text: str) -> list[ArticleLink]:
        """Before analysis: the exact-duplicate link if earlier words were the same (the article is then
        added as that duplicate); else this article claims its words and is added later with ``add_signature``."""
        if article_id in self._recent_links:
            return [link for link in self._recent_links[article_id] if link.kind == "exact_duplicate"]
        key = exact_key(text)
        holder = self._exact.claim(key, article_id) if key is not None else article_id
        if holder == article_id:
            return []
        links = [ArticleLink(article_id, holder, "exact_duplicate", 1.0)]
        self._remember(article_id, links)
        return list(links)

    def _remember(self, article_id: str, links: list[ArticleLink]) -> None:
        self._added += 1
        self._recent_links[article_id] = tuple(links)
        if len(self._recent_links) > self._max_remembered:
            self._recent_links.popitem(last=False)

    def add_signature(self, article_id: str, text: str, signature: TextSignature) -> list[ArticleLink]:
        """``add`` with the signature computed elsewhere (on a worker); ``text`` is only read for spans."""
        if article_id in self._recent_links:
            return list(self._recent_links[article_id])
        links: list[ArticleLink] = []
        key = signature.exact_key
        earlier_exact = self._exact.claim(key, article_id) if key is not None else article_id
        if earlier_exact != article_id:
            links.append(ArticleLink(article_id, earlier_exact, "exact_duplicate", 1.0))
        else:
            band_keys = _band_keys(signature.minhash) if signature.minhash is not None else None
            links.extend(self._near_duplicates(article_id, signature, band_keys))
            duplicated = {link.target_id for link in links}
            grams = np.frombuffer(signature.grams, dtype=np.int64) if len(signature.grams) else _NO_GRAMS
            matches = self._grams.lookup(grams, max_count=MAX_ARTICLES_PER_GRAM)
            links.extend(self._shared_passages(article_id, text, signature, matches, duplicated))
            # A near duplicate is represented by the article it copies: keeping copies out of the LSH
            # bands and the passage postings keeps each add's cost flat when a story is syndicated
            # hundreds of times.
            if not duplicated:
                self._register(article_id, signature, band_keys, grams, matches)
        self._remember(article_id, links)
        return list(links)

    def _register(
        self,
        article_id: str,
        signature: TextSignature,
        band_keys: np.ndarray | None,
        grams: np.ndarray,
        matches: Matches,
    ) -> None:
        index = self._next_index
        self._next_index += 1
        minhash = signature.minhash.astype(np.uint32) if signature.minhash is not None else None
        self._window.put(index, article_id, minhash, signature.starts, signature.ends)
        if band_keys is not None:
            self._bands.add(band_keys, np.full(len(band_keys), index, dtype=np.int64))
        if len(grams):
            self._post(index, grams, matches)
        if index + 1 - self._first_live > self._max_indexed:
            self._evict(index + 1 - self._max_indexed)

    def _evict(self, first_live: int) -> None:
        self._window.drop_below(first_live)
        self._first_live = first_live
        self._grams.drop_below(first_live << _POSITION_BITS)
        self._bands.drop_below(first_live)

    def _near_duplicates(
        self, article_id: str, signature: TextSignature, band_keys: np.ndarray | None
    ) -> list[ArticleLink]:
        if signature.minhash is None or band_keys is None:
            return []
        values = signature.minhash.astype(np.uint32)
        links = []
        for candidate in sorted(set(self._bands.lookup(band_keys).values.tolist())):
            earlier_id, earlier_minhash = self._window.article_id(candidate), self._window.minhash(candidate)
            if earlier_id is None or earlier_minhash is None:
                continue
            # The MinHash Jaccard estimate, as datasketch computes it: the share of equal values.
            estimate = float(np.count_nonzero(values == earlier_minhash)) / NUM_PERM
            if estimate >= NEAR_DUPLICATE_JACCARD:
                links.append(ArticleLink(article_id, earlier_id, "near_duplicate", round(estimate, 3)))
        links.sort(key=lambda link: (-link.score, link.target_id))
        return links

    def _shared_passages(
        self, article_id: str, text: str, tokens: TextSignature, matches: Matches, skip: set[str]
    ) -> list[ArticleLink]:
        links = []
        for earlier, pairs in sorted(_hits_by_article(matches).items()):
            # One matching gram spans PASSAGE_GRAM_WORDS (< MIN_PASSAGE_WORDS) words: never a passage.
            if len(pairs) < _MIN_PASSAGE_PAIRS:
                continue
            target_id = self._window.article_id(earlier)
            if target_id is None or target_id in skip:
                continue
            target_span = partial(self._window.span, earlier)
            links.extend(_passage_links(article_id, text, tokens, (target_id, target_span), pairs))
        return links

    def _post(self, index: int, grams: np.ndarray, matches: Matches) -> None:
        """One posting per gram per article (its first position) keeps the lists short; a gram already in
        MAX_ARTICLES_PER_GRAM articles is boilerplate and gets no more postings."""
        _unique, first = np.unique(grams, return_index=True)
        first = first[(matches.counts[first] < MAX_ARTICLES_PER_GRAM) & (first < (1 << _POSITION_BITS))]
        self._grams.add(grams[first], (index << _POSITION_BITS) | first.astype(np.int64))


def _hits_by_article(matches: Matches) -> dict[int, list[tuple[int, int]]]:
    """(new position, earlier position) pairs per earlier article, skipping boilerplate grams."""
    hits: dict[int, list[tuple[int, int]]] = {}
    mask = (1 << _POSITION_BITS) - 1
    # Boilerplate grams (in MAX_ARTICLES_PER_GRAM articles or more) came back without values.
    for position, packed in zip(matches.query_indexes.tolist(), matches.values.tolist(), strict=True):
        hits.setdefault(packed >> _POSITION_BITS, []).append((position, packed & mask))
    return hits


def _passage_links(
    article_id: str,
    text: str,
    tokens: TextSignature,
    target: tuple[str, Callable[[int, int], tuple[int, int] | None]],
    pairs: list[tuple[int, int]],
) -> list[ArticleLink]:
    """Passage links to one earlier article; ``target`` is its id and a lookup of char spans by word range."""
    target_id, target_span = target
    n_words = max(len(tokens.starts), 1)
    links = []
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
                target_span=target_span(hit.j0 + shift, last_j),
            )
        )
    return links


def _band_keys(minhash: np.ndarray) -> np.ndarray:
    """One key per LSH band (the band's number and its MinHash values, hashed): two articles are
    near-duplicate candidates when any band key is equal, as in datasketch's MinHashLSH."""
    values = minhash.astype("<u8")
    keys = [
        _stable_bytes_hash(bytes([band]) + values[band * _LSH_ROWS : (band + 1) * _LSH_ROWS].tobytes())
        for band in range(_LSH_BANDS)
    ]
    return np.array(keys, dtype=np.uint64).view(np.int64)


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
