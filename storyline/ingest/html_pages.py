"""HTML news pages: main text (trafilatura) plus title, outlet, date and language from the markup.

Input: one page's HTML (str or bytes) and its URL when known. Output: an ``ExtractedPage`` /
``RawDocument`` or a ``ReadFailure`` / ``Rejected`` saying why no article text was found; never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storyline.ingest.language import ReadFailure
from storyline.ingest.metadata import Detected, PublishedDate
from storyline.ingest.page_metadata import read_page_metadata, registered_name
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
    language_source: str = "metadata"  # "html" when only the page's lang attribute says it


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """Main text of one HTML page and the metadata found in its markup."""

    text: str
    title: str | None
    outlet: Detected | None
    published: PublishedDate | None
    url: str | None = None
    language: str | None = None


# fast: skip the readability/jusText second opinion. It is 2-3x faster, and on the dev pages the
# fallback only ever changed two pages, one for the worse (it took a whole listing page as the article).
# htmldate without its "extensive search" (which guesses from any date-like string on the page).
_DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}


def extract_html(html: str | bytes, url: str | None = None) -> ExtractedPage | ReadFailure:
    """Main text of a news page (trafilatura, no comments or tables) with its title, outlet and date."""
    from lxml.etree import LxmlError
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)  # parsed once: metadata is read here, trafilatura works on a copy
        if tree is None:
            return ReadFailure("malformed HTML: no document tree could be parsed")
        document = bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=False,
            fast=True,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
        )
        text: str | None = getattr(document, "text", None)
        if not text or not text.strip():
            return ReadFailure("no article text found in the HTML (empty page, or only navigation/markup)")
        markup = read_page_metadata(tree, url, getattr(document, "date", None))
    except (ValueError, TypeError, AttributeError, LxmlError) as exc:  # lxml on badly broken markup
        return ReadFailure(f"malformed HTML: {type(exc).__name__}: {exc}")
    sitename: str | None = getattr(document, "sitename", None) or None
    outlet = markup.outlet or _site_name(sitename, markup.url)
    title = _headline(getattr(document, "title", None) or None, tree.findtext(".//title"), sitename, outlet)
    body = drop_repeated_headline(tidy_lines(text), title)
    return ExtractedPage(body, title, outlet, markup.published, markup.url, markup.language)


def _site_name(sitename: str | None, url: str | None) -> Detected | None:
    """trafilatura's site name; it falls back to the URL's host when the page names no site."""
    if not sitename:
        return None
    if url and sitename.lower() in url.lower():
        return Detected(registered_name(sitename) or sitename, "url")
    return Detected(registered_name(sitename) or sitename, "html")


# "Valley Ledger: Bridge shut" / "Valley Ledger | Bridge shut": the site printed before the headline
# (trafilatura strips it only when it follows the headline).
_SITE_PREFIX_SEPARATORS = (": ", " | ", " - ", " – ", " — ")


def _headline(title: str | None, page_title: str | None, sitename: str | None, outlet: Detected | None) -> str | None:
    """trafilatura's title without the site name; its page <title> when trafilatura kept only the site."""
    names = [name for name in (sitename, outlet.value if outlet else None) if name]
    if title and page_title and title.casefold() in {name.casefold() for name in names}:
        title = " ".join(page_title.split())
    return _without_site_name(title, names)


def _without_site_name(title: str | None, names: list[str]) -> str | None:
    if not title:
        return None
    for name in names:
        for separator in _SITE_PREFIX_SEPARATORS:
            prefix = name + separator
            if title.casefold().startswith(prefix.casefold()) and len(title) > len(prefix) + 3:
                return title[len(prefix) :].strip()
    return title


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
    if line_key in title_keys or max(fuzz.ratio(line_key, key) for key in title_keys) >= MIN_HEADLINE_SIMILARITY:
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
    title, title_source = (given["title"], "metadata") if given.get("title") else (page.title, "html")
    outlet: str | None
    outlet_source: str | None
    if given.get("outlet"):
        outlet, outlet_source = given["outlet"], "metadata"
    else:
        outlet, outlet_source = (page.outlet.value, page.outlet.source) if page.outlet else (None, None)
    language, language_source = given.get("language"), "metadata"
    if not language:
        language, language_source = page.language, "html"
    return RawDocument(
        origin=origin,
        text=page.text,
        url=given.get("url") or page.url,
        title=title,
        title_source=title_source if title else None,
        outlet=outlet,
        outlet_source=outlet_source,
        published=given.get("published") or page.published,
        language=language,
        language_source=language_source,
    )
