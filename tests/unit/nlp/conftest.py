"""Fixtures shared by the NLP stage tests: the built gazetteer (opened once per session)."""

from __future__ import annotations

import pytest

from storyline.nlp.gazetteer import Gazetteer, open_gazetteer


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    opened = open_gazetteer()  # built once per machine into the cache dir (≈1 min the first time)
    assert isinstance(opened, Gazetteer), opened
    return opened
