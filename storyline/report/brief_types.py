"""The records of a cited brief (frozen dataclasses) and their JSON round-trip.

Built by storyline/report/brief.py, rendered by storyline/report/brief_render.py. Every item names the
citation numbers [n] of the articles it comes from; ``Brief.citations`` resolves them.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Citation:
    number: int
    article_id: str
    outlet: str | None
    title: str | None
    published: datetime | None
    url: str | None
    origin: str
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class AccountSentence:
    """A sentence copied verbatim from article ``article_id`` (text[start:end]), cited to all its carriers."""

    text: str
    article_id: str
    start: int
    end: int
    citations: tuple[int, ...]
    origins: int  # independent origins among the carriers (syndicated copies count once)
    date: datetime | None
    score: float


@dataclass(frozen=True, slots=True)
class KeyNumber:
    what: str
    value: str
    citations: tuple[int, ...]
    independent_sources: int
    verdict: str  # agree | refine | conflict | deny | superseded | single source
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Position:
    """One side of a contested point: a verbatim sentence with its citations."""

    text: str
    citations: tuple[int, ...]
    speaker: str | None = None
    stance: str = "assert"


@dataclass(frozen=True, slots=True)
class ContestedPoint:
    what: str
    verdict: str
    positions: tuple[Position, ...]
    reason: str = ""


@dataclass(frozen=True, slots=True)
class NotableQuote:
    speaker: str | None
    quote: str
    citations: tuple[int, ...]
    outlets: tuple[str, ...]
    date: datetime | None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: datetime
    precision: str | None
    kind: str  # the event type, or "statement"
    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Whereabouts:
    place: str | None
    latitude: float | None
    longitude: float | None
    outlets: tuple[str, ...]
    published: datetime | None  # earliest report placing the entity there
    citations: tuple[int, ...]
    evidence: str


@dataclass(frozen=True, slots=True)
class Dossier:
    entity_id: str | None
    name: str
    label: str
    mentions: int
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    quotes: tuple[NotableQuote, ...]
    whereabouts: tuple[Whereabouts, ...]


@dataclass(frozen=True, slots=True)
class Brief:
    story_id: str
    headline: str
    first_published: datetime | None
    last_published: datetime | None
    n_articles: int
    n_origins: int
    outlets: tuple[str, ...]
    account: tuple[AccountSentence, ...]
    key_numbers: tuple[KeyNumber, ...]
    contested: tuple[ContestedPoint, ...]
    quotes: tuple[NotableQuote, ...]
    timeline: tuple[TimelineEntry, ...]
    dossiers: tuple[Dossier, ...]
    citations: tuple[Citation, ...]
    n_undated: int = 0  # articles with no publication date at all
    n_estimated: int = 0  # articles dated only by the latest date their text mentions (a lower bound)


def to_jsonable(value: Any) -> Any:
    """Dataclasses → dicts, tuples → lists, datetimes → ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def from_jsonable(cls: type[Any], data: Any) -> Any:
    """Inverse of ``to_jsonable`` for the brief's dataclasses (ISO strings back to datetimes)."""
    hints = typing.get_type_hints(cls)
    kwargs = {f.name: _convert(hints[f.name], data[f.name]) for f in dataclasses.fields(cls)}
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value)
    if origin is tuple:
        return tuple(_convert(typing.get_args(hint)[0], v) for v in value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_jsonable(hint, value)
    return value
