"""Bad inputs: each is rejected with an exact one-line reason; the other files of the batch are still read."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.records import Article, Rejected

GOOD = (
    "The harbour authority closed the northern pier on Monday after a crane collapsed onto two fishing "
    "boats. Nobody was hurt, a spokeswoman said, but repairs could take several weeks to complete."
)
GERMAN = (
    "Die Hafenbehörde hat am Montag den nördlichen Pier geschlossen, nachdem ein Kran auf zwei "
    "Fischerboote gestürzt war. Verletzt wurde niemand, sagte eine Sprecherin der Behörde."
)


def _batch(tmp_path: Path, bad_name: str, bad: bytes, **options: object) -> tuple[list[Rejected], list[Article]]:
    """Read a folder holding one good file around the bad one; return (rejections, articles)."""
    (tmp_path / "a_good.txt").write_text("Pier closed\n\n" + GOOD, encoding="utf-8")
    (tmp_path / bad_name).write_bytes(bad)
    (tmp_path / "z_good.txt").write_text("Pier reopens\n\n" + GOOD.replace("Monday", "Friday"), encoding="utf-8")
    items = list(read_inputs([tmp_path], **options))  # type: ignore[arg-type]
    rejected = [item for item in items if isinstance(item, Rejected)]
    articles = [item for item in items if isinstance(item, Article)]
    titles = [a.title for a in articles]
    assert titles[0] == "Pier closed" and titles[-1] == "Pier reopens"  # the rest of the batch was read
    return rejected, articles


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "nul.txt",
            b"GIF89a\x00\x01\x02" + b"\x00" * 50,
            "binary file (contains NUL bytes); give text, HTML, JSONL, WARC or RSS/Atom files",
        ),
        (
            "controls.txt",
            bytes(range(1, 9)) * 40 + b"some words",
            "binary file (too many control characters); give text, HTML, JSONL, WARC or RSS/Atom files",
        ),
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\t\n   \n", "file has only whitespace"),
        ("cut.txt", b"\xff\xfeH\x00i\x00!", "cannot decode utf-16 text: truncated data at byte 6"),
        (
            "nothing.html",
            b"<html><head><title>x</title></head><body><div><span></span></div></body></html>",
            "no article text found in the HTML (empty page, or only navigation/markup)",
        ),
        ("german.txt", GERMAN.encode("utf-8"), "language 'de' is not supported (English only)"),
        (
            "notfeed.xml",
            b"<?xml version='1.0'?><config><item>1</item></config>",
            "XML file is not an RSS/Atom feed; give feeds, HTML, text, JSONL or WARC",
        ),
    ],
)
def test_bad_file_is_rejected_with_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    rejected, _ = _batch(tmp_path, name, data)
    assert [(r.origin, r.reason, r.stage) for r in rejected] == [(str(tmp_path / name), reason, "ingest")]


def test_too_large_file_names_size_and_cap(tmp_path: Path) -> None:
    big = tmp_path / "m_big.txt"
    with big.open("wb") as stream:  # sparse: no 25 MB actually written
        stream.truncate(25_000_000)
    rejected, _ = _batch(tmp_path, "unused.txt", b"Pier\n\n" + GOOD.encode())
    assert [r.reason for r in rejected] == ["file is 25.0 MB, above the 20 MB cap (--max-bytes)"]


def test_encodings_that_are_not_utf8_still_decode(tmp_path: Path) -> None:
    text = "Caf\u00e9 owners near the pier said the closure cost them customers during the busy season."
    (tmp_path / "latin.txt").write_bytes(("Caf\u00e9 closes\n\n" + text).encode("cp1252"))
    (tmp_path / "wide.txt").write_bytes(("Pier news\n\n" + GOOD).encode("utf-16"))
    articles = [a for a in read_inputs([tmp_path]) if isinstance(a, Article)]
    assert len(articles) == 2
    assert "Café owners" in articles[0].text and "harbour authority" in articles[1].text


def test_short_foreign_or_unclear_text_is_kept_with_unknown_language(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text("Hafen zu.", encoding="utf-8")
    [article] = list(read_inputs([tmp_path / "short.txt"]))
    assert isinstance(article, Article) and article.language is None and article.language_source is None


def test_declared_language_wins_and_is_rejected_when_not_english(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"text": GOOD, "language": "fr-FR"}) + "\n" + json.dumps({"text": GOOD}) + "\n")
    first, second = list(read_inputs([path]))
    assert isinstance(first, Rejected) and first.reason == "language 'fr' is not supported (English only)"
    assert isinstance(second, Article) and second.language == "en"


def test_bad_jsonl_lines_are_rejected_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": GOOD}),
        "{not json",
        json.dumps({"title": "no body"}),
        "[1, 2]",
        json.dumps({"text": "   "}),
        json.dumps({"text": GOOD, "outlet": "Harbour Times"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([path]))
    assert [(i.origin, i.reason) for i in items if isinstance(i, Rejected)] == [
        (f"{path}:2", "line 2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"),
        (f"{path}:3", 'line 3: record has no non-empty "text" or "html" field'),
        (f"{path}:4", "line 4: expected a JSON object, got list"),
        (f"{path}:5", 'line 5: record has no non-empty "text" or "html" field'),
    ]
    assert [i.origin for i in items if isinstance(i, Article)] == [f"{path}:1", f"{path}:6"]


def _warc_bytes(count: int, gzip: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = f"<html><body><article><p>{GOOD}</p><p>{GOOD}</p></article></body></html>"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for index in range(count):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{index}",
                "response",
                payload=io.BytesIO(page.replace("Monday", f"day {index}").encode()),
                http_headers=headers,
            )
        )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "gzip", "detail"),
    [
        ("cut.warc.gz", True, "EOFError: Compressed file ended before the end-of-stream marker was reached"),
        ("cut.warc", False, "EOFError: the last record ends before its declared Content-Length"),
    ],
)
def test_truncated_warc_keeps_records_before_the_damage(tmp_path: Path, name: str, gzip: bool, detail: str) -> None:
    data = _warc_bytes(3, gzip)
    rejected, _ = _batch(tmp_path, name, data[: int(len(data) * 0.85)])
    articles = [a for a in read_inputs([tmp_path / name]) if isinstance(a, Article)]
    assert [a.url for a in articles] == ["https://example.org/0", "https://example.org/1"]
    assert [r.reason for r in rejected] == [f"WARC is truncated or malformed after 2 HTML record(s): {detail}"]


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\n" + GOOD)
    inside = tmp_path / "inside"
    inside.mkdir()
    os.symlink(outside / "secret.txt", inside / "link.txt")
    os.symlink(outside, inside / "linkdir")
    rejected, articles = _batch(inside, "m_ok.txt", b"Pier works\n\n" + GOOD.encode())
    assert sorted(r.reason for r in rejected) == [f"symlink points outside {inside} (refusing to follow it)"] * 2
    assert all("Secret" not in a.text for a in articles)


def test_missing_path_and_missing_stdin(tmp_path: Path) -> None:
    items = list(read_inputs([tmp_path / "nope.txt", "-"], stdin=None))
    assert [(i.origin, i.reason) for i in items if isinstance(i, Rejected)] == [
        (str(tmp_path / "nope.txt"), "no such file or folder"),
        ("<stdin>", '"-" was given but no standard input is available'),
    ]


def test_utf16_without_bom_and_mixed_encodings_decode(tmp_path: Path) -> None:
    (tmp_path / "le.txt").write_bytes(("Pier news\n\n" + GOOD).encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(("Pier news\n\n" + GOOD).encode("utf-16-be"))
    # UTF-8 text with a quote pasted in from a cp1252 document: both parts must read right.
    mixed = ("Caf\u00e9 news\n\n" + GOOD + " The caf\u00e9 stayed open.").encode("utf-8")
    mixed += " Its owner said \u201cwe are fine\u201d \u2013 for now.".encode("cp1252")
    (tmp_path / "mixed.txt").write_bytes(mixed)
    articles = {Path(a.origin).name: a for a in read_inputs([tmp_path]) if isinstance(a, Article)}
    assert sorted(articles) == ["be.txt", "le.txt", "mixed.txt"]
    assert articles["le.txt"].text == articles["be.txt"].text and "harbour authority" in articles["le.txt"].text
    assert articles["mixed.txt"].title == "Caf\u00e9 news"
    assert (
        "The caf\u00e9 stayed open. Its owner said \u201cwe are fine\u201d \u2013 for now."
        in articles["mixed.txt"].text
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("fake.txt.gz", b"plain words pretending to be compressed", "not a gzip file, though its name ends in .gz"),
        (
            "cut.json",
            b'{"text": "The harbour authority closed',
            "invalid JSON (truncated or malformed): Unterminated string starting at (line 1, column 10)",
        ),
        ("list.json", b"[]", "JSON array is empty"),
        (
            "random.bin",
            bytes([7, 200, 0, 13, 255, 0, 0, 91]) * 300,
            "binary file (contains NUL bytes); give text, HTML, JSONL, WARC or RSS/Atom files",
        ),
    ],
)
def test_more_bad_files_get_one_line_each(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    rejected, _ = _batch(tmp_path, name, data)
    assert [(r.origin, r.reason) for r in rejected] == [(str(tmp_path / name), reason)]


def test_json_array_of_articles_is_read_item_by_item(tmp_path: Path) -> None:
    items = [{"text": GOOD, "outlet": "Harbour Times"}, "not an object", {"html": f"<p>{GOOD}</p>" * 2}]
    (tmp_path / "batch.json").write_text(json.dumps(items), encoding="utf-8")
    read = list(read_inputs([tmp_path]))
    assert [(type(i).__name__, i.origin.rsplit(":", 1)[-1]) for i in read] == [
        ("Article", "1"),
        ("Rejected", "2"),
        ("Article", "3"),
    ]
    assert isinstance(read[1], Rejected) and read[1].reason == "item 2: expected a JSON object, got str"


def test_malformed_html_still_gives_its_text(tmp_path: Path) -> None:
    page = f"<html><body><div><p>{GOOD}<p>{GOOD}</div></span><b><i>never closed {GOOD}"
    rejected, articles = _batch(tmp_path, "m_broken.html", page.encode())
    assert rejected == [] and any("crane collapsed" in a.text and a.origin.endswith("m_broken.html") for a in articles)


def test_symlink_loops_are_named_and_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    os.symlink(root, root / "sub" / "up")  # a folder link back to an ancestor
    os.symlink(root / "self.txt", root / "self.txt")  # a file link to itself
    rejected, articles = _batch(root, "m_ok.txt", b"Pier works\n\n" + GOOD.encode())
    assert sorted((Path(r.origin).name, r.reason) for r in rejected) == [
        ("self.txt", "symlink loop (the link leads back to itself; not followed)"),
        ("up", f"symlink loop: points back to {root.resolve()} (not followed)"),
    ]
    assert len(articles) == 3


def test_cli_run_names_each_bad_file_once_and_exits_1(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Pier closed\n\n" + GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "fake.html.gz").write_bytes(b"<html>not gzip</html>")
    with (folder / "huge.html").open("wb") as stream:  # sparse: 50 MB declared, nothing written
        stream.truncate(50_000_000)
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(tmp_path / "t.db"), "-q"])
    assert result.exit_code == 1, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("storyline: skipped")]
    assert skipped == [
        f"storyline: skipped {folder / 'empty.txt'}: file is empty",
        f"storyline: skipped {folder / 'fake.html.gz'}: not a gzip file, though its name ends in .gz",
        f"storyline: skipped {folder / 'huge.html'}: file is 50.0 MB, above the 20 MB cap (--max-bytes)",
    ]
    assert "Stored 1 articles" in result.stdout
