"""`evaluate(DIR)`: outlet and date recovered from a page's *visible text alone*, checked against its markup.

Input: a scrapinghub-format folder (DIR/html/*.html.gz, DIR/ground-truth.json for URLs). Each page becomes
the plain text a reader copying it from the headline down would get; the outlet and date found there
(``find_outlet`` / ``find_published``, no URL) are compared with what its JSON-LD/meta tags state (silver).
Output: coverage and agreement per field and per source, pages/s. Pages whose markup says nothing are skipped.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.ingest.metadata import Detected, PublishedDate
from storyline.ingest.page_metadata import read_page_metadata
from storyline.ingest.readers import find_outlet, find_published
from storyline.outlets import domain_of, match_outlet, outlet_key

# Elements whose text a reader never sees, and block elements that start a new line when copied.
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe")
BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "section",
    "article", "aside", "nav", "figure", "figcaption", "blockquote", "tr", "table", "time", "address", "main",
})  # fmt: skip
# Silver labels only from what the markup states outright (htmldate's guesses are not a label).
SILVER_SOURCES = frozenset({"html:json-ld", "html:meta", "url:registry"})


def evaluate(path: Path | None, *, limit: int | None = None, **_options: Any) -> dict[str, Any]:
    """Coverage and agreement of text-only outlet/date recovery against the markup of each page."""
    if path is None:
        raise ConfigError("give a scrapinghub-format folder: storyline eval metadata DIR")
    folder = Path(path)
    truth_file = folder / "ground-truth.json"
    if not truth_file.is_file():
        raise ConfigError(f"{truth_file} not found: expected DIR/ground-truth.json and DIR/html/*.html.gz")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = sorted((folder / "html").glob("*.html.gz"))[:limit]
    tally: Counter[str] = Counter()
    started = time.perf_counter()
    for number, page in enumerate(pages, start=1):
        url = truth.get(page.name.removesuffix(".html.gz"), {}).get("url")
        _score_page(gzip.decompress(page.read_bytes()), url, tally)
        if number % 20 == 0:
            print(f"metadata: {number}/{len(pages)} pages", file=sys.stderr)
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {"n": len(pages), "pages_per_s": round(len(pages) / elapsed, 2) if elapsed else None}
    for field in ("outlet", "published"):
        labelled, found, right = tally[f"{field}:labelled"], tally[f"{field}:found"], tally[f"{field}:right"]
        result[f"{field}.labelled"] = labelled
        result[f"{field}.coverage"] = round(found / labelled, 3) if labelled else None
        result[f"{field}.precision"] = round(right / found, 3) if found else None
    found_dates = tally["published:found"]
    result["published.precision_within_1_day"] = (
        round(tally["published:near"] / found_dates, 3) if found_dates else None
    )
    result["by_source"] = {key: count for key, count in sorted(tally.items()) if key.count(":") >= 2}
    return result


def _score_page(html: bytes, url: str | None, tally: Counter[str]) -> None:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    markup = read_page_metadata(tree, url, None)
    text = from_headline(visible_text(tree), _headline(tree))
    if markup.outlet is not None and markup.outlet.source in SILVER_SOURCES:
        found = find_outlet(text, None)
        _count(tally, "outlet", found, found is not None and _same_outlet(found.value, markup.outlet.value, url))
    if markup.published is not None and markup.published.source in SILVER_SOURCES:
        stated = find_published(text, None)
        _count(tally, "published", stated, stated is not None and _same_day(stated, markup.published))
        # Pages print local time, markup often UTC: a day apart can be the same moment.
        tally["published:near"] += stated is not None and abs((stated.value - markup.published.value).days) <= 1


def _count(tally: Counter[str], field: str, found: Detected | PublishedDate | None, right: bool) -> None:
    tally[f"{field}:labelled"] += 1
    if found is None:
        return
    tally[f"{field}:found"] += 1
    tally[f"{field}:right"] += right
    tally[f"{field}:{found.source}:{'right' if right else 'wrong'}"] += 1


def _same_outlet(found: str, silver: str, url: str | None) -> bool:
    """Same registry outlet, same lookup key, or the found domain is the page's own."""
    if outlet_key(found) == outlet_key(silver):
        return True
    found_outlet, silver_outlet = match_outlet(found), match_outlet(silver)
    if found_outlet is not None and found_outlet == silver_outlet:
        return True
    host = domain_of(url) if url else None
    return host is not None and domain_of(found) == host


def _same_day(found: PublishedDate, silver: PublishedDate) -> bool:
    return found.value.date() == silver.value.date()


def visible_text(tree: Any) -> str:
    """The text a reader copying the whole page would get: visible elements, one block per line."""
    for element in list(tree.iter(*INVISIBLE_TAGS)):
        element.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _headline(tree: Any) -> str | None:
    for element in tree.iter("h1"):
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None


def from_headline(text: str, headline: str | None) -> str:
    """The text from the headline's line on (what a reader selecting the article copies); all of it when the
    headline is not found on a line of its own."""
    if not headline:
        return text
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == headline), None)
    return "\n".join(lines[start:]) if start is not None else text
