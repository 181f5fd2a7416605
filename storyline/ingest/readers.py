"""Readers for every input format: plain text, HTML, JSONL, WARC and RSS/Atom, with bad-input checks.

Input: one file's bytes (or JSONL lines from stdin). Output: ``RawDocument``s (plain text as read plus
any metadata given or found in the HTML) or ``Rejected`` values saying what was wrong; never raises.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.ingest.language import FEED_SIGNS, SNIFF_BYTES, ReadFailure, decode_bytes, sniff_format
from storyline.ingest.metadata import PublishedDate, parse_published
from storyline.records import Rejected


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as read, before cleaning: its plain text and the metadata that came with it."""

    origin: str
    text: str
    url: str | None = None
    title: str | None = None
    title_source: str | None = None
    outlet: str | None = None
    outlet_source: str | None = None
    published: PublishedDate | None = None
    language: str | None = None
    plain_text: bool = False  # read from a plain-text file: its first line may be the headline


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """Main text and metadata trafilatura/htmldate found in one HTML page."""

    text: str
    title: str | None
    sitename: str | None
    published: PublishedDate | None


FEED_EXTENSIONS = frozenset({".rss", ".atom", ".xml"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})

# ---------------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------------

# fast: skip the readability/jusText second opinion. It is 2-3x faster, and on the dev pages the
# fallback only ever changed two pages, one for the worse (it took a whole listing page as the article).
# htmldate without its "extensive search" (which guesses from any date-like string on the page).
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}


def extract_html(html: str | bytes, url: str | None = None) -> ExtractedPage | ReadFailure:
    """Main text of a news page (trafilatura, no comments or tables) with its title, site name and date."""
    from lxml.etree import LxmlError
    from trafilatura import bare_extraction

    try:
        document = bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            fast=True,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, AttributeError, LxmlError) as exc:  # lxml on badly broken markup
        return ReadFailure(f"malformed HTML: {type(exc).__name__}: {exc}")
    text: str | None = getattr(document, "text", None)
    if not text or not text.strip():
        return ReadFailure("no article text found in the HTML (empty page, or only navigation/markup)")
    title: str | None = getattr(document, "title", None) or None
    sitename: str | None = getattr(document, "sitename", None) or None
    date_text: str | None = getattr(document, "date", None)
    date = parse_published(date_text, "html") if date_text else None
    body = drop_repeated_headline(tidy_lines(text), title)
    return ExtractedPage(text=body, title=title, sitename=sitename, published=date)


def tidy_lines(text: str) -> str:
    """trafilatura joins paragraphs with single newlines; we keep that but trim trailing spaces per line."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


# A first line this short that matches the page title is the headline printed above the body; the
# headline is kept in Article.title, so the body starts with the article itself.
MAX_HEADLINE_WORDS = 30
MIN_HEADLINE_SIMILARITY = 90.0
_TITLE_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")


def drop_repeated_headline(text: str, title: str | None) -> str:
    """``text`` without its first line when that line is the page's headline (title, minus " | Site")."""
    first, _, rest = text.partition("\n")
    if not title or not rest.strip() or len(first.split()) > MAX_HEADLINE_WORDS:
        return text
    from rapidfuzz import fuzz

    line_key = " ".join(first.casefold().split())
    title_keys = {" ".join(t.casefold().split()) for t in (title, _TITLE_SITE_SUFFIX.sub("", title))}
    if (
        line_key in title_keys
        or max(fuzz.ratio(line_key, key) for key in title_keys) >= MIN_HEADLINE_SIMILARITY
    ):
        return rest.lstrip("\n")
    return text


