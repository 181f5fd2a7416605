"""storyline's exceptions.

StorylineError
 ├── InputError(path, reason, line)   an input file or record could not be read
 ├── ConfigError                      a setting, model or optional dependency is missing or wrong
 ├── StageError(stage, reason)        a pipeline stage failed on an article
 └── StoreError                       the database could not be opened or written
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class of every error storyline raises on purpose."""


class InputError(StorylineError):
    """An input could not be read: names the file (and line/record) and the reason."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class ConfigError(StorylineError):
    """A setting, model or optional dependency is missing or invalid."""


class StageError(StorylineError):
    """A pipeline stage failed on one article."""

    def __init__(self, stage: str, reason: str) -> None:
        self.stage = stage
        self.reason = reason
        super().__init__(f"{stage}: {reason}")


class StoreError(StorylineError):
    """The database could not be opened, migrated or written."""
