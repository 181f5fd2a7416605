"""Files that hold many documents: WARC web archives (plain or gzipped) and RSS/Atom feeds.

Input: a WARC path or a feed's bytes. Output: ``RawDocument``s for HTML responses / feed entries with
content, and ``Rejected`` values for what could not be used (a damaged WARC tail keeps earlier records).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storyline.ingest.html_pages import RawDocument, document_from_html, fragment_to_text
from storyline.ingest.metadata import parse_published
from storyline.records import Rejected

# ---------------------------------------------------------------------------------------------------
# WARC
# ---------------------------------------------------------------------------------------------------


def read_warc(path: Path, *, max_bytes: int) -> Iterator[RawDocument | Rejected]:
    """HTML responses of a WARC (plain or gzipped); a damaged tail is reported, earlier records kept."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    read = 0
    try:
        with path.open("rb") as stream:
            archive = ArchiveIterator(stream)
            for record in archive:
                if record.rec_type != "response" or not _is_html_response(record):
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
                    raise EOFError("the last record ends before its declared Content-Length")
                origin = f"{path}:{archive.get_record_offset()}"  # only after the body: this call skips it
                read += 1
                yield _warc_document(body, origin, record.rec_headers.get_header("WARC-Target-URI"), max_bytes)
        if path.name.lower().endswith(".gz"):
            _check_gzip_complete(path)  # warcio stops silently at a cut-off gzip member
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
        yield Rejected(
            str(path),
            f"WARC is truncated or malformed after {read} HTML record(s): {type(exc).__name__}: {str(exc)[:120]}",
        )


def _check_gzip_complete(path: Path) -> None:
    """Raise EOFError when the gzip stream is cut off (gzip checks every member's end marker)."""
    with gzip.open(path, "rb") as stream:
        while stream.read(1 << 20):
            pass


def _is_html_response(record: Any) -> bool:
    headers = record.http_headers
    content_type = headers.get_header("Content-Type", "") if headers is not None else ""
    return "html" in content_type.lower()


def _warc_document(body: bytes, origin: str, url: str | None, max_bytes: int) -> RawDocument | Rejected:
    if len(body) > max_bytes:
        return Rejected(origin, f"record is above the {max_bytes / 1e6:g} MB cap (--max-bytes)")
    return document_from_html(body, origin, url=url)


# ---------------------------------------------------------------------------------------------------
# RSS / Atom
# ---------------------------------------------------------------------------------------------------


def read_feed(data: bytes, source: str) -> Iterator[RawDocument | Rejected]:
    """Entries of an RSS/Atom feed that carry content or a summary; the feed's title is the outlet."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        problem = f": {feed.get('bozo_exception')}" if feed.get("bozo") else ""
        yield Rejected(source, f"not an RSS/Atom feed, or a feed with no entries{problem}")
        return
    outlet = (feed.feed.get("title") or "").strip() or None
    for index, entry in enumerate(feed.entries, start=1):
        origin = f"{source}:entry{index}"
        body = _entry_body(entry)
        if not body:
            yield Rejected(origin, "feed entry has no content or summary (only a link); fetch the page itself")
            continue
        title = (entry.get("title") or "").strip() or None
        published_text = entry.get("published") or entry.get("updated")
        yield RawDocument(
            origin=origin,
            text=body,
            url=entry.get("link"),
            title=title,
            title_source="metadata" if title else None,
            outlet=outlet,
            outlet_source="metadata" if outlet else None,
            published=parse_published(published_text, "metadata") if published_text else None,
            language=_feed_language(feed, entry),
        )


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    values = [c.get("value", "") for c in contents if c.get("value")]
    raw = max(values, key=len) if values else entry.get("summary", "")
    return fragment_to_text(raw) if raw else ""


def _feed_language(feed: Any, entry: Any) -> str | None:
    for detail in entry.get("content") or []:
        if detail.get("language"):
            return str(detail["language"])
    return feed.feed.get("language") or None
