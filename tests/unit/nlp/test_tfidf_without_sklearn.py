"""The event typer's numpy TF-IDF must be sklearn's, bit for bit: the same n-grams, the same l2-normed rows on
nasty texts, the same margins and labels as the sklearn + scipy product; and a warmed worker imports neither."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from storyline.nlp import event_model, event_typing
from storyline.nlp.event_model import FEATURE_BLOCKS, LinearTextModel, StaleModel, load_model, save_model
from storyline.nlp.tfidf import SparseRows, TfidfBlock, UnsupportedSetting, char_wb_ngrams, word_ngrams

NASTY_TEXTS = [
    "",
    "   \t\n  ",
    "!!! ... --- ?? (—) “” ''",
    "a b c d e I o",
    "Café naïve ÉLAN Zürich façade résumé",
    "12 345 6,789 3.5km 2018-12-14 0",
    "Ω ωμέγα Αθήνα 北京市 东城区 العربية مرحبا русский Город",
    "word\t\t\n\n   word  \u00a0\u2003 spaced\u3000out",
    "İstanbul ǅemal STRASSE Straße ﬁnal",
    "e\u0301cole x\u200by under_score snake_case_name",
    "ab ab ab ab ab abc abcd abcde abcdef",
    "Militants fired rockets at the base; two soldiers were killed, officials said.",
    "The army RECAPTURED the town after heavy fighting near the river.",
]
WORD_RANGES = [(1, 1), (1, 2), (2, 3), (1, 3)]
CHAR_RANGES = [(2, 5), (1, 3), (3, 3), (4, 6)]


@pytest.mark.parametrize("ngram_range", WORD_RANGES)
def test_word_ngrams_equal_sklearn_analyzer(ngram_range: tuple[int, int]) -> None:
    analyze = TfidfVectorizer(ngram_range=ngram_range).build_analyzer()
    for text in NASTY_TEXTS:
        block = TfidfBlock.from_settings({"ngram_range": ngram_range}, {}, np.zeros(0))
        assert block.ngrams(text) == analyze(text), text


@pytest.mark.parametrize("ngram_range", CHAR_RANGES)
def test_char_wb_ngrams_equal_sklearn_analyzer(ngram_range: tuple[int, int]) -> None:
    analyze = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range).build_analyzer()
    for text in NASTY_TEXTS:
        assert char_wb_ngrams(text.lower(), ngram_range) == analyze(text), text


def test_short_words_count_once_and_long_whitespace_runs_collapse() -> None:
    # " a " is shorter than 4: sklearn counts it once, not once per n; tabs and runs of spaces split words
    assert char_wb_ngrams("a", (2, 5)) == [" a", "a ", " a "]
    assert char_wb_ngrams("ab \t\t  ab", (4, 4)) == [" ab ", " ab "]
    assert word_ngrams(["one"], (1, 3)) == ["one"]
    assert word_ngrams(["a", "b", "c"], (2, 2)) == ["a b", "b c"]


def block_like(vectorizer: TfidfVectorizer, settings: dict[str, Any]) -> TfidfBlock:
    return TfidfBlock.from_settings(settings, {t: int(i) for t, i in vectorizer.vocabulary_.items()}, vectorizer.idf_)


def same_rows(rows: SparseRows, expected: Any) -> bool:
    return bool(
        np.array_equal(rows.indptr, expected.indptr)
        and np.array_equal(rows.indices, expected.indices)
        and rows.data.dtype == expected.data.dtype
        and rows.data.tobytes() == expected.data.tobytes()
    )


@pytest.mark.parametrize("settings", [dict(s) for _, s in FEATURE_BLOCKS] + [{"ngram_range": (1, 1)}])
def test_rows_equal_sklearn_transform_bit_for_bit(settings: dict[str, Any]) -> None:
    training = NASTY_TEXTS[3:] + ["Rockets hit the market.", "Protesters marched in the capital.", "ab cd"]
    vectorizer = TfidfVectorizer(**settings).fit(training)
    block = block_like(vectorizer, settings)
    assert same_rows(block.rows(NASTY_TEXTS), vectorizer.transform(NASTY_TEXTS))
    for text in NASTY_TEXTS:  # one text per call, as the events stage calls it
        assert same_rows(block.rows([text]), vectorizer.transform([text])), text
    assert block.rows([]).indptr == [0]


def sklearn_margins(model: LinearTextModel, texts: list[str]) -> np.ndarray:
    """The former inference path: sklearn's transform per block, stacked, times the weights with scipy."""
    blocks = []
    for (_, settings), block in zip(FEATURE_BLOCKS, model.blocks, strict=True):
        vectorizer = TfidfVectorizer(**settings, vocabulary=dict(block.vocabulary))
        vectorizer.idf_ = block.idf
        blocks.append(vectorizer.transform(texts))
    return np.asarray(sparse.hstack(blocks, format="csr") @ model.coef.T.astype(np.float64)) + model.intercept


