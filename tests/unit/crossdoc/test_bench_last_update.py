"""The cross-document bench traces the last update on its own: replayed on a copy of the store it found, so
its figure does not carry the allocator's high-water mark of earlier batches."""

from __future__ import annotations

from pathlib import Path

from storyline.bench_crossdoc import _copy_sqlite, _timed_updates
from storyline.store import Store, schema
from tests.unit.crossdoc.test_entity_keys import article


def test_a_copy_holds_what_was_committed_to_the_write_ahead_log(tmp_path: Path) -> None:
    store = Store(tmp_path / "live.db")
    store.save_analysis(article("a", [("Amina Sawadogo", "PERSON", "Amina Sawadogo")]))
    _copy_sqlite(tmp_path / "live.db", tmp_path / "copy.db")  # the live store stays open, its WAL unmerged
    store.close()
    copy = Store(tmp_path / "copy.db")
    assert [r["entity_key"] for r in copy.rows(schema.mentions)] == ["Amina Sawadogo"]
    copy.close()


def test_the_last_update_is_traced_on_its_own() -> None:
    result = _timed_updates(60, 2, seed=5)
    assert 0 < result["last_update_traced_peak_mb"] < result["peak_rss_mb"]
    # the old keys stay; RSS growth is a difference of two kernel readings, which lag (it can read -0.1 MB)
    assert result["last_entities_read"] >= 0 and isinstance(result["update_rss_growth_mb"], float)
