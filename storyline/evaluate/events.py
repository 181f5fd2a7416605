"""``storyline eval events``: event typing on the CASE 2021 task 2 TSV (id, EventSnippet, SubType).

Classifies each snippet with ``classify_event_text`` (the same code the events stage uses) and returns
weighted/macro F1, accuracy, per-label precision/recall/F1/support, the most frequent confusions and speed.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.nlp.event_typing import classify_event_text, snippet_model

DEFAULT_FILE = "case2021_task2.tsv"


def read_snippets(path: Path) -> list[tuple[str, str]]:
    """(snippet, gold label) pairs from the TSV, or from the folder that holds it."""
    tsv = path / DEFAULT_FILE if path.is_dir() else path
    if not tsv.is_file():
        raise ConfigError(f"no CASE 2021 task 2 TSV at {tsv}")
    pairs = []
    with tsv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            snippet, label = (row.get("EventSnippet") or "").strip(), (row.get("SubType") or "").strip()
            if snippet and label:
                pairs.append((snippet, label))
    return pairs


def label_metrics(gold: list[str], predicted: list[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per gold or predicted label."""
    per_label = {}
    for label in sorted(set(gold) | set(predicted)):
        true_pos = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        n_pred, support = predicted.count(label), gold.count(label)
        precision = true_pos / n_pred if n_pred else 0.0
        recall = true_pos / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    return per_label


def evaluate(path: Path | None, *, limit: int | None = None, **options: Any) -> dict[str, Any]:
    if path is None:
        raise ConfigError("eval events needs the CASE 2021 task 2 TSV (or its folder)")
    pairs = read_snippets(Path(path))[:limit] if limit else read_snippets(Path(path))
    snippet_model()  # load (or, if stale, train) before timing, so docs_per_s measures classification only
    started = time.perf_counter()
    predicted = []
    for index, (snippet, _) in enumerate(pairs, 1):
        predicted.append(classify_event_text(snippet).code)
        if index % 50 == 0:
            print(f"events: {index}/{len(pairs)}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    gold = [label for _, label in pairs]
    per_label = label_metrics(gold, predicted)
    total = len(gold)
    gold_labels = [label for label in per_label if per_label[label]["support"]]
    weighted = sum(per_label[lab]["f1"] * per_label[lab]["support"] for lab in gold_labels) / max(total, 1)
    macro = sum(per_label[lab]["f1"] for lab in gold_labels) / max(len(gold_labels), 1)
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return {
        "task": "events",
        "n": total,
        "weighted_f1": round(weighted, 4),
        "macro_f1": round(macro, 4),
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(total, 1), 4),
        "docs_per_s": round(total / elapsed, 1) if elapsed else None,
        "per_label": per_label,
        "top_confusions": [f"{g}->{p}: {c}" for (g, p), c in confusions.most_common(10)],
    }