def test_shipped_model_margins_and_labels_equal_the_sklearn_path() -> None:
    model = event_typing.snippet_model()
    texts = [event_typing.with_lead_twice(t) for t in NASTY_TEXTS] + [
        "Jets bombed the bridge at dawn. Two civilians died.",
        "Hundreds of nurses rallied outside parliament demanding back pay.",
        "Police detained the mayor and two aides in a dawn raid.",
    ]
    expected = sklearn_margins(model, texts)
    assert model.decision_function(texts).tobytes() == expected.tobytes()
    singles = np.vstack([model.decision_function([t]) for t in texts])
    assert singles.tobytes() == expected.tobytes()
    labels = model.classes_[singles.argmax(axis=1)]
    assert list(labels[-3:]) == ["AIR_STRIKE", "PEACE_PROTEST", "ARREST"]
    assert list(labels) == list(model.classes_[expected.argmax(axis=1)])


def test_an_empty_text_gets_the_intercepts() -> None:
    model = event_typing.snippet_model()
    assert model.decision_function(["", "!!!"]).tobytes() == np.vstack([model.intercept] * 2).astype(float).tobytes()


def test_unsupported_settings_are_refused_not_approximated() -> None:
    with pytest.raises(UnsupportedSetting):
        TfidfBlock.from_settings({"stop_words": "english"}, {}, np.zeros(0))
    with pytest.raises(UnsupportedSetting):
        TfidfBlock.from_settings({"analyzer": "char"}, {}, np.zeros(0))


def test_saving_the_shipped_model_rewrites_the_same_arrays(tmp_path: Path) -> None:
    shipped_path = event_model.packaged_model_path()
    path = tmp_path / "again.npz"
    save_model(event_typing.snippet_model(), path)
    with np.load(shipped_path) as shipped, np.load(path) as again:
        assert sorted(shipped.files) == sorted(again.files)
        for key in shipped.files:
            assert shipped[key].dtype == again[key].dtype and np.array_equal(shipped[key], again[key]), key


def test_arrays_that_do_not_fit_together_are_a_stale_model(tmp_path: Path) -> None:
    with np.load(event_model.packaged_model_path()) as stored:
        arrays = {key: stored[key] for key in stored.files}
    arrays["coef"] = arrays["coef"][:, :-1]
    path = tmp_path / "cut.npz"
    np.savez(path, **arrays)
    cut = load_model(path, str(arrays["source_hash"]))
    assert isinstance(cut, StaleModel) and "do not fit" in cut.reason
    del arrays["chars_idf"]
    np.savez(path, **arrays)
    missing = load_model(path, str(arrays["source_hash"]))
    assert isinstance(missing, StaleModel) and "chars_idf" in missing.reason


WARM_WORKER = """
import sys
import storyline.engines as engines
from storyline.pipeline import STAGES
ctx = engines.warmed_context(None, tuple(stage.name for stage in STAGES))
print(",".join(sorted({name.split(".")[0] for name in sys.modules} & {"sklearn", "scipy", "alembic"})))
"""


def test_a_warmed_worker_imports_neither_sklearn_nor_scipy_nor_the_stores_migrations() -> None:
    done = subprocess.run([sys.executable, "-c", WARM_WORKER], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