def fragment_to_text(fragment: str) -> str:
    """Plain text of a small HTML fragment (a feed entry's content): block elements become new lines."""
    import lxml.html

    if "<" not in fragment:
        return fragment.strip()
    marked = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d|/blockquote|/tr)\b[^>]*>", "\\g<0>\n", fragment)
    try:
        root = lxml.html.fromstring(f"<div>{marked}</div>")
    except (ValueError, lxml.etree.ParserError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def document_from_html(html: str | bytes, origin: str, **given: Any) -> RawDocument | Rejected:
    """A RawDocument from one page: metadata given by the caller wins over what the HTML says."""
    page = extract_html(html, url=given.get("url"))
    if isinstance(page, ReadFailure):
        return Rejected(origin, page.reason)
    title, title_source = _pick(given.get("title"), page.title, "html")
    outlet, outlet_source = _pick(given.get("outlet"), page.sitename, "html")
    if outlet_source == "html" and outlet and given.get("url") and outlet.lower() in given["url"].lower():
        outlet_source = "url"  # trafilatura fell back to the URL's domain: no site name on the page
    published = given.get("published") or page.published
    return RawDocument(
        origin=origin,
        text=page.text,
        url=given.get("url"),
        title=title,
        title_source=title_source,
        outlet=outlet,
        outlet_source=outlet_source,
        published=published,
        language=given.get("language"),
    )


def _pick(given: str | None, found: str | None, found_source: str) -> tuple[str | None, str | None]:
    if given:
        return given, "metadata"
    if found:
        return found, found_source
    return None, None


# ---------------------------------------------------------------------------------------------------
# JSONL
# ---------------------------------------------------------------------------------------------------


def read_jsonl_lines(
    lines: Iterable[str], source: str, *, max_bytes: int
) -> Iterator[RawDocument | Rejected]:
    """One article per JSON line; a bad line is rejected and reading goes on with the next one."""
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
    if not isinstance(record, dict):
        return Rejected(origin, f"line {number}: expected a JSON object, got {type(record).__name__}")
    given: dict[str, Any] = {
        key: _string_field(record, key) for key in ("url", "title", "outlet", "language")
    }
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
    return Rejected(origin, f'line {number}: record has no non-empty "text" or "html" field')


def _string_field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


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
                yield _warc_document(
                    body, origin, record.rec_headers.get_header("WARC-Target-URI"), max_bytes
                )
        if path.name.lower().endswith(".gz"):
            _check_gzip_complete(path)  # warcio stops silently at a cut-off gzip member
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
        yield Rejected(
            str(path),
            f"WARC is truncated or malformed after {read} HTML record(s): "
            f"{type(exc).__name__}: {str(exc)[:120]}",
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
            yield Rejected(
                origin, "feed entry has no content or summary (only a link); fetch the page itself"
            )
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
        yield Rejected(
            origin, f"file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:g} MB cap (--max-bytes)"
        )
        return
    if size == 0:
        yield Rejected(origin, "file is empty")
        return
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc.gz")):
        yield from read_warc(path, max_bytes=max_bytes)
        return
    data = _read_bytes(path, max_bytes)
    if isinstance(data, ReadFailure):
        yield Rejected(origin, data.reason)
        return
    yield from read_bytes(
        data, origin, suffix=Path(name.removesuffix(".gz")).suffix, path=path, max_bytes=max_bytes
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes | ReadFailure:
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as stream:
                data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                return ReadFailure(f"file unpacks to more than {max_bytes / 1e6:g} MB, the cap (--max-bytes)")
            return data
        return path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        return ReadFailure(f"cannot read: {exc}")


def read_bytes(
    data: bytes, origin: str, *, suffix: str, path: Path | None = None, max_bytes: int = 20_000_000
) -> Iterator[RawDocument | Rejected]:
    """Documents in ``data``; ``suffix`` (".html", ".jsonl" …) picks the reader, else the content does."""
    kind = _kind_for_suffix(suffix) or sniff_format(data)
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
        yield from read_jsonl_lines(text.splitlines(), origin, max_bytes=max_bytes)
    else:
        yield RawDocument(origin=origin, text=text, plain_text=True)


def _kind_for_suffix(suffix: str) -> str | None:
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".txt", ".text"):
        return "text"
    if suffix in FEED_EXTENSIONS:
        return "feed"
    return None
