"""`storyline eval extraction DIR`: main-text extraction scored on the scrapinghub benchmark format.

Input: DIR/html/*.html.gz pages and DIR/ground-truth.json ({stem: {"articleBody": …}}). Output: averaged
4-gram shingle precision/recall/F1 of the text the pipeline stores (extraction + cleaning) and of
extraction alone ("*_before_cleaning"), plus pages/s and how often the markup gave an outlet and a
publication date (by source; the benchmark has no gold for these, so it is coverage, not accuracy).
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.evaluate.metrics import harmonic_f1
from storyline.ingest import clean_text
from storyline.ingest.readers import ExtractedPage, ReadFailure, extract_html

SHINGLE_SIZE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """4-grams of lowercased whitespace tokens, as a MULTISET (a repeated passage counts each time)."""
    tokens = text.lower().split()
    return Counter(tuple(tokens[i : i + SHINGLE_SIZE]) for i in range(len(tokens) - SHINGLE_SIZE + 1))


def shingle_precision_recall(predicted: str, gold: str) -> tuple[float, float]:
    """Multiset shingle precision and recall; an empty side scores 1 only when the other is empty too."""
    found, expected = shingles(predicted), shingles(gold)
    overlap = sum((found & expected).values())
    precision = overlap / sum(found.values()) if found else float(not expected)
    recall = overlap / sum(expected.values()) if expected else float(not found)
    return precision, recall


def _pages(folder: Path, limit: int | None) -> list[tuple[Path, dict[str, Any]]]:
    truth_path = folder / "ground-truth.json"
    if not truth_path.is_file() or not (folder / "html").is_dir():
        raise ConfigError(f"{folder} is not a scrapinghub-format folder (needs html/*.html.gz and ground-truth.json)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = [
        (page, truth[page.name.split(".")[0]])
        for page in sorted((folder / "html").glob("*.html.gz"))
        if page.name.split(".")[0] in truth
    ]
    return pages[:limit] if limit is not None else pages


def evaluate(path: Path | None, *, limit: int | None = None, **_options: Any) -> dict[str, Any]:
    """Score extraction (+ cleaning) on every page of the benchmark folder ``path``."""
    if path is None:
        raise ConfigError("give the benchmark folder: storyline eval extraction DIR")
    pages = _pages(Path(path), limit)
    cleaned_scores: list[tuple[float, float]] = []
    raw_scores: list[tuple[float, float]] = []
    failures = 0
    found: Counter[str] = Counter()
    started = time.perf_counter()
    for number, (page, truth) in enumerate(pages, start=1):
        html = gzip.decompress(page.read_bytes())
        extracted = extract_html(html, url=truth.get("url"))
        if isinstance(extracted, ReadFailure):
            failures += 1
            raw_text, title = "", None
        else:
            raw_text, title = extracted.text, extracted.title
            found.update(_metadata_sources(extracted))
        cleaned, _segments = clean_text(raw_text, title=title) if raw_text else ("", ())
        gold = truth.get("articleBody") or ""
        raw_scores.append(shingle_precision_recall(raw_text, gold))
        cleaned_scores.append(shingle_precision_recall(cleaned, gold))
        if number % 20 == 0:
            print(f"extraction: {number}/{len(pages)} pages", file=sys.stderr)
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = _averages(cleaned_scores, "")
    result.update(_averages(raw_scores, "_before_cleaning"))
    result.update(
        {
            "n": len(pages),
            "failed_pages": failures,
            "shingles": "multiset of lowercased 4-grams",
            "pages_per_s": round(len(pages) / elapsed, 2) if elapsed > 0 else None,
            "metadata_coverage": {key: round(count / len(pages), 3) for key, count in sorted(found.items())}
            if pages
            else {},
        }
    )
    return result


def _metadata_sources(page: ExtractedPage) -> list[str]:
    """Keys counted per page: "outlet" / "published" when found, and the source each came from."""
    keys = []
    if page.outlet is not None:
        keys += ["outlet", f"outlet:{page.outlet.source}"]
    if page.published is not None:
        keys += ["published", f"published:{page.published.source}", f"published:{page.published.precision}"]
    return keys


def _averages(scores: list[tuple[float, float]], suffix: str) -> dict[str, float]:
    if not scores:
        return {f"precision{suffix}": 0.0, f"recall{suffix}": 0.0, f"f1{suffix}": 0.0}
    precision = sum(p for p, _ in scores) / len(scores)
    recall = sum(r for _, r in scores) / len(scores)
    return {
        f"precision{suffix}": round(precision, 4),
        f"recall{suffix}": round(recall, 4),
        f"f1{suffix}": round(harmonic_f1(precision, recall), 4),
    }
