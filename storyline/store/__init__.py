"""Storage: the SQLAlchemy schema and the ``Store`` that writes and reads it (the only code that speaks SQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.store.database import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    # Imported on first use: worker processes only encode rows (``storyline.store.rows``) and never need the
    # Store, its migrations or alembic (~0.15 s of every worker's start).
    if name == "Store":
        from storyline.store.database import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
