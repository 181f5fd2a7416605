"""A run killed midway (SIGKILL, not a polite stop) resumes on rerun without losing or duplicating."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from storyline.store import Store, schema

TOWNS = ["Ourika", "Essaouira", "Taroudant", "Ouarzazate", "Tinghir", "Azilal", "Ifrane", "Midelt"]


def _write_corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"a{i:03d}.txt").write_text(
            f"Report {i} from {town}\n\n"
            f"Officials in {town} said on Monday that {i + 3} houses were damaged by storm number {i}. "
            f"Governor Samir Alaoui visited {town} and promised help within {i % 5 + 2} days. "
            f"\"We will rebuild every house,\" Alaoui said. Item {i} closes the report.\n"
        )


def stored_so_far(db: Path) -> int:
    """Articles committed so far, read without opening a Store (which may migrate, and so wait on locks)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # no schema yet, or the writer holds a lock for a moment
        return 0


def test_killed_run_resumes_without_duplicates(tmp_path):
    corpus, db = tmp_path / "corpus", tmp_path / "r.db"
    n = 60
    _write_corpus(corpus, n)
    command = [sys.executable, "-m", "storyline.cli", "run", str(corpus), "--db", str(db), "-q",
               "--batch-size", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300  # generous: CI machines may be busy
    stored = 0
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
        if db.exists():
            stored = stored_so_far(db)
            if stored >= 3:
                os.kill(process.pid, signal.SIGKILL)
                break
    process.wait()
    assert 3 <= stored < n, "the run was not killed midway; make the corpus larger"
    partial = Store(db).count(schema.articles)

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{partial} already stored" in rerun.stdout
    store = Store(db)
    assert store.count(schema.articles) == n
    # Every stored article is whole: its own mentions are there (written in the same transaction).
    with_mentions = {m["article_id"] for m in store.rows(schema.mentions)}
    assert len(with_mentions) == n
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert "Stored 0 articles" in again.stdout
    assert store.count(schema.articles) == n
