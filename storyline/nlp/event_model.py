"""The event typer's linear text model, shipped as a small array file instead of trained in every process.

Input: snippets and labels (training) or the packaged ``data/events/typer_model.npz`` (loading). Output: a
``LinearTextModel`` whose ``decision_function`` gives one margin per label. The file stores the TF-IDF
vocabularies, idf weights and SVM weights (no pickle) plus a hash of the tables it was trained from, so a
stale file is detected: ``scripts/train_event_typer.py --write`` rebuilds it. Training uses sklearn; loading and
``decision_function`` use ``storyline.nlp.tfidf`` (numpy only, same margins bit for bit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.nlp.tfidf import TfidfBlock, UnsupportedSetting, linear_margins

MODEL_FILE = "typer_model.npz"
# Bump when the features or classifier change, so files built by older code count as stale.
MODEL_VERSION = "svm-tfidf-2"
# Each feature block: (name, TfidfVectorizer settings). Word 1-2-grams + char 2-5-grams inside word bounds;
# stop words are kept because "by", "from" and "back" carry who gained territory.
FEATURE_BLOCKS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("words", {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 1}),
    ("chars", {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True, "min_df": 2}),
)
SVM_C = 0.5
# LinearSVC shuffles its coordinate descent: a fixed seed makes --write rebuild the file byte for byte.
SVM_SEED = 0


@dataclass(frozen=True, slots=True)
class StaleModel:
    """Why the shipped model file cannot be used (missing, unreadable, or trained from other tables)."""

    reason: str


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF blocks → one linear margin per class (what ``LinearSVC.decision_function`` computes)."""

    classes_: np.ndarray
    blocks: tuple[TfidfBlock, ...]
    coef: np.ndarray  # (n_classes, n_features), float32
    intercept: np.ndarray  # (n_classes,)
    source_hash: str

    @cached_property
    def weights_by_feature(self) -> np.ndarray:
        """``coef.T`` as a C-ordered float64 array: one contiguous weight row per feature for the product
        (float32 → float64 is exact, so the margins equal those of the float32 weights)."""
        return np.ascontiguousarray(self.coef.T, dtype=np.float64)

    @cached_property
    def block_offsets(self) -> tuple[int, ...]:
        """Where each block's features start in the stacked feature vector."""
        sizes = [len(block.vocabulary) for block in self.blocks]
        return tuple(sum(sizes[:i]) for i in range(len(sizes)))

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        rows = [block.rows(texts) for block in self.blocks]
        return linear_margins(rows, self.block_offsets, self.weights_by_feature) + self.intercept


def source_hash(table_texts: Sequence[str]) -> str:
    """Hash of the training tables' text and the model settings: equal hashes mean the same model."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    digest.update(repr((FEATURE_BLOCKS, SVM_C, SVM_SEED)).encode())
    for text in table_texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def fit_linear_model(texts: Sequence[str], labels: Sequence[str], hash_of_sources: str = "") -> LinearTextModel:
    """Fit the TF-IDF blocks and a linear SVM (on held-out templates it beat log-loss SGD and logistic
    regression, which is also ~6x slower to train)."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizers = [TfidfVectorizer(**settings) for _, settings in FEATURE_BLOCKS]
    features = sparse.hstack([v.fit_transform(list(texts)) for v in vectorizers], format="csr")
    svm = LinearSVC(C=SVM_C, random_state=SVM_SEED)
    svm.fit(features, list(labels))
    blocks = tuple(
        TfidfBlock.from_settings(settings, {term: int(i) for term, i in v.vocabulary_.items()}, v.idf_)
        for (_, settings), v in zip(FEATURE_BLOCKS, vectorizers, strict=True)
    )
    return LinearTextModel(
        classes_=np.asarray(svm.classes_),
        blocks=blocks,
        coef=svm.coef_.astype(np.float32),
        intercept=svm.intercept_.astype(np.float32),
        source_hash=hash_of_sources,
    )


def save_model(model: LinearTextModel, path: Path) -> None:
    """Plain arrays only (loadable with allow_pickle=False); weights as float16 keep the file ~1 MB."""
    arrays: dict[str, np.ndarray] = {
        "classes": model.classes_.astype(str),
        "coef": model.coef.astype(np.float16),
        "intercept": model.intercept.astype(np.float32),
        "source_hash": np.asarray(model.source_hash),
    }
    for (name, _), block in zip(FEATURE_BLOCKS, model.blocks, strict=True):
        terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
        arrays[f"{name}_terms"] = np.asarray(terms, dtype=str)
        arrays[f"{name}_idf"] = block.idf.astype(np.float32)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]


def packaged_model_path() -> Path:
    return Path(str(resources.files("storyline").joinpath(f"data/events/{MODEL_FILE}")))


def load_model(path: Path, expected_hash: str) -> LinearTextModel | StaleModel:
    """The model stored at ``path`` if it exists, was trained from tables with ``expected_hash`` and its
    arrays fit together."""
    if not path.is_file():
        return StaleModel(f"no model file at {path}")
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except (OSError, ValueError) as error:
        return StaleModel(f"unreadable model file {path}: {error}")
    stored_hash = str(arrays.get("source_hash", ""))
    if stored_hash != expected_hash:
        return StaleModel(f"{path.name} was trained from other tables (hash {stored_hash[:12]} ≠ {expected_hash[:12]})")
    try:
        blocks = tuple(stored_block(name, settings, arrays) for name, settings in FEATURE_BLOCKS)
        coef, intercept, classes = arrays["coef"], arrays["intercept"], arrays["classes"]
    except (KeyError, ValueError, UnsupportedSetting) as error:
        return StaleModel(f"{path.name} does not hold a usable model: {error!r}")
    n_features = sum(len(block.vocabulary) for block in blocks)
    if coef.shape != (len(classes), n_features) or intercept.shape != (len(classes),):
        return StaleModel(f"{path.name}: weights {coef.shape} do not fit {len(classes)} classes × {n_features} terms")
    return LinearTextModel(
        classes_=classes.astype(object),
        blocks=blocks,
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        source_hash=stored_hash,
    )


def stored_block(name: str, settings: dict[str, Any], arrays: dict[str, np.ndarray]) -> TfidfBlock:
    """One TF-IDF block from its stored terms (in feature order) and idf weights."""
    terms = [str(term) for term in arrays[f"{name}_terms"]]
    vocabulary = {term: i for i, term in enumerate(terms)}
    idf = arrays[f"{name}_idf"].astype(np.float64)
    if len(vocabulary) != len(terms) or idf.shape != (len(terms),):
        raise ValueError(f"block {name}: {len(terms)} terms ({len(vocabulary)} distinct), idf shape {idf.shape}")
    return TfidfBlock.from_settings(settings, vocabulary, idf)
