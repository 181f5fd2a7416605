"""Fixtures shared by the cross-document tests."""

from __future__ import annotations

from collections import Counter

import pytest


@pytest.fixture()
def counted_comparisons(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts every event-pair comparison link_events makes (``counter["calls"]``), still comparing for real."""
    import storyline.crossdoc.coref as coref

    counter: Counter[str] = Counter()
    compatible = coref.events_compatible

    def counting(a: coref.EventRow, b: coref.EventRow) -> bool:
        counter["calls"] += 1
        return compatible(a, b)

    monkeypatch.setattr(coref, "events_compatible", counting)
    return counter
