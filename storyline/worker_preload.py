"""Dask worker plugin that loads the NLP pipeline as soon as a worker starts, not when its first task comes.

Input: the model name and stage names a run will use; effect: each worker (also one restarted after a
crash) loads the spaCy model and every stage's lazy resources in a background thread, while the cluster
finishes starting and the driver reads its input. A task that arrives meanwhile waits for that load.
"""

from __future__ import annotations

import threading
from typing import Any

from distributed import WorkerPlugin


class PipelinePreload(WorkerPlugin):
    """Start ``storyline.engines.warmed_context`` in a thread when a worker starts (idempotent by name)."""

    name = "storyline-pipeline-preload"

    def __init__(self, model_name: str | None, stage_names: tuple[str, ...]) -> None:
        self.model_name = model_name
        self.stage_names = stage_names

    def setup(self, worker: Any) -> None:  # distributed.Worker: typed loosely, it is an optional dependency
        # A thread, so the worker registers with the scheduler and answers heartbeats while the model loads.
        threading.Thread(target=self._load, name="storyline-preload", daemon=True).start()

    def _load(self) -> None:
        from storyline.engines import warmed_context

        warmed_context(self.model_name, self.stage_names)
