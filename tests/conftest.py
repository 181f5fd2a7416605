"""Shared fixtures: one spaCy pipeline and one stage context per test session."""

from __future__ import annotations

import pytest

from storyline.pipeline import Context


@pytest.fixture(scope="session")
def ctx() -> Context:
    return Context()


@pytest.fixture(scope="session")
def nlp(ctx: Context):  # noqa: ANN201 - spaCy Language
    return ctx.nlp
