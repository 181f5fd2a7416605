"""Metadata from news pages in the styles of common CMSs (fixtures in tests/fixtures/ingest/, own writing):
publisher over site name, published over modified, never a date from related boxes or comments."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from storyline.ingest import read_inputs
from storyline.ingest.html_pages import extract_html
from storyline.ingest.language import ReadFailure
from storyline.ingest.page_metadata import registered_domain_outlet, registered_name
from storyline.records import Article, DatePrecision

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
FIRST_SENTENCE = "Flood water rose above the old stone bridge in Marrowby on Monday morning"
LAST_SENTENCE = "more rain was expected before the weekend."


def _article(name: str) -> Article:
    [article] = list(read_inputs([PAGES / name]))
    assert isinstance(article, Article), article
    return article


@pytest.mark.parametrize(
    ("name", "outlet", "outlet_source", "published", "precision", "published_source"),
    [
        # og:site_name; article:published_time wins over article:modified_time and the <time class=updated>.
        ("wordpress.html", "Valley Ledger", "html:meta", datetime(2019, 3, 4, 8, 15), "minute", "html:meta"),
        # JSON-LD NewsArticle: publisher.name and datePublished (not dateModified).
        ("arc_jsonld.html", "The Harbour Post", "html:json-ld", datetime(2019, 3, 4, 13, 5), "minute", "html:json-ld"),
        # No site name: the og:url's domain is in the outlet registry.
        ("drupal_registry.html", "Reuters", "url:registry", datetime(2019, 3, 5), "day", "html:meta"),
        # Parse.ly / Sailthru meta tags.
        ("parsely.html", "Coastline Daily", "html:meta", datetime(2019, 3, 5, 6, 30), "minute", "html:meta"),
        # Only <time datetime> elements: the article's, not the related list's (2015) or a comment's (2021).
        ("time_only.html", None, None, datetime(2019, 3, 7, 10, 2), "minute", "html:time"),
        # AMP page whose JSON-LD @graph refers to its publisher by @id; a bare date keeps day precision.
        ("amp.html", "Northern Wire Media Group", "html:json-ld", datetime(2019, 3, 9), "day", "html:json-ld"),
        # The page's publisher, not the wire it credits in the byline and dateline.
        ("dateline.html", "Morning Courier", "html:meta", datetime(2018, 12, 14, 7, 45), "minute", "html:meta"),
        # Visible "Published: … | Updated: …" line: the published day, not the update or the related story's.
        ("two_dates.html", "Valley Ledger", "html:meta", datetime(2019, 3, 12), "day", "html:htmldate"),
    ],
)
def test_cms_page_metadata(
    name: str,
    outlet: str | None,
    outlet_source: str | None,
    published: datetime,
    precision: str,
    published_source: str,
) -> None:
    article = _article(name)
    assert (article.outlet, article.outlet_source) == (outlet, outlet_source)
    assert article.published == published
    assert article.published_precision is DatePrecision(precision)
    assert article.published_source == published_source
    assert article.language == "en"
    assert article.text.startswith(("KABUL", FIRST_SENTENCE)) and article.text.endswith(LAST_SENTENCE)


def test_titles_drop_the_site_suffix() -> None:
    assert _article("wordpress.html").title == "River bursts its banks in Marrowby"
    assert _article("drupal_registry.html").title == "Embankment checks continue after floods"


@pytest.mark.parametrize(
    "furniture",
    [
        "cookie",  # banner
        "Share on Facebook",  # share bar
        "newsletter",  # newsletter box
        "inbox",
        "Related stories",
        "Bridge repairs finished",  # related-story teaser
        "Leave a Reply",  # comment form
        "will not be published",
        "Great reporting",  # a reader's comment
        "All rights reserved",  # footer
        "Photo: Sam Oduya",  # caption credit
        "Posted on",  # entry meta
        "Tom Hale",  # byline
        "Privacy Policy",
        "Home",  # navigation
    ],
)
def test_wordpress_furniture_is_dropped(furniture: str) -> None:
    assert furniture not in _article("wordpress.html").text


def test_byline_staff_credit_and_date_lines_are_dropped_with_offsets_kept() -> None:
    article = _article("dateline.html")
    assert "By Farid Noor" not in article.text and "Editing by" not in article.text
    assert article.text.startswith("KABUL, Dec 14 (Reuters) - Traders in the old city")
    for segment in article.segments:  # every kept character is a copy of a raw one
        clean = article.text[segment.clean_start : segment.clean_start + segment.length]
        assert clean == article.raw_text[segment.raw_start : segment.raw_start + segment.length]
    assert "Published:" not in _article("two_dates.html").text


def _page(body_extra: str, head: str = "") -> str:
    paragraph = (
        "<p>Engineers inspected the cracked embankment north of Marrowby on Tuesday and said the repairs "
        "would take at least three weeks, keeping the riverside road closed to all traffic.</p>"
    )
    article = f"<article><h1>Road stays shut</h1>{paragraph * 3}</article>"
    return f"<html><head>{head}</head><body>{article}{body_extra}</body></html>"


@pytest.mark.parametrize(
    "box",
    [
        "<aside><h3>Related</h3><ul><li>Old <time datetime='2016-01-02T09:00:00Z'>2 Jan 2016</time></li></ul></aside>",
        "<div class='related-stories'><ul><li>Old story <span class='date'>January 2, 2016</span></li></ul></div>",
        "<div id='comments'><p>Posted <time datetime='2020-07-07'>July 7, 2020</time>: thanks</p></div>",
    ],
)
def test_dates_of_related_stories_and_comments_are_never_taken(box: str) -> None:
    page = extract_html(_page(box))
    assert not isinstance(page, ReadFailure)
    assert page.published is None


def test_modified_date_only_when_nothing_says_published() -> None:
    head = '<meta property="article:modified_time" content="2019-04-01T10:00:00Z">'
    page = extract_html(_page("", head))
    assert not isinstance(page, ReadFailure) and page.published is not None
    assert page.published.source == "html:modified" and page.published.value == datetime(2019, 4, 1, 10, 0)


def test_broken_json_ld_falls_back_to_meta_tags() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-</script>'
        '<meta property="og:site_name" content="Valley Ledger">'
        '<meta name="parsely-pub-date" content="2019-03-05T06:30:00Z">'
    )
    page = extract_html(_page("", head))
    assert not isinstance(page, ReadFailure)
    assert page.outlet is not None and page.outlet.value == "Valley Ledger"
    assert page.published is not None and page.published.value == datetime(2019, 3, 5, 6, 30)


def test_page_lang_is_used_only_when_the_text_is_too_short_to_identify(tmp_path: Path) -> None:
    (tmp_path / "short.html").write_text(
        "<html lang='fr-FR'><body><article><p>Pont fermé.</p></article></body></html>", encoding="utf-8"
    )
    (tmp_path / "wrong_lang.html").write_text(_page("").replace("<html>", "<html lang='de'>"), encoding="utf-8")
    short, english = list(read_inputs([tmp_path]))
    assert short.reason == "language 'fr' is not supported (English only)"  # type: ignore[union-attr]
    assert isinstance(english, Article) and (english.language, english.language_source) == ("en", "detected")


def test_outlet_registry_lookups() -> None:
    assert registered_domain_outlet("https://uk.reuters.com/article/x") == "Reuters"
    assert registered_domain_outlet("https://harbourpost.example/x") is None
    assert registered_name("Thomson Reuters") == "Reuters" and registered_name("reuters.com") == "Reuters"
    assert registered_name("Valley Ledger") is None


def test_template_placeholders_are_not_metadata() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z",'
        ' "publisher": {"@type": "Organization", "name": "Blogger"}}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2019-11-19T15:04:00Z"}'
        "</script>"
        '<meta property="og:site_name" content="Riverside Post | Your town\'s news since 1921">'
    )
    page = extract_html(_page("", head))
    assert not isinstance(page, ReadFailure)
    assert page.published is not None and page.published.value == datetime(2019, 11, 19, 15, 4)
    assert page.outlet is not None and (page.outlet.value, page.outlet.source) == ("Riverside Post", "html:meta")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Road stays shut after floods | Valley Ledger", "Road stays shut after floods"),
        ("Valley Ledger: Road stays shut after floods", "Road stays shut after floods"),
        ("VALLEY LEDGER | Road stays shut after floods", "Road stays shut after floods"),
        ("Valley Ledger", "Valley Ledger"),  # nothing but the site name: kept rather than emptied
        ("Valley Ledgers: a history of the town's paper", "Valley Ledgers: a history of the town's paper"),
    ],
)
def test_site_name_around_the_headline_is_removed(title: str, expected: str) -> None:
    head = f"<title>{title}</title><meta property='og:site_name' content='Valley Ledger'>"
    page = extract_html(_page("", head).replace("<h1>Road stays shut</h1>", ""))  # no <h1> to prefer
    assert not isinstance(page, ReadFailure) and page.title == expected
