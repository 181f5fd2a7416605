"""Render a ``Brief`` as Markdown (terminal-readable), a self-contained HTML page, or JSON.

Input: a ``Brief`` (storyline/report/brief_types.py). Output: text. HTML goes through an autoescaping Jinja2
template (templates/brief.html) with a class-based <style> block and no scripts; JSON keeps every field.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from storyline.errors import StorylineError
from storyline.report.brief_types import Brief, Citation, Dossier, to_jsonable

TEMPLATES = Path(__file__).resolve().parent / "templates"
FORMATS = ("md", "html", "json")


class BriefFormatError(StorylineError):
    """An unknown output format was asked for."""


def cite(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "undated"


def as_precise_as(value: datetime, precision: str | None) -> str:
    """A date written no finer than it is known: "in January" is 2024-01, not 2024-01-01."""
    if precision == "year":
        return value.strftime("%Y")
    if precision == "quarter":
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    if precision in ("month", "season"):
        return value.strftime("%Y-%m")
    if precision == "week":
        return value.strftime("week of %Y-%m-%d")
    return day(value)


def one_line(text: str) -> str:
    return " ".join(text.split())


def copy_note(c: Citation, brief: Brief) -> str:
    """" (copy of [n])" for an article stored as a duplicate of another cited article."""
    if not c.duplicate_of:
        return ""
    original = next((o.number for o in brief.citations if o.article_id == c.duplicate_of), None)
    return f" (copy of [{original}])" if original else f" (copy of article {c.duplicate_of})"


def citation_line(c: Citation, brief: Brief) -> str:
    title = one_line(c.title or "(untitled)")
    return (f"[{c.number}] {c.outlet or 'unknown outlet'} — {title} — {day(c.published)} — {c.url or c.origin}"
            f"{copy_note(c, brief)}")


def render(brief: Brief, fmt: str) -> str:
    if fmt == "md":
        return render_markdown(brief)
    if fmt == "html":
        return _template().render(brief=brief, cite=cite, day=day, one_line=one_line, copy_note=copy_note,
                                  coverage=coverage)
    if fmt == "json":
        return json.dumps(to_jsonable(brief), ensure_ascii=False, indent=2)
    raise BriefFormatError(f"unknown brief format {fmt!r}: choose one of {', '.join(FORMATS)}")


@lru_cache(maxsize=1)
def _template() -> Template:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html",)),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("brief.html")


def _md_cell(text: str) -> str:
    return one_line(text).replace("|", "\\|")


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def coverage(brief: Brief) -> str:
    dating = [f"{brief.n_estimated} estimated from the text" if brief.n_estimated else "",
              f"{brief.n_undated} undated" if brief.n_undated else ""]
    caveat = f" ({'; '.join(d for d in dating if d)})" if any(dating) else ""
    return (f"{plural(brief.n_articles, 'article')} from {plural(len(brief.outlets), 'named outlet')} "
            f"({plural(brief.n_origins, 'independent origin')}), {_span(brief)}{caveat}. "
            "Every sentence below is quoted from the cited reports.")


def _span(brief: Brief) -> str:
    """From the articles' own dates (report.dating): "undated" when no article states its date."""
    if brief.first_published is None:
        return "undated"
    return f"{day(brief.first_published)} → {day(brief.last_published)}"


def render_markdown(brief: Brief) -> str:
    out = [f"# {one_line(brief.headline)}", "", f"*{coverage(brief)}*", ""]
    out += ["## What happened", ""]
    out += [f"- {one_line(s.text)} {cite(s.citations)}" for s in brief.account] or ["- (no sourced sentences)"]
    if brief.key_numbers:
        out += ["", "## Key numbers", "", "| What | Value | Sources | Independent | Verdict |",
                "|---|---|---|---|---|"]
        out += [f"| {_md_cell(k.what)} | {_md_cell(k.value)} | {cite(k.citations)} | {k.independent_sources} | "
                f"{k.verdict} |" for k in brief.key_numbers]
    if brief.contested:
        out += ["", "## Contested points", ""]
        for point in brief.contested:
            out.append(f"- **{one_line(point.what)}** ({point.verdict}{': ' + point.reason if point.reason else ''})")
            out += [f"  - {one_line(p.text)} {cite(p.citations)}" for p in point.positions]
    if brief.quotes:
        out += ["", "## Notable quotes", ""]
        out += [f"- **{q.speaker or 'Unattributed'}**: {one_line(q.quote)} — {', '.join(q.outlets)}, "
                f"{day(q.date)} {cite(q.citations)}" for q in brief.quotes]
    if brief.timeline:
        out += ["", "## Timeline", ""]
        out += [f"- {as_precise_as(t.date, t.precision)} · {t.kind}: {one_line(t.text)} {cite(t.citations)}"
                for t in brief.timeline]
    if brief.dossiers:
        out += ["", "## Key actors", ""]
        for d in brief.dossiers:
            out += _markdown_dossier(d)
    out += ["", "## Sources", ""] + [f"- {citation_line(c, brief)}" for c in brief.citations]
    return "\n".join(out) + "\n"


def _markdown_dossier(d: Dossier) -> list[str]:
    lines = [f"### {d.name} ({d.label}, {d.mentions} mentions)"]
    if d.aliases:
        lines.append(f"- Also called: {', '.join(d.aliases)}")
    if d.roles:
        lines.append(f"- Described as: {'; '.join(d.roles)}")
    lines += [f"- Said: {one_line(q.quote)} — {', '.join(q.outlets)}, {day(q.date)} {cite(q.citations)}"
              for q in d.quotes]
    lines += [f"- Placed at/near {w.place} by {', '.join(w.outlets)} ({day(w.published)}): "
              f"“{w.evidence}” {cite(w.citations)}" for w in d.whereabouts]
    return lines + [""]
