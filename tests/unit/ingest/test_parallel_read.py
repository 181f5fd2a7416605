"""Reading in a pool of processes gives what reading here gives: same articles, same rejections (one line
naming the file), same order, stdin included; a run reading in the pool stores the same articles."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.ingest.parallel_read import read_inputs_in_pool, start_reading_pool
from storyline.records import Article, Rejected

STORY = (
    "Flood barriers on the lower Marrow river held overnight, the county engineer said on Thursday, "
    "but two farms near Kellsby were cut off and a rescue boat took eleven people to the school hall."
)


def _mixed_folder(root: Path) -> list[str | Path]:
    """Good files of several kinds around bad ones, nested, plus paths that do not exist."""
    (root / "b").mkdir()
    (root / "a_plain.txt").write_text("Barriers hold\n\n" + STORY, encoding="utf-8")
    (root / "b" / "page.html").write_text(
        f"<html><head><title>Kellsby cut off</title></head><body><nav>Home | Sport</nav><p>{STORY}</p></body></html>",
        encoding="utf-8",
    )
    (root / "b" / "empty.txt").write_bytes(b"")
    (root / "b" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    records = [
        json.dumps({"text": STORY.replace("Thursday", "Friday"), "title": "Day two"}),
        "{not json",
        json.dumps({"title": "no text field"}),
    ]
    (root / "c_feed.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (root / "d_packed.txt.gz").write_bytes(gzip.compress(("Rescue boat\n\n" + STORY).encode("utf-8")))
    (root / ".hidden.txt").write_text(STORY, encoding="utf-8")
    return [root, root / "missing.txt", root / "a_plain.txt"]


@pytest.fixture(scope="module")
def pool():
    with start_reading_pool(2) as reading_pool:
        yield reading_pool


def test_pool_reading_matches_reading_here_item_for_item(tmp_path, pool):
    paths = _mixed_folder(tmp_path)
    here = list(read_inputs(paths))
    pooled = list(read_inputs_in_pool(paths, pool, n_process=2))
    assert pooled == here
    articles = [item for item in pooled if isinstance(item, Article)]
    rejected = [item for item in pooled if isinstance(item, Rejected)]
    assert len(articles) >= 4 and len(rejected) >= 4
    assert any(r.origin.endswith("missing.txt") for r in rejected)
    assert any(r.origin.endswith("empty.txt") for r in rejected)
    for rejection in rejected:  # one line, naming the file (or the record in it)
        assert "\n" not in rejection.reason and rejection.origin.startswith(str(tmp_path))


def test_more_files_than_read_ahead_keep_their_order(tmp_path, pool):
    for number in range(30):
        (tmp_path / f"{number:02d}.txt").write_text(f"Report {number}\n\n{STORY} Gauge {number}.", encoding="utf-8")
    (tmp_path / "07.txt").write_bytes(b"\x00\x01\x02" * 50)
    titles = [
        item.title if isinstance(item, Article) else "rejected"
        for item in read_inputs_in_pool([tmp_path], pool, n_process=2)
    ]
    assert titles == [f"Report {n}" if n != 7 else "rejected" for n in range(30)]


def test_stdin_is_read_in_this_process_in_its_place(tmp_path, pool):
    (tmp_path / "first.txt").write_text("Before stdin\n\n" + STORY, encoding="utf-8")
    stdin_lines = json.dumps({"text": STORY, "title": "From stdin"}) + "\n"
    items = list(read_inputs_in_pool([tmp_path / "first.txt", "-"], pool, n_process=2, stdin=io.StringIO(stdin_lines)))
    assert [item.title for item in items if isinstance(item, Article)] == ["Before stdin", "From stdin"]
    (no_stdin,) = read_inputs_in_pool(["-"], pool, n_process=2, stdin=None)
    assert isinstance(no_stdin, Rejected) and no_stdin.origin == "<stdin>"
