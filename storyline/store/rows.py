"""Record ↔ row conversion: how each typed record is flattened into its table.

Row ids are content hashes of (kind, article, span, distinguishing fields) so the same fact read twice
gets the same id. ``analysis_rows`` flattens a whole analysis into database-ready values (``ArticleRows``)
so a Dask worker can do it and the driver only executes the inserts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.url import make_url

from storyline.records import (
    Article,
    ArticleAnalysis,
    ArticleLink,
    Claim,
    Event,
    Mention,
    PlaceRef,
    Quantity,
    Rejected,
    TimeRef,
    content_id,
)
from storyline.store import schema

# Columns the driver fills when it stores the article (they depend on the run and the dedupe index).
DRIVER_COLUMNS = ("duplicate_of", "run_id", "ingested_at")


def _text(value: str) -> str:
    # PostgreSQL text cannot hold NUL; U+FFFD has the same length, so every evidence offset still holds.
    return value.replace("\x00", "\ufffd")


def utc_naive(value: datetime | None) -> datetime | None:
    """Store datetimes as naive UTC so SQLite and PostgreSQL hold the same value."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def article_row(article: Article, *, duplicate_of: str | None, run_id: int | None) -> dict[str, Any]:
    return {
        "id": article.id,
        "origin": article.origin,
        "url": article.url,
        "title": article.title,
        "title_source": article.title_source,
        "outlet": article.outlet,
        "outlet_source": article.outlet_source,
        "published": utc_naive(article.published),
        "published_precision": article.published_precision.value if article.published_precision else None,
        "published_source": article.published_source,
        "language": article.language,
        "language_source": article.language_source,
        "text": _text(article.text),
        "raw_text": _text(article.raw_text),
        "segments": [[s.clean_start, s.raw_start, s.length] for s in article.segments],
        "word_count": len(article.text.split()),
        "duplicate_of": duplicate_of,
        "run_id": run_id,
        "ingested_at": datetime.now(),
    }


def link_row(link: ArticleLink) -> dict[str, Any]:
    source_span = link.source_span or (None, None)
    target_span = link.target_span or (None, None)
    return {
        "id": content_id("link", link.source_id, link.target_id, link.kind, source_span, target_span),
        "source_id": link.source_id,
        "target_id": link.target_id,
        "kind": link.kind,
        "score": link.score,
        "source_start": source_span[0],
        "source_end": source_span[1],
        "target_start": target_span[0],
        "target_end": target_span[1],
    }


def _evidence(kind: str, record: Any, text: str, *extra: object) -> dict[str, Any]:
    ev = record.evidence
    return {
        "id": content_id(kind, ev.article_id, ev.start, ev.end, *extra),
        "article_id": ev.article_id,
        "start_char": ev.start,
        "end_char": ev.end,
        "text": _text(text),
    }


def mention_row(m: Mention) -> dict[str, Any]:
    return {**_evidence("mention", m, m.text, m.label), "label": m.label, "entity_key": m.entity_key}


def place_row(p: PlaceRef) -> dict[str, Any]:
    row = _evidence("place", p, p.text, p.geonames_id, p.relation)
    row.update(
        name=p.name,
        geonames_id=p.geonames_id,
        latitude=p.latitude,
        longitude=p.longitude,
        country_code=p.country_code,
        admin1=p.admin1,
        feature_code=p.feature_code,
        precision=int(p.precision) if p.precision is not None else None,
        relation=p.relation,
        distance_km=p.distance_km,
        is_demonym=p.is_demonym,
    )
    return row


def time_row(t: TimeRef) -> dict[str, Any]:
    row = _evidence("time", t, t.text, t.value)
    row.update(
        timex_type=t.timex_type,
        value=t.value,
        start_at=utc_naive(t.start),
        end_at=utc_naive(t.end),
        precision=t.precision.value if t.precision else None,
    )
    return row


def quantity_row(q: Quantity) -> dict[str, Any]:
    row = _evidence("quantity", q, q.text, q.low, q.high, q.unit)
    row.update(
        low=q.low,
        high=q.high,
        best=q.best,
        unit=q.unit,
        counted=q.counted,
        affiliation=q.affiliation,
        state=q.state,
        negated=q.negated,
    )
    return row


def claim_row(c: Claim, said_on_default: datetime | None) -> dict[str, Any]:
    speaker_span = c.speaker_span or (None, None)
    cue_span = c.cue_span or (None, None)
    row = _evidence("claim", c, c.content, c.speaker, c.cue_span)
    row.update(
        speaker=c.speaker,
        speaker_kind=c.speaker_kind,
        speaker_key=c.speaker_key,
        speaker_start=speaker_span[0],
        speaker_end=speaker_span[1],
        cue=c.cue,
        cue_start=cue_span[0],
        cue_end=cue_span[1],
        stance=c.stance,
        hedges=list(c.hedges),
        direct=c.direct,
        said_on=utc_naive(c.said_on or said_on_default),
    )
    return row


