"""A story's publication span, one rule for every report: the articles' own dates.

Input: article rows (``published``, ``published_source``); output: a ``PublicationSpan``. A date estimated from
a text (the latest date it mentions) is only a lower bound of when it was written, so it is counted and shown
as such but never bounds the span; an article with no date at all is counted as undated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ESTIMATED = "estimated"  # the published_source of a date taken from the text, not from the article


@dataclass(frozen=True, slots=True)
class PublicationSpan:
    first: datetime | None  # earliest date an article states for itself
    last: datetime | None
    n_undated: int  # articles with no date at all
    n_estimated: int  # articles dated only by the latest date their text mentions
    latest_estimate: datetime | None  # the latest of those estimates, for stories with no own date


def publication_span(articles: Iterable[Mapping[str, Any]]) -> PublicationSpan:
    own: list[datetime] = []
    estimates: list[datetime] = []
    undated = 0
    for article in articles:
        published = article.get("published")
        if published is None:
            undated += 1
        elif article.get("published_source") == ESTIMATED:
            estimates.append(published)
        else:
            own.append(published)
    return PublicationSpan(
        first=min(own, default=None),
        last=max(own, default=None),
        n_undated=undated,
        n_estimated=len(estimates),
        latest_estimate=max(estimates, default=None),
    )
