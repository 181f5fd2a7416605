"""TF-IDF feature rows and a linear model's margins computed with numpy alone, exactly as sklearn 1.9 does.

Input: a fitted block's vocabulary and idf weights (from the event typer's model file) and raw texts. Output:
per text the sorted feature indices and l2-normed TF-IDF values, and margins bit-identical to
``hstack(TfidfVectorizer.transform blocks) @ weights``, so worker processes never import sklearn or scipy.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np

# sklearn's defaults for the steps reproduced here: its word token pattern and the whitespace runs that
# ``char_wb`` collapses before splitting into words.
WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")
WHITESPACE_RUN = re.compile(r"\s\s+")
ANALYZERS = ("word", "char_wb")
# Distinct words whose char n-grams are remembered (~1.5 KB each, so ~6 MB per process at most).
WORD_MEMO_CAPACITY = 4096
# TfidfVectorizer settings that only shape fitting (which terms and idf weights exist): inference ignores them.
FIT_ONLY_SETTINGS = frozenset({"min_df", "max_df", "max_features", "smooth_idf"})
# Settings reproduced here (the analyzer only for the kinds in ANALYZERS); any other setting is refused.
INFERENCE_SETTINGS = frozenset({"analyzer", "ngram_range", "sublinear_tf"})


class UnsupportedSetting(ValueError):
    """A TfidfVectorizer setting this module does not reproduce (so its margins would differ from sklearn's)."""


@dataclass(frozen=True)
class SparseRows:
    """Rows in CSR layout: row ``i`` holds ``indices[indptr[i]:indptr[i + 1]]`` (ascending) and its values."""

    indptr: list[int]
    indices: np.ndarray  # int64
    data: np.ndarray  # float64


@dataclass(frozen=True)
class TfidfBlock:
    """One fitted TF-IDF block: lowercased word or in-word char n-grams, counts (optionally 1 + log), idf, l2."""

    analyzer: str
    ngram_range: tuple[int, int]
    sublinear_tf: bool
    vocabulary: Mapping[str, int]
    idf: np.ndarray  # float64, one weight per vocabulary index

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], vocabulary: Mapping[str, int], idf: np.ndarray) -> TfidfBlock:
        unknown = set(settings) - FIT_ONLY_SETTINGS - INFERENCE_SETTINGS
        analyzer = str(settings.get("analyzer", "word"))
        if unknown or analyzer not in ANALYZERS:
            raise UnsupportedSetting(f"TF-IDF settings not reproduced without sklearn: {sorted(unknown) or analyzer}")
        low, high = settings.get("ngram_range", (1, 1))
        return cls(analyzer, (int(low), int(high)), bool(settings.get("sublinear_tf", False)), vocabulary, idf)

    def ngrams(self, text: str) -> list[str]:
        lowered = text.lower()
        if self.analyzer == "word":
            return word_ngrams(WORD_TOKEN.findall(lowered), self.ngram_range)
        return char_wb_ngrams(lowered, self.ngram_range)

    def rows(self, texts: Sequence[str]) -> SparseRows:
        """``TfidfVectorizer.transform(texts)`` as CSR parts, each step on the same arrays in the same order."""
        indptr, row_columns, row_counts = [0], [], []
        for text in texts:
            counted = Counter(self.ngrams(text))
            known = list(counted.keys() & self.vocabulary.keys())  # out-of-vocabulary n-grams are dropped
            columns = np.fromiter((self.vocabulary[g] for g in known), dtype=np.int64, count=len(known))
            order = np.argsort(columns)  # a row's features in index order, as sort_indices leaves them
            row_columns.append(columns[order])
            row_counts.append(np.fromiter((counted[g] for g in known), dtype=np.float64, count=len(known))[order])
            indptr.append(indptr[-1] + len(known))
        columns = np.concatenate(row_columns) if row_columns else np.zeros(0, dtype=np.int64)
        data = np.concatenate(row_counts) if row_counts else np.zeros(0, dtype=np.float64)
        if self.sublinear_tf:
            np.log(data, data)  # one call on the whole batch, as sklearn makes it
            data += 1.0
        data *= self.idf[columns]
        normalize_rows_l2(indptr, data)
        return SparseRows(indptr, columns, data)


def word_ngrams(tokens: list[str], ngram_range: tuple[int, int]) -> list[str]:
    """sklearn's ``_word_ngrams`` without stop words: the tokens (if n starts at 1), then longer n-grams."""
    low, high = ngram_range
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """sklearn's ``_char_wb_ngrams``: n-grams inside space-padded words; a word shorter than n counts once."""
    low, high = ngram_range
    words = WHITESPACE_RUN.sub(" ", text).split()
    return list(chain.from_iterable(word_char_ngrams(word, low, high) for word in words))


@lru_cache(maxsize=WORD_MEMO_CAPACITY)
def word_char_ngrams(word: str, low: int, high: int) -> tuple[str, ...]:
    """One word's char n-grams, in sklearn's order (news repeats its words, so they are remembered)."""
    padded = f" {word} "
    grams = []
    for n in range(low, high + 1):
        grams.append(padded[:n])
        last = max(len(padded) - n, 0)
        grams.extend(padded[offset : offset + n] for offset in range(1, last + 1))
        if last == 0:  # the padded word fits in one n-gram: longer n would repeat it
            break
    return tuple(grams)


def normalize_rows_l2(indptr: list[int], data: np.ndarray) -> None:
    """sklearn's ``inplace_csr_row_normalize_l2``: a sequential double sum of squares per row; zero rows stay."""
    for start, end in zip(indptr, indptr[1:], strict=False):
        # cumsum adds strictly in order (np.sum would pair terms up); squares are positive, so 0.0 + first is exact
        total = float(np.cumsum(np.square(data[start:end]))[-1]) if end > start else 0.0
        if total != 0.0:
            data[start:end] /= math.sqrt(total)


def linear_margins(blocks: Sequence[SparseRows], offsets: Sequence[int], weights: np.ndarray) -> np.ndarray:
    """``hstack(blocks) @ weights`` as scipy computes it: per row, starting from 0.0, add value × weight row in
    feature order (first block first), one rounding per product and per sum; ``offsets`` place each block."""
    n_rows = len(blocks[0].indptr) - 1 if blocks else 0
    margins = np.zeros((n_rows, weights.shape[1]), dtype=np.float64)
    for row in range(n_rows):
        spans = [(b.indptr[row], b.indptr[row + 1]) for b in blocks]
        columns = np.concatenate([b.indices[s:e] + o for b, (s, e), o in zip(blocks, spans, offsets, strict=True)])
        if not len(columns):
            continue
        values = np.concatenate([b.data[s:e] for b, (s, e) in zip(blocks, spans, strict=True)])
        # cumsum is a strictly sequential sum (np.sum would pair terms up); adding it to the 0.0 row gives
        # +0.0 where every product is a zero, as the sparse product does.
        margins[row] += np.cumsum(values[:, None] * weights[columns], axis=0)[-1]
    return margins
