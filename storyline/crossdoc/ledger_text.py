"""Text and JSON views of the claim ledger, for `storyline ledger`.

Input: ``ClaimGroup``s from ``storyline.crossdoc.ledger.build_ledger``. Output: one text block per group
(verdict badge, each value with outlet/date/speaker/hedges, independent-source count) or a JSON list.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.crossdoc.ledger import ClaimGroup, LedgerMember

VERDICT_BADGES = {"agree": "AGREE", "refine": "REFINE", "conflict": "CONFLICT", "deny": "DENIED",
                  "superseded": "UPDATED"}


def format_value(low: float | None, high: float | None, unit: str | None) -> str:
    def number(value: float) -> str:
        return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"
    suffix = f" {unit}" if unit else ""
    if low is None and high is None:
        return "—"
    if high is None:
        return f"≥{number(low or 0)}{suffix}"
    if low is None:
        return f"≤{number(high)}{suffix}"
    return f"{number(low)}{suffix}" if abs(high - low) < 1e-9 else f"{number(low)}–{number(high)}{suffix}"


def render_member(member: LedgerMember, kind: str) -> str:
    text = " ".join(member.text.split())  # one line per value, even for multi-paragraph quotes
    value = text[:70] if kind == "statement" else format_value(member.low, member.high, member.unit)
    date = member.published.date().isoformat() if member.published else "undated"
    outlet = member.outlet or f"article {member.article_id[:8]}"
    if member.outlet_kind:
        outlet += f" ({member.outlet_kind})"
    parts = [value, outlet, date]
    if member.speaker:
        parts.append(f"said by {member.speaker}")
    if member.stance not in ("assert",):
        parts.append(member.stance)
    if member.hedges:
        parts.append("hedged: " + ", ".join(member.hedges))
    return "    - " + " · ".join(parts)


def render_ledger(groups: list[ClaimGroup], fmt: str = "text") -> str:
    """The ledger as text (one block per group) or JSON (a list of groups)."""
    if fmt == "json":
        return json.dumps([asdict(g) for g in groups], default=json_value, ensure_ascii=False, indent=1)
    if fmt != "text":
        raise ValueError(f"unknown ledger format {fmt!r}: use 'text' or 'json'")
    if not groups:
        return "No fact is reported by two or more articles."
    blocks = []
    for group in groups:
        sources = "source" if group.independent_sources == 1 else "sources"
        articles = "article" if group.n_articles == 1 else "articles"
        lines = [f"[{VERDICT_BADGES[group.verdict]}] {group.what} ({group.kind}) — {group.reason}"]
        lines += [render_member(m, group.kind) for m in history_members(group)]
        lines.append(f"    {group.independent_sources} independent {sources} ({group.n_articles} {articles})")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def history_members(group: ClaimGroup) -> list[LedgerMember]:
    return sorted(group.members, key=lambda m: (m.published is None, m.published or datetime.min))


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
