"""The story span rule every report shares: the articles' own dates bound it; estimates and gaps are counted."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from storyline.report.brief_render import coverage
from storyline.report.brief_types import Brief
from storyline.report.dating import PublicationSpan, publication_span


def article(day: int | None, source: str | None = "metadata") -> dict[str, object]:
    return {"published": datetime(2030, 3, day) if day else None, "published_source": source}


def test_span_is_bounded_by_own_dates_whatever_the_article_order() -> None:
    # The first article is undated and an estimate (a date the text mentions) is later than every own date.
    span = publication_span([article(None), article(20, "estimated"), article(7), article(4, "html")])
    assert (span.first, span.last) == (datetime(2030, 3, 4), datetime(2030, 3, 7))
    assert (span.n_undated, span.n_estimated, span.latest_estimate) == (1, 1, datetime(2030, 3, 20))


def test_span_without_any_own_date_has_no_bounds() -> None:
    span = publication_span([article(9, "estimated"), article(None)])
    assert (span.first, span.last, span.latest_estimate) == (None, None, datetime(2030, 3, 9))
    assert publication_span([]) == PublicationSpan(None, None, 0, 0, None)


def test_brief_coverage_line_says_undated_once_when_no_article_states_its_date() -> None:
    brief = Brief(story_id="s", headline="h", first_published=None, last_published=None, n_articles=2, n_origins=2,
                  outlets=("A", "B"), account=(), key_numbers=(), contested=(), quotes=(), timeline=(), dossiers=(),
                  citations=(), n_undated=1, n_estimated=1)
    line = coverage(brief)
    assert "undated → undated" not in line and "2 articles" in line and "(1 estimated from the text; 1 undated)" in line
    dated = dataclasses.replace(brief, first_published=datetime(2030, 3, 4), last_published=datetime(2030, 3, 7))
    assert "2030-03-04 → 2030-03-07" in coverage(dated)
