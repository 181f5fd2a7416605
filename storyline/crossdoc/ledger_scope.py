"""Which counts under one ledger key are about the same incident, so only those are compared.

Input: the count candidates of one grouping key ("killed people"), each with the incident its sentence
reports (the event there: coreference cluster, type, place, day). Output: the candidates split into
sub-groups that may be compared: "two killed in a clash" and "320 killed in air raids" are two facts, not a
conflict, while "12 soldiers killed" and "Twelve troops died" in the same attack stay together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

Item = TypeVar("Item")

# Spans of the sentence around a character offset: the ledger only has stored text, not the parse.
SENTENCE_ENDS = ".!?\n"


@dataclass(frozen=True, slots=True)
class Incident:
    """What a count's sentence reports happening; two different incidents' tolls are not compared."""

    cluster: str  # cross-document coreference id, else the event's own id
    event_type: str
    place: str | None  # GeoNames id or casefolded name
    day: date | None  # only when the event is dated to the day
    background: bool  # a past event told as context


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(mark, 0, start) for mark in SENTENCE_ENDS) + 1
    rights = [i for i in (text.find(mark, end) for mark in SENTENCE_ENDS) if i >= 0]
    return left, min(rights, default=len(text))


def incident_of(start: int, end: int, text: str, events: Sequence[dict[str, Any]],
                places: dict[str, dict[str, Any]]) -> Incident | None:
    """The event of the count's sentence: the one whose evidence holds the count, else the nearest one."""
    left, right = sentence_bounds(text, start, end)
    here = [e for e in events if e["start_char"] < right and left < e["end_char"]]
    if not here:
        return None

    def distance(event: dict[str, Any]) -> int:
        if event["start_char"] <= start and end <= event["end_char"]:
            return -1
        return min(abs(event["start_char"] - end), abs(start - event["end_char"]))

    event = min(here, key=distance)
    place = places.get(event["place_id"] or "")
    where = None
    if place is not None:
        where = str(place["geonames_id"]) if place["geonames_id"] else (place["name"] or place["text"]).casefold()
    when = event["event_date"]
    day = when.date() if isinstance(when, datetime) and event["date_precision"] == "day" else None
    return Incident(event["coref_id"] or event["id"], event["event_type"], where, day, bool(event["background"]))


def same_incident_possible(a: Incident | None, b: Incident | None) -> bool:
    """Unknown incidents are compatible with anything; known ones must not contradict each other."""
    if a is None or b is None or a.cluster == b.cluster:
        return True
    if a.background != b.background or a.event_type != b.event_type:
        return False
    if a.place and b.place and a.place != b.place:
        return False
    return not (a.day and b.day and a.day != b.day)


def split_groups(items: Sequence[Item], fits: Callable[[Item, Item], bool]) -> list[list[Item]]:
    """Greedy partition: each item joins the first group all of whose members it fits, else starts one."""
    groups: list[list[Item]] = []
    for item in items:
        home = next((g for g in groups if all(fits(item, other) for other in g)), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return groups
