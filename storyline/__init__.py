"""storyline: many news reports about developing stories → one cross-checked, source-attributed account.

The public API is small; heavy modules (spaCy, trafilatura, SQLAlchemy) load only when a name is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "storyline.records",
    "ArticleAnalysis": "storyline.records",
    "Context": "storyline.pipeline",
    "RunOptions": "storyline.runner",
    "Store": "storyline.store",
    "StorylineError": "storyline.errors",
    "analyze_text": "storyline.pipeline",
    "read_inputs": "storyline.ingest",
    "run_corpus": "storyline.runner",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