def event_row(e: Event, article: Article) -> dict[str, Any]:
    sentence = article.text[e.evidence.start : e.evidence.end]
    row = _evidence("event", e, sentence, e.trigger, e.sub_event_type)
    date = e.date.start if e.date and e.date.start else None
    precision = e.date.precision.value if e.date and e.date.precision else None
    if date is None and not e.background and article.published:
        # No date in the sentence: fall back to the article's date with a coarser precision (issue #3.8).
        date, precision = article.published, "week"
    row.update(
        trigger=e.trigger,
        event_type=e.event_type,
        sub_event_type=e.sub_event_type,
        actor1=e.actor1,
        actor2=e.actor2,
        place_id=place_row(e.location)["id"] if e.location else None,
        time_id=time_row(e.date)["id"] if e.date else None,
        event_date=utc_naive(date),
        date_precision=precision,
        fatalities_low=e.fatalities_low,
        fatalities_high=e.fatalities_high,
        background=e.background,
        cameo=e.cameo,
    )
    return row


def record_to_json(record: Any) -> dict[str, Any]:
    """A record as plain JSON-ready data (enums → values, datetimes → ISO strings)."""

    def convert(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if hasattr(value, "value") and not isinstance(value, (int, float, str)):
            return value.value
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return convert(asdict(record))  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """One analysed article as database-ready rows: values already encoded for ``dialect`` (datetimes and
    JSON as the driver expects them), one row dict per record, table by table."""

    article_id: str
    dialect: str  # SQLAlchemy driver name the values are encoded for, e.g. "sqlite"
    article: dict[str, Any]  # without DRIVER_COLUMNS
    tables: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]
    rejections: tuple[Rejected, ...] = ()
    text: str = field(default="", repr=False)  # the cleaned text (spans of dedupe links index it)

    def without_facts(self) -> ArticleRows:
        """The article alone: an exact duplicate is stored with its link, not its facts a second time."""
        return ArticleRows(self.article_id, self.dialect, self.article, (), (), self.text)

    @property
    def n_rows(self) -> int:
        return 1 + sum(len(table_rows) for _, table_rows in self.tables)


def analysis_rows(analysis: ArticleAnalysis, dialect: str) -> ArticleRows:
    """Flatten an analysis into encoded rows (duplicates of one id within a table are dropped)."""
    article = analysis.article
    raw_row = article_row(article, duplicate_of=None, run_id=None)
    for column in DRIVER_COLUMNS:
        raw_row.pop(column)
    extracted: list[tuple[Table, list[dict[str, Any]]]] = [
        (schema.mentions, [mention_row(m) for m in analysis.mentions]),
        (schema.places, [place_row(p) for p in analysis.places]),
        (schema.times, [time_row(t) for t in analysis.times]),
        (schema.quantities, [quantity_row(q) for q in analysis.quantities]),
        (schema.claims, [claim_row(c, article.published) for c in analysis.claims]),
        (schema.events, [event_row(e, article) for e in analysis.events]),
    ]
    tables = tuple(
        (table.name, tuple(encode_rows(table, unique_rows(table_rows), dialect)))
        for table, table_rows in extracted
        if table_rows
    )
    return ArticleRows(
        article.id,
        dialect,
        encode_rows(schema.articles, [raw_row], dialect)[0],
        tables,
        analysis.rejections,
        article.text,
    )


def unique_rows(table_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop rows repeating an id within one batch (two stages may report the same span twice)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in table_rows:
        seen.setdefault(row["id"], row)
    return list(seen.values())


def encode_rows(table: Table, table_rows: list[dict[str, Any]], dialect: str) -> list[dict[str, Any]]:
    """Apply the dialect's bind processors (datetime → text on SQLite, JSON → text …) to each value."""
    processors = tuple(_processors(table.name, dialect).items())
    encoded = []
    for row in table_rows:
        # A copy (C-speed) with the few processed columns replaced: most columns have no processor.
        values = dict(row)
        for key, process in processors:
            if key in values:
                values[key] = process(values[key])
        encoded.append(values)
    return encoded


@cache
def dialect_for(name: str) -> Dialect:
    """A dialect instance built from its driver name only (no URL, so no credentials travel to workers)."""
    return make_url(f"{name}://").get_dialect()()


@cache
def _processors(table_name: str, dialect: str) -> dict[str, Callable[[Any], Any]]:
    engine_dialect = dialect_for(dialect)
    table = schema.metadata.tables[table_name]
    found: dict[str, Callable[[Any], Any]] = {}
    for column in table.columns:
        processor = column.type._cached_bind_processor(engine_dialect)  # noqa: SLF001 - SQLAlchemy's own cache
        if processor is not None:
            found[column.key] = processor
    return found
