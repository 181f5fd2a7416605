"""A database built from the test fixture articles plus one hostile article, and the web app over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.runner import run_corpus
from storyline.store import Store
from storyline.web.app import create_app

FIXTURES = Path(__file__).parent.parent / "fixtures" / "articles"
DEMO_DIR = Path(__file__).resolve().parents[2] / "storyline" / "data" / "demo"
HOSTILE_TITLE = "Flood relief <script>window.__pwned = 1</script> convoy reaches Ourika"
HOSTILE = (
    HOSTILE_TITLE + "\n\n"
    "A relief convoy reached Ourika on Wednesday carrying food for hundreds of families, the civil protection "
    "agency said. <script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\"> "
    "Karim Benali said 14 people were killed in the flood near Marrakesh.\n"
)


def _database_with_hostile_article(folder: Path, source: Path) -> Path:
    corpus = folder / "corpus"
    shutil.copytree(source, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    db = folder / "web.db"
    run_corpus([corpus], Store(db))
    return db


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """The test fixture articles plus one hostile article."""
    return _database_with_hostile_article(tmp_path_factory.mktemp("web"), FIXTURES)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The bundled demo corpus plus one hostile article, as `storyline demo` would store it."""
    return _database_with_hostile_article(tmp_path_factory.mktemp("demo"), DEMO_DIR)


@pytest.fixture(scope="session")
def client(web_db) -> TestClient:
    return TestClient(create_app(web_db))
