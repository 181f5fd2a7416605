"""Cross-document coreference: group documents into sub-topics, then link event/entity mentions inside them.

Inputs: document texts (→ sub-topic clusters), mention features read from a spaCy parse (→ mention clusters
within each document cluster), and stored event rows (→ ``link_events``: one cluster id per event row,
merging rows of one story that agree on type, place, date and actors). Outputs are plain cluster ids.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Average-linkage cosine distances (set on ECB+ dev): first coarse topics, then sub-topics inside each
# topic with IDF recomputed locally, so words every document of the topic shares stop counting.
TOPIC_DISTANCE = 0.9
SUBTOPIC_DISTANCE = 0.9
MIN_SUBTOPIC_SIZE = 3  # smaller sub-topic fragments join the nearest bigger one of their topic
_TERM = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,.]*\d|\d|[.!?]")


def document_terms(text: str) -> str:
    """Space-joined terms: lowercased words, "CAP_x" for capitalised words inside a sentence, "NUM_n"."""
    terms: list[str] = []
    sentence_start = True
    for token in _TERM.findall(text):
        if token in ".!?":
            sentence_start = True
            continue
        if token[0].isdigit():
            terms.append("NUM_" + token.replace(",", ""))
        else:
            if token[0].isupper() and not sentence_start:
                terms.append("CAP_" + token.lower())  # names carry the "which instance" signal
            terms.append(token.lower())
        sentence_start = False
    return " ".join(terms)


def _similarities(term_texts: Sequence[str], max_df: float) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", max_df=max_df,
                                 token_pattern=r"\S+", lowercase=False)
    try:
        rows = normalize(vectorizer.fit_transform(term_texts))
    except ValueError:  # every term pruned (tiny or identical documents): no signal to split on
        return np.full((len(term_texts), 1), 1.0)
    return np.asarray((rows @ rows.T).todense())  # cosine similarities (rows are unit length)


def _agglomerate(similarities: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(similarities) < 2:
        return np.zeros(len(similarities), dtype=int)
    model = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="precomputed",
                                    linkage="average")
    return model.fit_predict(np.clip(1.0 - similarities, 0.0, 2.0))


def _attach_small(similarities: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Move members of fragments smaller than ``min_size`` to the bigger cluster they are closest to."""
    sizes = Counter(labels.tolist())
    big = [c for c, n in sizes.items() if n >= min_size]
    if not big:
        return labels
    attached = labels.copy()
    for i, label in enumerate(labels.tolist()):
        if sizes[label] < min_size:
            mean_similarity = [similarities[i, labels == c].mean() for c in big]
            attached[i] = big[int(np.argmax(mean_similarity))]
    return attached


def cluster_documents(texts: Sequence[str]) -> list[int]:
    """One sub-topic label per text (two-level agglomerative clustering of TF-IDF vectors).

    Unlike the incremental StoryClusterer this sees the whole batch at once, which suits evaluation and
    re-clustering; it is O(n²) in memory, so callers block first (by story, by time window) for big sets.
    """
    term_texts = [document_terms(t) for t in texts]
    topics = _agglomerate(_similarities(term_texts, max_df=0.5), TOPIC_DISTANCE)
    labels = [0] * len(texts)
    next_label = 0
    for topic in sorted(set(topics.tolist())):
        members = [i for i, t in enumerate(topics.tolist()) if t == topic]
        sub = np.zeros(len(members), dtype=int)
        if len(members) > MIN_SUBTOPIC_SIZE:
            similarities = _similarities([term_texts[i] for i in members], max_df=0.9)
            sub = _attach_small(similarities, _agglomerate(similarities, SUBTOPIC_DISTANCE),
                                MIN_SUBTOPIC_SIZE)
        renumber: dict[int, int] = {}
        for i, s in zip(members, sub.tolist()):
            if s not in renumber:
                renumber[s], next_label = next_label, next_label + 1
            labels[i] = renumber[s]
    return labels
