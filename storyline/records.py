"""Typed records that flow between storyline's stages.

Every extracted fact carries an ``Evidence`` (article id + character span into ``Article.text``, the
cleaned text). Records are frozen and slotted; absence is ``None`` or an empty tuple; dates are
``datetime`` plus a precision, never strings. Record ids are content hashes so reruns give the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum


def content_id(*parts: object, length: int = 16) -> str:
    """Stable hexadecimal id from the given parts (reruns of the same input give the same id)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: ``Article.text[start:end]`` of article ``article_id``."""

    article_id: str
    start: int
    end: int


class DatePrecision(StrEnum):
    """How precise a date is, from finest to coarsest."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"


class GeoPrecision(int, Enum):
    """ACLED-like geo_precision: 1 the place itself, 2 near/part of a named place, 3 only a region/country."""

    EXACT = 1
    NEAR = 2
    REGION = 3


@dataclass(frozen=True, slots=True)
class OffsetSegment:
    """A run of ``length`` characters copied unchanged from ``raw_start`` (original) to ``clean_start``."""

    clean_start: int
    raw_start: int
    length: int


@dataclass(frozen=True, slots=True)
class Article:
    """One input document after reading and cleaning.

    ``text`` is the cleaned text every span points into; ``raw_text`` is what was read, and
    ``segments`` map cleaned offsets back to it. Each metadata field has a ``*_source`` saying where it
    came from ("metadata", "html", "text:source-line", "detected", "estimated" …) or None when unknown.
    """

    id: str
    text: str
    raw_text: str = ""
    segments: tuple[OffsetSegment, ...] = ()
    origin: str = ""  # file path (with ":line" for JSONL/WARC records) or URL the article was read from
    url: str | None = None
    title: str | None = None
    title_source: str | None = None
    outlet: str | None = None
    outlet_source: str | None = None
    published: datetime | None = None
    published_precision: DatePrecision | None = None
    published_source: str | None = None
    language: str | None = None
    language_source: str | None = None

    def raw_offset(self, clean_offset: int) -> int:
        """Map an offset in ``text`` to the matching offset in ``raw_text``."""
        for seg in self.segments:
            if seg.clean_start <= clean_offset <= seg.clean_start + seg.length:
                return seg.raw_start + (clean_offset - seg.clean_start)
        return clean_offset

    @classmethod
    def from_text(cls, text: str, *, published: datetime | None = None, **fields: object) -> Article:
        """An article built directly from text (API use, tests, evaluations): id = hash of the text."""
        segments = (OffsetSegment(0, 0, len(text)),)
        return cls(
            id=content_id(text),
            text=text,
            raw_text=text,
            segments=segments,
            published=published,
            published_precision=DatePrecision.DAY if published else None,
            published_source="metadata" if published else None,
            **fields,  # type: ignore[arg-type]  # dataclass fields are checked at construction
        )


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input (or one stage on one article) that could not be processed, and why."""

    origin: str
    reason: str
    stage: str = "ingest"
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """A provenance link between two articles: duplicate, near-duplicate, shared passage, or citation."""

    source_id: str  # the later/copying article
    target_id: str  # the earlier/original article
    kind: str  # "exact_duplicate" | "near_duplicate" | "shared_passage" | "cites"
    score: float = 1.0
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention. ``entity_key`` groups mentions of one entity within the article."""

    evidence: Evidence
    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP | FAC | GROUP | EVENT
    entity_key: str  # canonical surface form within the article (e.g. "Havel Ronnie Walat")


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity across articles, with all its surface forms."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A toponym (or demonym) resolved to a gazetteer entry, or left unresolved (``geonames_id`` None)."""

    evidence: Evidence
    text: str
    name: str | None = None
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    feature_code: str | None = None  # GeoNames feature class.code, e.g. "P.PPL", "A.ADM1", "H.STM"
    precision: GeoPrecision | None = None
    relation: str | None = None  # "near", "west of", "part of" … for relative locations
    distance_km: float | None = None  # "50 km west of …"
    is_demonym: bool = False


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A time expression normalized against the article's date (TIMEX3-style value)."""

    evidence: Evidence
    text: str
    timex_type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value: "2018-12-14", "2018-11", "P5Y", "PRESENT_REF", "XXXX-WXX-1" …
    start: datetime | None = None  # first instant covered (DATE/TIME), None for durations/sets
    end: datetime | None = None  # last instant covered (exclusive)
    precision: DatePrecision | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its bounds, unit and (for counts of people/things) what is counted.

    ``low``/``high`` are inclusive bounds; None means unbounded ("at least 900" → low 900, high None).
    """

    evidence: Evidence
    text: str
    low: float | None
    high: float | None
    best: float | None = None
    unit: str | None = None  # "km", "USD", "sq mi", "minute" … None for plain counts
    counted: str | None = None  # head of the counted thing: "fighters", "civilians", "missiles"
    affiliation: str | None = None  # "ISIS", "SDF" …
    # killed | wounded | casualties | captured | executed | surrendered | displaced | remaining | deployed …
    state: str | None = None
    negated: bool = False  # "no one was killed"


@dataclass(frozen=True, slots=True)
class Claim:
    """An attributed statement: who (source), how (cue → stance), what (content), with hedges.

    Direct quotes have ``direct=True``. Unattributed assertions by the outlet have ``speaker`` None and
    ``speaker_kind`` "outlet". Anonymous sources keep their descriptor in ``speaker`` with kind "anonymous".
    """

    evidence: Evidence  # the content span
    content: str
    speaker: str | None
    speaker_kind: str  # "named" | "pronoun" | "nominal" | "anonymous" | "outlet"
    speaker_key: str | None = None  # entity_key of the resolved speaker mention, when resolved
    speaker_span: tuple[int, int] | None = None
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    stance: str = "assert"  # assert | deny | accuse | predict | estimate | confirm
    hedges: tuple[str, ...] = ()
    direct: bool = False
    said_on: datetime | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, in an ACLED-like typology, with its evidence."""

    evidence: Evidence  # the clause or noun phrase that states it
    trigger: str
    event_type: str  # ACLED event type, e.g. "Battles"
    sub_event_type: str  # e.g. "Armed clash", "Air/drone strike"
    actor1: str | None = None
    actor2: str | None = None
    location: PlaceRef | None = None
    date: TimeRef | None = None
    fatalities_low: float | None = None
    fatalities_high: float | None = None
    background: bool = False  # a past event mentioned as context
    cameo: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """Everything storyline extracts from one article; stages fill one field each."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    places: tuple[PlaceRef, ...] = ()
    times: tuple[TimeRef, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    rejections: tuple[Rejected, ...] = field(default=())
