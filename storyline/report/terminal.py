"""Render story summaries as a readable plain-text brief for the terminal (`storyline report`)."""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import Any

from storyline.report.brief_render import as_precise_as
from storyline.report.dating import publication_span
from storyline.report.summary import StorySummary

WIDTH = 100


def _date(value: datetime | None, precision: str | None = None) -> str:
    return as_precise_as(value, precision) if value else "undated"


def _span(summary: StorySummary) -> str:
    """The story's dates from the articles' own dates (report.dating); estimates only when nothing else."""
    span = publication_span(summary.articles)
    without_own_date = span.n_undated + span.n_estimated
    if span.first is None or span.last is None:
        known = f" (text mentions dates up to {_date(span.latest_estimate)})" if span.latest_estimate else ""
        return "undated" + known
    return f"{_date(span.first)} → {_date(span.last)}" + (f" ({without_own_date} undated)" if without_own_date else "")


def _bounds(low: float | None, high: float | None) -> str:
    def num(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"

    if low is not None and high is not None:
        return num(low) if low == high else f"{num(low)}–{num(high)}"
    if low is not None:
        return f"≥{num(low)}"
    if high is not None:
        return f"≤{num(high)}"
    return "?"


QUOTE_OPENERS = "\"“‘'"


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str) -> str:
    """Text in quotation marks, unless it already carries its own (a direct quote's span includes them)."""
    if text[:1] in QUOTE_OPENERS:
        return text
    return f"“{text}”"


def render_story(summary: StorySummary, index: int) -> str:
    lines = [
        f"Story {index}: {summary.title or '(untitled)'}",
        f"  {len(summary.articles)} articles · {len(summary.outlets)} outlets · {_span(summary)}",
    ]
    if summary.outlets:
        lines.append("  Outlets: " + ", ".join(summary.outlets))
    copies = [a for a in summary.articles if a["duplicate_of"]]
    if copies:
        lines.append(f"  Copies: {len(copies)} article(s) duplicate an earlier one and are not counted twice")
    _section(lines, "Who", [f"{name} ({label}) — {n} mentions in {k} articles"
                            for name, label, n, k in summary.entities])
    _section(lines, "Where", [
        f"{p['name']} ({p['country_code'] or '?'}{', ' + p['admin1'] if p['admin1'] else ''}) "
        f"{p['latitude']:.3f},{p['longitude']:.3f} precision {p['precision']} — {', '.join(sorted(p['sources']))}"
        for p in summary.places if p["latitude"] is not None
    ])
    # The most corroborated events, told in the order they happened.
    events = [e for e in summary.events if not e["background"]][:12]
    events.sort(key=lambda e: (e["event_date"] is None, e["event_date"] or datetime.min))
    _section(lines, "What happened", [_event_line(e) for e in events])
    _section(lines, "How many", [
        " ".join(filter(None, (_bounds(q["low"], q["high"]), q["counted"], q["state"])))
        + f"{' (' + q['affiliation'] + ')' if q['affiliation'] else ''} — “{_clip(q['text'], 60)}”, {_sources(q)}"
        for q in summary.numbers
    ][:12])
    _section(lines, "Who said what", [
        f"{q['speaker_name'] or q['speaker'] or 'unattributed'}: {quoted(_clip(q['text']))} ({_sources(q)})"
        for q in summary.quotes
    ][:10])
    shared = [link for link in summary.links if link["kind"] != "cites"]
    _section(lines, "Copies and shared passages", [
        f"{link['source']} ← {link['target']}: {link['kind'].replace('_', ' ')} ({link['score']:.2f})"
        for link in shared
    ][:8])
    return "\n".join(lines)


def _event_line(event: dict[str, Any]) -> str:
    fatalities = ""
    if event["fatalities_low"] is not None or event["fatalities_high"] is not None:
        fatalities = f", fatalities {_bounds(event['fatalities_low'], event['fatalities_high'])}"
    actors = " vs ".join(a for a in (event["actor1"], event["actor2"]) if a)
    return (f"{_date(event['event_date'], event['date_precision'])} {event['sub_event_type']}"
            f"{' — ' + actors if actors else ''}{fatalities}: “{_clip(event['text'], 110)}” ({_sources(event)})")


def _sources(item: dict[str, Any]) -> str:
    return ", ".join(item.get("sources") or [item["source"]])


def _section(lines: list[str], heading: str, items: list[str]) -> None:
    if not items:
        return
    lines.append(f"  {heading}:")
    for item in items:
        lines.extend(textwrap.wrap(item, WIDTH, initial_indent="    - ", subsequent_indent="      "))


def render_report(summaries: list[StorySummary]) -> str:
    if not summaries:
        return "No stories in this database yet: run `storyline run INPUT --db PATH` first."
    return "\n\n".join(render_story(s, i) for i, s in enumerate(summaries, start=1))
