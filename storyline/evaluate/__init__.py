"""Evaluation commands: one module per benchmark, each with ``evaluate(path, **options) -> dict``.

Each evaluator reads a public gold format, runs the same code the pipeline uses, and returns the
metrics as a JSON-serialisable dict (the CLI prints it as the last line of stdout).
Options every evaluator accepts (and may ignore): ``limit`` (score only the first N documents) and
``gold_toponyms`` (geo only).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError

EVALUATIONS: dict[str, tuple[str, str]] = {
    "extraction": ("storyline.evaluate.extraction:evaluate", "HTML main-text extraction (scrapinghub format)"),
    "geo": ("storyline.evaluate.geo:evaluate", "geotagging and geocoding (GeoWebNews folder or LGL/GeoVirus XML)"),
    "timex": ("storyline.evaluate.timex:evaluate", "time expressions (TimeML .tml folder, TempEval-3 metrics)"),
    "attribution": ("storyline.evaluate.attribution:evaluate", "quotes and attribution (PolNeAR brat folder)"),
    "events": ("storyline.evaluate.events:evaluate", "event typing (CASE 2021 task 2 TSV)"),
    "counts": ("storyline.evaluate.counts:evaluate", "counts and casualties (storyline's own annotated sentences)"),
    "coref": ("storyline.evaluate.coref:evaluate", "cross-document clustering and coreference (ECB+)"),
    "metadata": ("storyline.evaluate.metadata:evaluate", "outlet and date from visible page text (scrapinghub folder)"),
}


def evaluator(task: str) -> Callable[..., dict[str, Any]]:
    if task not in EVALUATIONS:
        raise ConfigError(f"unknown evaluation {task!r}; available: {', '.join(sorted(EVALUATIONS))}")
    module_name, _, attr = EVALUATIONS[task][0].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise ConfigError(f"evaluation {task!r} is not available in this version: {exc}") from exc
    return getattr(module, attr)  # type: ignore[no-any-return]


def run_evaluation(task: str, path: Path | None, **options: Any) -> dict[str, Any]:
    return evaluator(task)(path, **options)
