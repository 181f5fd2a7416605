"""Storage: the SQLAlchemy schema and the ``Store`` that writes and reads it (the only code that speaks SQL)."""

from storyline.store.database import Store

__all__ = ["Store"]
