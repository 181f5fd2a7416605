"""Publication metadata of a news page read from its markup: JSON-LD, OpenGraph/CMS meta tags, ``<time>``.

Input: the page's HTML and the URL it came from, if known. Output: ``PageMetadata`` whose values carry
their source ("html:json-ld", "html:meta", "html:time", "url:registry" …); a missing value beats a guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storyline.ingest.metadata import Detected, PublishedDate, canonical_outlet, parse_published
from storyline.outlets import default_registry, domain_of, match_outlet
from storyline.records import DatePrecision

# schema.org types whose datePublished/publisher describe the article itself (not the site or a teaser).
ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "Report",
    "SocialMediaPosting", "Blog", "TechArticle", "ScholarlyArticle",
})  # fmt: skip
# Meta tags (name/property/itemprop, lower-cased) naming the first publication, most explicit first:
# OpenGraph/Facebook, Parse.ly, Sailthru, Dublin Core, schema.org microdata, generic CMS tags.
PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "dc.date.created", "dc.date", "dcterms.date", "article.published", "publishdate", "publish-date",
    "publish_date", "pubdate", "publication_date", "date", "originalpublicationdate",
)  # fmt: skip
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")
SITE_NAME_META = ("og:site_name", "publisher", "dc.publisher", "dcterms.publisher")
LANGUAGE_META = ("og:locale", "content-language", "language", "dc.language", "inlanguage")
# Containers whose dates belong to other stories or to readers, never to the article.
FOREIGN_BOX = re.compile(
    r"related|recommend|comment|sidebar|widget|teaser|popular|trending|most-?read|more-?stories|"
    r"read-?more|footer|newsletter|reply|respond|promo|also",
    re.I,
)
_SITE_TAGLINE = re.compile(r"\s+[|–—-]\s.*$")
# Blogging platforms that JSON-LD templates name as "publisher" in place of the site itself.
PLATFORM_NAMES = frozenset({"blogger", "wordpress", "wordpress.com", "medium", "substack", "tumblr", "ghost", "wix"})
# Dates before this are template placeholders ("0001-01-01") rather than when a news page appeared.
MIN_PUBLISHED_YEAR = 1900
FOREIGN_TAGS = frozenset({"aside", "footer", "nav"})
# <time> elements that say when the page was changed rather than first published.
MODIFIED_TIME_CLASS = re.compile(r"updated|modified|edited", re.I)
PUBLISHED_TIME_CLASS = re.compile(r"publish|posted|entry-date|pubdate|created", re.I)
_HAS_CLOCK = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the markup itself states about the article; each value says where it came from."""

    outlet: Detected | None
    published: PublishedDate | None
    url: str | None
    language: str | None


def read_page_metadata(tree: Any, url: str | None, extracted_date: str | None) -> PageMetadata:
    """Metadata of the lxml page ``tree``; ``extracted_date`` is htmldate's opinion (a day, or None)."""
    metas = _meta_values(tree)
    articles, nodes = _json_ld_articles(tree)
    page_url = url or _canonical_url(tree, metas)
    return PageMetadata(
        outlet=_outlet(articles, nodes, metas, page_url),
        published=_published(tree, articles, metas, extracted_date),
        url=page_url,
        language=_language(tree, articles, metas),
    )


# ---------------------------------------------------------------------------------------------------
# Markup readers
# ---------------------------------------------------------------------------------------------------


