"""Reading inputs into cleaned ``Article``s: files, folders and JSONL on stdin.

``read_inputs(paths)`` yields one ``Article`` per readable document and one ``Rejected`` (with a one-line
reason) per file, record or line that could not be used; a bad input never stops the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from storyline.ingest.cleaning import clean_text
from storyline.ingest.language import detect_language, normalize_language_tag
from storyline.ingest.metadata import (
    find_cited_outlets,
    outlet_from_text,
    published_from_text,
    title_from_text,
)
from storyline.ingest.readers import RawDocument, extract_html, read_file, read_jsonl_lines
from storyline.records import Article, Rejected, content_id

__all__ = [
    "build_article",
    "clean_text",
    "extract_html",
    "find_cited_outlets",
    "input_units",
    "read_inputs",
    "read_unit",
]

SUPPORTED_LANGUAGES = frozenset({"en"})
STDIN_PATH = "-"


def read_inputs(
    paths: Sequence[str | Path], *, max_bytes: int = 20_000_000, stdin: TextIO | None = None
) -> Iterator[Article | Rejected]:
    """Articles (or rejections) from files, folders (recursive, sorted, hidden skipped), "-" (stdin JSONL)."""
    for unit in input_units(paths, max_bytes=max_bytes, stdin=stdin):
        yield from read_unit(unit, max_bytes=max_bytes)


# One step of reading, in input order: a file to read (in any process), a rejection found while walking,
# or documents already being read here (stdin).
InputUnit = Path | Rejected | Iterator[RawDocument | Rejected]


def input_units(
    paths: Sequence[str | Path], *, max_bytes: int = 20_000_000, stdin: TextIO | None = None
) -> Iterator[InputUnit]:
    """The files to read (folders walked here: cheap) and the rejections met on the way, in input order."""
    for given in paths:
        if str(given) == STDIN_PATH:
            if stdin is None:
                yield Rejected("<stdin>", '"-" was given but no standard input is available')
            else:
                yield read_jsonl_lines(stdin, "<stdin>", max_bytes=max_bytes)
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.exists():
            yield path
        else:
            yield Rejected(str(path), "no such file or folder")


def read_unit(unit: InputUnit, *, max_bytes: int) -> Iterator[Article | Rejected]:
    """The articles (and rejections) of one input unit: reading, extraction and cleaning."""
    if isinstance(unit, Rejected):
        yield unit
        return
    documents = read_file(unit, max_bytes=max_bytes) if isinstance(unit, Path) else unit
    for document in documents:
        yield document if isinstance(document, Rejected) else build_article(document)


def _walk_folder(root: Path) -> Iterator[Path | Rejected]:
    """Files under ``root`` in sorted order; hidden entries skipped; symlinks leading outside refused."""
    real_root = root.resolve()
    unreadable: list[OSError] = []
    for folder, subfolders, files in os.walk(root, followlinks=False, onerror=unreadable.append):
        while unreadable:
            error = unreadable.pop(0)
            yield Rejected(str(error.filename or folder), f"cannot read folder: {error.strerror or error}")
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in list(subfolders):
            link = Path(folder) / name
            if link.is_symlink():
                subfolders.remove(name)  # os.walk does not descend into it; say why when it leaves the root
                target = _resolved(link)
                if target is None:
                    yield Rejected(str(link), "symlink loop (the link leads back to itself; not followed)")
                elif not _inside(target, real_root):
                    yield Rejected(str(link), f"symlink points outside {root} (refusing to follow it)")
                elif _inside(Path(folder).resolve(), target):
                    yield Rejected(str(link), f"symlink loop: points back to {target} (not followed)")
        for name in sorted(f for f in files if not f.startswith(".")):
            file_path = Path(folder) / name
            if not file_path.is_symlink():
                yield file_path
                continue
            target = _resolved(file_path)
            if target is None:
                yield Rejected(str(file_path), "symlink loop (the link leads back to itself; not followed)")
                continue
            if not _inside(target, real_root):
                yield Rejected(str(file_path), f"symlink points outside {root} (refusing to follow it)")
                continue
            yield file_path
    for error in unreadable:  # a failure on the last folder is reported after the walk ends
        yield Rejected(str(error.filename or root), f"cannot read folder: {error.strerror or error}")


def _resolved(link: Path) -> Path | None:
    """Where a symlink finally points; None for a loop of links (pathlib raises RuntimeError on it)."""
    try:
        return link.resolve()
    except (RuntimeError, OSError):
        return None


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def build_article(document: RawDocument) -> Article | Rejected:
    """Clean a document, fill its metadata (given > HTML > explicit text credit) and check its language."""
    title, title_source = document.title, document.title_source
    if title is None and document.plain_text:
        detected_title = title_from_text(document.text)
        if detected_title is not None:
            title, title_source = detected_title.value, detected_title.source
    text, segments = clean_text(document.text, title=title)
    if not text.strip():
        return Rejected(document.origin, "no text left after removing web debris (navigation, credits, ads)")
    outlet, outlet_source = document.outlet, document.outlet_source
    if outlet is None:
        credit = outlet_from_text(document.text)  # the raw text: cleaning removes credit lines
        if credit is not None:
            outlet, outlet_source = credit.value, credit.source
    language, language_source = _language(document, text)
    if language is not None and language not in SUPPORTED_LANGUAGES:
        return Rejected(document.origin, f"language {language!r} is not supported (English only)")
    published = document.published or published_from_text(document.text)
    return Article(
        id=content_id(text, document.url or "", outlet or ""),
        text=text,
        raw_text=document.text,
        segments=segments,
        origin=document.origin,
        url=document.url,
        title=title,
        title_source=title_source,
        outlet=outlet,
        outlet_source=outlet_source,
        published=published.value if published else None,
        published_precision=published.precision if published else None,
        published_source=published.source if published else None,
        language=language,
        language_source=language_source,
    )


def _language(document: RawDocument, text: str) -> tuple[str | None, str | None]:
    """Given metadata wins; a page's own lang attribute only when the text is too short to tell, because
    CMS templates often keep a default "en-US" on pages in other languages (and the reverse)."""
    given = normalize_language_tag(document.language)
    if given is not None and document.language_source == "metadata":
        return given, "metadata"
    detected = detect_language(text)
    if detected is not None:
        return detected[0], "detected"
    return (given, document.language_source) if given is not None else (None, None)
