"""The event typer's linear text model, shipped as a small array file instead of trained in every process.

Input: snippets and labels (training) or the packaged ``data/events/typer_model.npz`` (loading). Output: a
``LinearTextModel`` whose ``decision_function`` gives one margin per label. The file stores the TF-IDF
vocabularies, idf weights and SVM weights (no pickle) plus a hash of the tables it was trained from, so a
stale file is detected: ``scripts/train_event_typer.py --write`` rebuilds it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

LOG = logging.getLogger(__name__)
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
    vectorizers: tuple[TfidfVectorizer, ...]
    coef: np.ndarray  # (n_classes, n_features), float32
    intercept: np.ndarray  # (n_classes,)
    source_hash: str

    @cached_property
    def weights_by_feature(self) -> np.ndarray:
        """``coef.T`` as the C-ordered float64 array the sparse product needs: given the float32
        transposed view, scipy would upcast a ~7 MB copy of it on every call (float32 → float64 is exact,
        so the margins are bit-identical)."""
        return np.ascontiguousarray(self.coef.T, dtype=np.float64)

    @cached_property
    def direct_tfidf(self) -> bool:
        """Whether ``direct_tfidf_rows`` reproduces ``transform`` bit for bit with this sklearn (checked
        once on sample texts; else every call goes through ``transform``)."""
        try:
            return all(direct_tfidf_applies(v) for v in self.vectorizers) and all(
                same_sparse(direct_tfidf_rows(v, PROBE_TEXTS), v.transform(PROBE_TEXTS)) for v in self.vectorizers
            )
        except (AttributeError, ImportError, TypeError) as error:  # sklearn's private helpers moved
            LOG.info("event typer: direct TF-IDF path unavailable (%s); using transform", error)
            return False

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        if self.direct_tfidf:
            blocks = [direct_tfidf_rows(v, list(texts)) for v in self.vectorizers]
        else:
            blocks = [v.transform(list(texts)) for v in self.vectorizers]
        features = sparse.hstack(blocks, format="csr")
        return np.asarray(features @ self.weights_by_feature) + self.intercept


# Texts the direct TF-IDF path is checked on: words, digits, punctuation, accents, an empty text.
PROBE_TEXTS = ["Gunmen attacked a village, killing 3.", "", "Protesters marched in Ouagadougou — café closed!"]


def direct_tfidf_applies(vectorizer: TfidfVectorizer) -> bool:
    return vectorizer.norm == "l2" and vectorizer.use_idf and not vectorizer.binary


def direct_tfidf_rows(vectorizer: TfidfVectorizer, texts: list[str]) -> Any:
    """``vectorizer.transform(texts)`` for a fixed-vocabulary, l2-normed TF-IDF vectorizer, minus sklearn's
    per-call input validation (about half of the event model's time on a few sentences): the same counts,
    sublinear tf, idf product and in-place row normalization, in the same order."""
    from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

    vectorizer._check_vocabulary()
    _, counts = vectorizer._count_vocab(texts, fixed_vocab=True)
    if vectorizer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    counts.data *= vectorizer.idf_[counts.indices]
    inplace_csr_row_normalize_l2(counts)
    return counts


def same_sparse(first: Any, second: Any) -> bool:
    return bool(
        first.shape == second.shape
        and first.dtype == second.dtype
        and np.array_equal(first.indptr, second.indptr)
        and np.array_equal(first.indices, second.indices)
        and first.data.tobytes() == second.data.tobytes()
    )


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
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizers = tuple(TfidfVectorizer(**settings) for _, settings in FEATURE_BLOCKS)
    features = sparse.hstack([v.fit_transform(list(texts)) for v in vectorizers], format="csr")
    svm = LinearSVC(C=SVM_C, random_state=SVM_SEED)
    svm.fit(features, list(labels))
    return LinearTextModel(
        classes_=np.asarray(svm.classes_),
        vectorizers=vectorizers,
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
    for (name, _), vectorizer in zip(FEATURE_BLOCKS, model.vectorizers, strict=True):
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        arrays[f"{name}_terms"] = np.asarray(terms, dtype=str)
        arrays[f"{name}_idf"] = vectorizer.idf_.astype(np.float32)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]


def packaged_model_path() -> Path:
    return Path(str(resources.files("storyline").joinpath(f"data/events/{MODEL_FILE}")))


def load_model(path: Path, expected_hash: str) -> LinearTextModel | StaleModel:
    """The model stored at ``path`` if it exists and was trained from tables with ``expected_hash``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

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
    vectorizers = []
    for name, settings in FEATURE_BLOCKS:
        terms = [str(term) for term in arrays[f"{name}_terms"]]
        vectorizer = TfidfVectorizer(**settings, vocabulary={term: i for i, term in enumerate(terms)})
        vectorizer.idf_ = arrays[f"{name}_idf"].astype(np.float64)
        vectorizers.append(vectorizer)
    return LinearTextModel(
        classes_=arrays["classes"].astype(object),
        vectorizers=tuple(vectorizers),
        coef=arrays["coef"].astype(np.float32),
        intercept=arrays["intercept"].astype(np.float32),
        source_hash=stored_hash,
    )