def _meta_values(tree: Any) -> dict[str, str]:
    """First content of every <meta> by lower-cased name/property/itemprop/http-equiv."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attribute) or "").strip().lower()
            if key:
                values.setdefault(key, content)
    return values


def _canonical_url(tree: Any, metas: dict[str, str]) -> str | None:
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and (link.get("href") or "").startswith("http"):
            return str(link.get("href"))
    og_url = metas.get("og:url", "")
    return og_url if og_url.startswith("http") else None


def _json_ld_nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's ld+json scripts, @graph members and lists flattened."""
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        body = script.text.strip().removeprefix("<!--").removesuffix("-->").strip()
        try:
            data = json.loads(body)
        except ValueError:  # CMS templates often emit broken JSON-LD; the other sources remain
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph"))


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return {kind}
    return {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _json_ld_articles(tree: Any) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Article-typed JSON-LD nodes in page order (CMSs repeat them, the first sometimes holding template
    placeholders such as "0001-01-01"), and all nodes by @id (to resolve {"@id": …} references)."""
    nodes = list(_json_ld_nodes(tree))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    return [node for node in nodes if _types(node) & ARTICLE_TYPES], by_id


def _name_of(value: Any, by_id: dict[str, dict[str, Any]]) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        value = by_id.get(value["@id"], value)
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


# ---------------------------------------------------------------------------------------------------
# Outlet
# ---------------------------------------------------------------------------------------------------


def _outlet(
    articles: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], metas: dict[str, str], url: str | None
) -> Detected | None:
    """Publisher named by JSON-LD, else the registry's outlet for the URL's domain, else the site name."""
    for article in articles:
        publisher = _name_of(article.get("publisher"), by_id)
        if publisher and publisher.casefold() not in PLATFORM_NAMES:
            return Detected(registered_name(publisher) or canonical_outlet(publisher), "html:json-ld")
    registered = registered_domain_outlet(url) if url else None
    if registered:
        return Detected(registered, "url:registry")
    for key in SITE_NAME_META:
        name = metas.get(key)
        if name and not name.startswith(("http", "@")):
            name = _SITE_TAGLINE.sub("", name)  # "LinkNews | The country's news platform" → "LinkNews"
            return Detected(registered_name(name) or canonical_outlet(name), "html:meta")
    return None


def registered_name(name: str) -> str | None:
    """The registry's spelling of an outlet name, alias or domain ("Thomson Reuters" → "Reuters")."""
    outlet = match_outlet(name)
    return outlet.name if outlet else None


def registered_domain_outlet(url: str) -> str | None:
    """The registry outlet whose domain hosts ``url`` (sub-domains included: news.sky.com → sky.com)."""
    host = domain_of(url)
    outlet = default_registry().match(host) if host else None
    return outlet.name if outlet else None


# ---------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------


def _published(
    tree: Any, articles: list[dict[str, Any]], metas: dict[str, str], extracted_date: str | None
) -> PublishedDate | None:
    """Explicit publication stamps first; htmldate's day next (made precise by a matching <time>);
    a modification date only when nothing says when the article first appeared."""
    explicit = next(filter(None, (_date_from(a.get("datePublished"), "html:json-ld") for a in articles)), None)
    explicit = explicit or next(filter(None, (_date_from(metas.get(k), "html:meta") for k in PUBLISHED_META)), None)
    if explicit is not None:
        return explicit
    stamped = _article_time(tree)
    modified = next(filter(None, (_date_from(a.get("dateModified"), "html:modified") for a in articles)), None)
    modified = modified or next(filter(None, (_date_from(metas.get(k), "html:modified") for k in MODIFIED_META)), None)
    extracted = parse_published(extracted_date, "html:htmldate") if extracted_date else None
    if extracted is not None and extracted.value.date() in _foreign_box_days(tree):
        extracted = None  # htmldate took a related story's or a comment's date
    if extracted is not None:
        for precise in (stamped, modified):  # htmldate falls back to modified tags too: say so
            if precise is not None and precise.value.date() == extracted.value.date():
                return precise
        return extracted
    return stamped or modified


def _date_from(value: Any, source: str) -> PublishedDate | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    date = parse_published(value.strip(), source)
    if date is not None and not MIN_PUBLISHED_YEAR <= date.value.year <= datetime.now().year + 1:
        return None  # a template placeholder ("0001-01-01") or a typo, not a publication date
    if date is not None and date.precision is DatePrecision.MINUTE and not _HAS_CLOCK.search(value):
        return PublishedDate(date.value, DatePrecision.DAY, source)  # "2019-03-09" parsed via fromisoformat
    return date


def _article_time(tree: Any) -> PublishedDate | None:
    """The page's own <time datetime>: a published-looking one first, never one in a related/comment box."""
    candidates = [t for t in tree.iter("time") if t.get("datetime") and not _in_foreign_box(t)]
    candidates = [t for t in candidates if not MODIFIED_TIME_CLASS.search(t.get("class") or "")]
    preferred = [
        t for t in candidates
        if t.get("itemprop") == "datePublished" or t.get("pubdate") is not None
        or PUBLISHED_TIME_CLASS.search(t.get("class") or "")
    ]  # fmt: skip
    for element in preferred or candidates:
        date = _date_from(element.get("datetime"), "html:time")
        if date is not None:
            return date
    return None


# Date-bearing elements parsed per page (dateparser is slow; a page rarely shows more dates than this).
MAX_DATE_ELEMENTS = 40
_DATE_CLASS = re.compile(r"date|time|posted|published", re.I)


def _foreign_box_days(tree: Any) -> set[Any]:
    """Days printed only in related-story boxes and comments (and nowhere in the article itself)."""
    own: set[Any] = set()
    foreign: set[Any] = set()
    looked_at = 0
    for element in tree.iter("time", "span", "div", "p", "li", "abbr"):
        if element.tag != "time" and not _DATE_CLASS.search(element.get("class") or ""):
            continue
        looked_at += 1
        if looked_at > MAX_DATE_ELEMENTS:
            break
        value = element.get("datetime") or element.get("title") or element.text_content()
        date = _date_from(value[:60], "html") if value else None
        if date is None:
            continue
        (foreign if _in_foreign_box(element) else own).add(date.value.date())
    return foreign - own


def _in_foreign_box(element: Any) -> bool:
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):  # body classes ("comments-open") describe the whole page
            return False
        if ancestor.tag in FOREIGN_TAGS:
            return True
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if marks.strip() and FOREIGN_BOX.search(marks):
            return True
    return False


# ---------------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------------


def _language(tree: Any, articles: list[dict[str, Any]], metas: dict[str, str]) -> str | None:
    for article in articles:
        declared = article.get("inLanguage")
        if isinstance(declared, str) and declared.strip():
            return declared.strip()
    root_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if root_lang and root_lang.strip():
        return root_lang.strip()
    return next((metas[k] for k in LANGUAGE_META if metas.get(k)), None)
