"""Each reader on small fixture files written here: text, HTML, JSONL, WARC, RSS/Atom, stdin, folders."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

from storyline.ingest import read_inputs
from storyline.records import Article, DatePrecision, Rejected

BODY = (
    "Rescue teams reached the flooded valley town of Marrowby on Tuesday after three days of rain. "
    "Officials said at least twelve people were missing and hundreds of homes had been evacuated. "
    "The regional governor promised emergency funds and asked residents to stay away from the river."
)

PAGE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Floods cut off Marrowby | Valley Courier</title>
<meta property="og:title" content="Floods cut off Marrowby">
<meta property="og:site_name" content="Valley Courier">
<meta property="article:published_time" content="2021-03-09T08:15:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Floods cut off Marrowby</h1>
<p>{BODY}</p>
<p>Volunteers from neighbouring villages brought boats and blankets, and the army sent two helicopters
to lift stranded families from rooftops along the lower streets of the old quarter.</p>
<table><tr><td>Table cell that should not be extracted at all</td></tr></table>
</article>
<footer>Copyright Valley Courier. Contact us. Privacy policy.</footer>
</body></html>"""


def _articles(items: list[Article | Rejected]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def test_plain_text_file_gets_headline_and_detected_language(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(f"Floods cut off valley town\n\n{BODY}\n", encoding="utf-8")
    [article] = list(read_inputs([tmp_path / "report.txt"]))
    assert isinstance(article, Article)
    assert article.title == "Floods cut off valley town" and article.title_source == "text:first-line"
    assert article.language == "en" and article.language_source == "detected"
    assert "Marrowby on Tuesday" in article.text
    assert article.origin == str(tmp_path / "report.txt")
    assert article.published is None  # never guessed from a plain text file


def test_html_file_main_text_title_site_and_date(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    [article] = list(read_inputs([tmp_path]))
    assert isinstance(article, Article)
    assert "Volunteers from neighbouring villages" in article.text
    assert "Table cell" not in article.text and "Privacy policy" not in article.text
    assert article.title == "Floods cut off Marrowby" and article.title_source == "html"
    assert article.outlet == "Valley Courier" and article.outlet_source == "html:meta"
    assert article.published == datetime(2021, 3, 9, 8, 15)  # the clock time is kept from the meta tag
    assert article.published_precision is DatePrecision.MINUTE and article.published_source == "html:meta"
    assert article.raw_text.startswith(article.text[:20]) or article.text[:20] in article.raw_text


def test_jsonl_text_and_html_records_with_metadata(tmp_path: Path) -> None:
    lines = [
        {
            "text": BODY,
            "url": "https://example.org/a",
            "title": "Valley flood",
            "outlet": "Example Post",
            "published": "2021-03",
            "language": "en-GB",
        },
        {"html": PAGE, "outlet": "Given Outlet"},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    first, second = list(read_inputs([path]))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.origin == f"{path}:1" and second.origin == f"{path}:2"
    assert (first.title, first.title_source, first.outlet, first.outlet_source) == (
        "Valley flood",
        "metadata",
        "Example Post",
        "metadata",
    )
    assert first.published == datetime(2021, 3, 1) and first.published_precision is DatePrecision.MONTH
    assert first.language == "en" and first.language_source == "metadata"
    assert first.url == "https://example.org/a"
    # Given metadata wins over the page's own site name; the title still comes from the HTML.
    assert second.outlet == "Given Outlet" and second.outlet_source == "metadata"
    assert second.title_source == "html" and "Volunteers" in second.text


def test_same_text_from_different_outlets_gets_different_ids(tmp_path: Path) -> None:
    path = tmp_path / "dupes.jsonl"
    path.write_text(json.dumps({"text": BODY, "outlet": "A"}) + "\n" + json.dumps({"text": BODY, "outlet": "B"}))
    first, second = list(read_inputs([path]))
    assert isinstance(first, Article) and isinstance(second, Article) and first.id != second.id


def test_stdin_jsonl(tmp_path: Path) -> None:
    stream = io.StringIO(json.dumps({"text": BODY, "title": "From a pipe"}) + "\n\n")
    [article] = list(read_inputs(["-"], stdin=stream))
    assert isinstance(article, Article)
    assert article.origin == "<stdin>:1" and article.title == "From a pipe"


def _write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz"))
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers
            )
            writer.write_record(record)
        image_headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/x.png",
                "response",
                payload=io.BytesIO(b"\x89PNG"),
                http_headers=image_headers,
            )
        )


def test_warc_html_responses_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(
        path,
        [("https://example.org/flood", PAGE), ("https://example.org/again", PAGE.replace("twelve", "nine"))],
    )
    items = list(read_inputs([path]))
    articles = _articles(items)
    assert len(items) == 2 and len(articles) == 2  # the PNG response is not an article
    assert [a.url for a in articles] == ["https://example.org/flood", "https://example.org/again"]
    assert all(a.origin.startswith(f"{path}:") for a in articles)
    assert "nine people" in articles[1].text


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Valley Courier</title><language>en</language>
<item><title>Floods cut off Marrowby</title><link>https://example.org/flood</link>
<pubDate>Tue, 09 Mar 2021 08:15:00 GMT</pubDate>
<description>&lt;p&gt;{BODY}&lt;/p&gt;&lt;p&gt;Second paragraph of the entry.&lt;/p&gt;</description></item>
<item><title>Link only</title><link>https://example.org/empty</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hill Gazette</title>
<entry><title>Valley road reopens</title><link href="https://example.net/road"/>
<updated>2021-03-12T10:00:00Z</updated><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_and_atom_entries(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "b.atom").write_text(ATOM, encoding="utf-8")
    items = list(read_inputs([tmp_path]))
    articles = _articles(items)
    assert [a.title for a in articles] == ["Floods cut off Marrowby", "Valley road reopens"]
    assert articles[0].outlet == "Valley Courier" and articles[0].url == "https://example.org/flood"
    assert articles[0].published == datetime(2021, 3, 9, 8, 15)
    assert "Second paragraph" in articles[0].text and "<p>" not in articles[0].text
    assert articles[1].outlet == "Hill Gazette" and articles[1].published_source == "metadata"
    [link_only] = [item for item in items if isinstance(item, Rejected)]
    assert link_only.reason.startswith("feed entry has no content or summary")


def test_unknown_extensions_are_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.dat").write_text(PAGE, encoding="utf-8")
    (tmp_path / "records.out").write_text(json.dumps({"text": BODY, "title": "Sniffed JSONL"}) + "\n")
    (tmp_path / "feed.xml").write_text(RSS, encoding="utf-8")
    (tmp_path / "notes").write_text(BODY, encoding="utf-8")
    titles = {a.origin.split("/")[-1]: a.title for a in _articles(list(read_inputs([tmp_path])))}
    assert titles["page.dat"] == "Floods cut off Marrowby"
    assert titles["records.out:1"] == "Sniffed JSONL"
    assert titles["feed.xml:entry1"] == "Floods cut off Marrowby"
    assert "notes" in titles


def test_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second\n\n" + BODY)
    (tmp_path / "a.txt").write_text("First\n\n" + BODY.replace("twelve", "ten"))
    (tmp_path / ".hidden.txt").write_text("Hidden\n\n" + BODY)
    (tmp_path / ".git" / "c.txt").write_text("Inside hidden folder\n\n" + BODY)
    origins = [item.origin for item in read_inputs([tmp_path])]
    assert origins == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt")]


def test_headline_repeated_above_the_body_is_dropped_but_kept_as_title(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    [article] = list(read_inputs([tmp_path / "page.html"]))
    assert isinstance(article, Article)
    assert article.title == "Floods cut off Marrowby"
    assert article.text.startswith("Rescue teams reached")


def test_headline_rule_leaves_a_first_sentence_alone() -> None:
    from storyline.ingest.readers import drop_repeated_headline

    body = "Floods cut off Marrowby, officials said on Tuesday.\nSecond line of the story."
    assert drop_repeated_headline(body, "Floods cut off Marrowby | Valley Courier") == body
    assert (
        drop_repeated_headline("Floods cut off Marrowby\nBody.", "Floods cut off Marrowby | Valley Courier") == "Body."
    )
    assert drop_repeated_headline("Floods cut off Marrowby", "Floods cut off Marrowby") == "Floods cut off Marrowby"


def test_plain_text_without_metadata_gets_outlet_and_date_from_its_furniture(tmp_path: Path) -> None:
    text = (
        "Floods cut off Marrowby\nBy Ann Smith, Valley Courier\nTuesday 9 March 2021 08.15 GMT\n\n"
        f"{BODY}\n\nA farmer told Radio Marrowby the river rose in an hour.\n\n© 2009 Valley Courier\n"
    )
    (tmp_path / "floods.txt").write_text(text, encoding="utf-8")
    (article,) = _articles(list(read_inputs([tmp_path / "floods.txt"])))
    assert (article.outlet, article.outlet_source) == ("Valley Courier", "text:credit")
    # The date under the headline, not the 2009 of the copyright footer.
    assert (article.published, article.published_source) == (datetime(2021, 3, 9, 8, 15), "text:head-date")
    assert article.published_precision is DatePrecision.MINUTE


def test_jsonl_record_with_only_a_url_gets_outlet_and_date_from_it(tmp_path: Path) -> None:
    records = [
        {"url": "https://www.dawn.com/news/2021/03/09/marrowby-floods", "text": BODY},
        {"url": "https://www.dawn.com/news/2021/03/09/x", "outlet": "Valley Courier", "published": "2021-03-01",
         "text": BODY + " Officials gave no figure."},
    ]  # fmt: skip
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    first, second = _articles(list(read_inputs([path])))
    assert (first.outlet, first.outlet_source) == ("Dawn", "url:registry")
    assert (first.published, first.published_source) == (datetime(2021, 3, 9), "url:path")
    # What the record gives is never replaced by what the URL suggests.
    assert (second.outlet, second.outlet_source) == ("Valley Courier", "metadata")
    assert (second.published, second.published_source) == (datetime(2021, 3, 1), "metadata")


def test_outlet_only_quoted_in_the_text_stays_unknown(tmp_path: Path) -> None:
    text = f"Floods cut off Marrowby\n\n{BODY} A farmer told Radio Marrowby the river rose in an hour.\n"
    (tmp_path / "floods.txt").write_text(text, encoding="utf-8")
    (article,) = _articles(list(read_inputs([tmp_path / "floods.txt"])))
    assert article.outlet is None and article.published is None
