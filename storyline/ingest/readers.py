"""Reading one input file or JSONL stream: picks the reader by extension or content, checks bad input.

Input: a path (or JSONL lines from stdin). Output: ``RawDocument``s (plain text as read plus metadata
given or found in the markup) or ``Rejected`` values saying what was wrong; never raises. HTML lives in
``html_pages``, WARC and feeds in ``bundles``.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from storyline.ingest.bundles import read_feed, read_warc
from storyline.ingest.date_clues import date_from_dateline, date_from_url, date_near_headline
from storyline.ingest.html_pages import (
    ExtractedPage,
    RawDocument,
    document_from_html,
    drop_repeated_headline,
    extract_html,
    fragment_to_text,
)
from storyline.ingest.language import FEED_SIGNS, SNIFF_BYTES, ReadFailure, decode_bytes, sniff_format
from storyline.ingest.metadata import Detected, PublishedDate, outlet_from_text, parse_published, published_from_text
from storyline.ingest.outlet_clues import (
    outlet_from_furniture,
    outlet_from_self_reference,
    outlet_from_url,
    publisher_url,
)
from storyline.ingest.page_metadata import registered_name
from storyline.records import Rejected

# Re-exported: callers imported these from here before the HTML and archive readers moved out.
__all__ = [
    "ExtractedPage",
    "RawDocument",
    "ReadFailure",
    "complete_metadata",
    "document_from_html",
    "drop_repeated_headline",
    "extract_html",
    "fragment_to_text",
    "read_bytes",
    "read_feed",
    "read_file",
    "read_jsonl_lines",
    "read_warc",
]

FEED_EXTENSIONS = frozenset({".rss", ".atom", ".xml"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})

# ---------------------------------------------------------------------------------------------------
# JSONL
# ---------------------------------------------------------------------------------------------------


def read_jsonl_lines(lines: Iterable[str], source: str, *, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    """One article per JSON line; a bad line is rejected and reading goes on with the next one."""
    return map(_completed, _jsonl_documents(lines, source, max_bytes=max_bytes))


def _jsonl_documents(lines: Iterable[str], source: str, *, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        origin = f"{source}:{number}"
        if len(line) > max_bytes:
            yield Rejected(
                origin,
                f"line {number}: record is {len(line) / 1e6:.1f} MB, above the "
                f"{max_bytes / 1e6:g} MB cap (--max-bytes)",
            )
            continue
        yield _jsonl_record(line, number, origin)


def _jsonl_record(line: str, number: int, origin: str) -> RawDocument | Rejected:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected(origin, f"line {number}: invalid JSON: {exc.msg} (column {exc.colno})")
    return _record_document(record, f"line {number}", origin)


def read_json_document(text: str, origin: str) -> Iterator[RawDocument | Rejected]:
    """A .json file: one article object, or an array of them (each item judged on its own)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejected(
            origin, f"invalid JSON (truncated or malformed): {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
        return
    if isinstance(data, list):
        if not data:
            yield Rejected(origin, "JSON array is empty")
        for number, item in enumerate(data, start=1):
            yield _record_document(item, f"item {number}", f"{origin}:{number}")
        return
    yield _record_document(data, "JSON", origin)


def _record_document(record: Any, label: str, origin: str) -> RawDocument | Rejected:
    """One article record ({"text" or "html", "url", "title", "outlet", "published", "language"})."""
    if not isinstance(record, dict):
        return Rejected(origin, f"{label}: expected a JSON object, got {type(record).__name__}")
    given: dict[str, Any] = {key: _string_field(record, key) for key in ("url", "title", "outlet", "language")}
    published_value = record.get("published")
    given["published"] = parse_published(published_value, "metadata") if published_value else None
    text, html = _string_field(record, "text"), _string_field(record, "html")
    if text and text.strip():
        return RawDocument(
            origin=origin,
            text=text,
            url=given["url"],
            title=given["title"],
            title_source="metadata" if given["title"] else None,
            outlet=given["outlet"],
            outlet_source="metadata" if given["outlet"] else None,
            published=given["published"],
            language=given["language"],
        )
    if html and html.strip():
        return document_from_html(html, origin, **given)
    return Rejected(origin, f'{label}: record has no non-empty "text" or "html" field')


def _string_field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


# ---------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------


def read_file(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    """Every document in one file, chosen by extension (sniffed when the extension says nothing)."""
    origin = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Rejected(origin, f"cannot read: {exc.strerror or exc}")
        return
    if size > max_bytes:
        yield Rejected(origin, f"file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:g} MB cap (--max-bytes)")
        return
    if size == 0:
        yield Rejected(origin, "file is empty")
        return
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc.gz")):
        yield from map(_completed, read_warc(path, max_bytes=max_bytes))
        return
    data = _read_bytes(path, max_bytes)
    if isinstance(data, ReadFailure):
        yield Rejected(origin, data.reason)
        return
    yield from read_bytes(data, origin, suffix=Path(name.removesuffix(".gz")).suffix, path=path, max_bytes=max_bytes)


def _read_bytes(path: Path, max_bytes: int) -> bytes | ReadFailure:
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as stream:
                data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                return ReadFailure(f"file unpacks to more than {max_bytes / 1e6:g} MB, the cap (--max-bytes)")
            return data
        return path.read_bytes()
    except gzip.BadGzipFile:
        return ReadFailure("not a gzip file, though its name ends in .gz")
    except (OSError, EOFError, zlib.error) as exc:
        return ReadFailure(f"cannot read: {exc}")


def read_bytes(
    data: bytes, origin: str, *, suffix: str, path: Path | None = None, max_bytes: int = 20_000_000
) -> Iterator[RawDocument | Rejected]:
    """Documents in ``data``; ``suffix`` (".html", ".jsonl" …) picks the reader, else the content does.
    Metadata the input lacks is completed from its URL and text (``complete_metadata``)."""
    kind = _kind_for_suffix(suffix) or sniff_format(data)
    yield from map(_completed, _read_kind(data, origin, kind, suffix, path, max_bytes))


def _read_kind(
    data: bytes, origin: str, kind: str | None, suffix: str, path: Path | None, max_bytes: int
) -> Iterator[RawDocument | Rejected]:
    if kind == "warc" and path is not None:
        yield from read_warc(path, max_bytes=max_bytes)
        return
    if kind == "feed" or suffix in FEED_EXTENSIONS:
        if suffix == ".xml" and not FEED_SIGNS.search(data[:SNIFF_BYTES]):
            yield Rejected(origin, "XML file is not an RSS/Atom feed; give feeds, HTML, text, JSONL or WARC")
            return
        yield from read_feed(data, origin)
        return
    text = decode_bytes(data)
    if isinstance(text, ReadFailure):
        yield Rejected(origin, text.reason)
    elif not text.strip():
        yield Rejected(origin, "file has only whitespace")
    elif kind == "html":
        yield document_from_html(text, origin)
    elif kind == "jsonl":
        yield from _jsonl_documents(text.splitlines(), origin, max_bytes=max_bytes)
    elif kind == "json":
        yield from read_json_document(text, origin)
    else:
        yield RawDocument(origin=origin, text=text, plain_text=True)


def _kind_for_suffix(suffix: str) -> str | None:
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".txt", ".text"):
        return "text"
    if suffix in FEED_EXTENSIONS:
        return "feed"
    return None


# ---------------------------------------------------------------------------------------------------
# Metadata the input did not give
# ---------------------------------------------------------------------------------------------------


def _completed(item: RawDocument | Rejected) -> RawDocument | Rejected:
    return complete_metadata(item) if isinstance(item, RawDocument) else item


def complete_metadata(document: RawDocument) -> RawDocument:
    """Fill a missing outlet and publication date from the document's URL and its raw text (credits, bylines,
    date lines, the publisher's own phrasing); what was given or found in the markup is never replaced."""
    if document.outlet is not None and document.published is not None:
        return document
    outlet = None if document.outlet is not None else find_outlet(document.text, document.url)
    published = document.published or find_published(document.text, document.url)
    return replace(
        document,
        outlet=document.outlet or (outlet.value if outlet else None),
        outlet_source=document.outlet_source if document.outlet else (outlet.source if outlet else None),
        published=published,
    )


def find_outlet(raw: str, url: str | None) -> Detected | None:
    """Most explicit first: the URL's site, a credit line, furniture naming the site, then the text speaking
    of itself. An outlet the text only quotes or cites ("told Reuters") is never the answer."""
    from_url = outlet_from_url(url) if url else None
    if from_url is not None:
        return from_url
    credit = outlet_from_text(raw)
    if credit is not None:
        return Detected(registered_name(credit.value) or credit.value, credit.source)
    return outlet_from_furniture(raw) or outlet_from_self_reference(raw)


def find_published(raw: str, url: str | None) -> PublishedDate | None:
    """A labelled "Published …" line, the URL's date, a date line under the headline, a dated dateline,
    then the date in an article URL printed in the text. Dates inside sentences are events, not this."""
    labelled = published_from_text(raw)
    if labelled is not None:
        return labelled
    from_url = date_from_url(url) if url else None
    if from_url is not None:
        return from_url
    found = date_near_headline(raw) or date_from_dateline(raw)
    if found is not None:
        return found
    printed_url = publisher_url(raw)
    return date_from_url(printed_url, "text:url") if printed_url else None
