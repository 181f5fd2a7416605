"""`storyline eval timex PATH`: TempEval-3 scoring of the times stage on TimeML ``.tml`` files.

Input: a folder (searched recursively) or one ``.tml`` file. Gold = every TIMEX3 inside <TEXT>, with
offsets into the tag-stripped, entity-unescaped TEXT content; the DCT (functionInDocument
"CREATION_TIME") anchors the stage and is never scored. Output: strict/relaxed span P/R/F1, value and
type accuracy over relaxed-matched pairs (plus attribute F1), n, docs_per_s.

Value normalization before comparison (documented choice): values are compared as strings after
upper-casing, dropping a trailing "T00:00" and ":00" minutes, padding ISO weeks (W7 → W07), dropping trailing
unknown parts (1949-XX → 1949, 196X → 196), and writing decades/centuries as durations in years
(P1DE → P10Y, P1CE → P100Y, P1E → P10Y); everything else (PRESENT_REF, 2013-W11, P3M, XXXX-WXX-5) must
match exactly.
"""

from __future__ import annotations

import html
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.evaluate.metrics import prf_dict
from storyline.nlp.times import extract_times
from storyline.pipeline import Context
from storyline.records import Article, ArticleAnalysis

DEFAULT_PATH = Path("/work/shared/benchmarks/timex/TBAQ-cleaned")
TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
VALUE_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^P(\d+)DE$"), "decade"),
    (re.compile(r"^P(\d+)E$"), "decade"),
    (re.compile(r"^P(\d+)CE$"), "century"),
)


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    timex_type: str
    value: str


@dataclass(frozen=True, slots=True)
class TimeMLDocument:
    name: str
    text: str
    dct: datetime | None
    timexes: tuple[GoldTimex, ...]


def _dct(markup: str) -> datetime | None:
    for match in re.finditer(r"<TIMEX3([^>]*)>", markup):
        attributes = dict(ATTRIBUTE.findall(match.group(1)))
        if attributes.get("functionInDocument") == "CREATION_TIME":
            day = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", attributes.get("value", ""))
            return datetime(int(day[1]), int(day[2]), int(day[3])) if day else None
    return None


def parse_timeml(path: Path) -> TimeMLDocument:
    """TEXT content with tags stripped and entities unescaped, and the TIMEX3 spans into it."""
    markup = path.read_text(encoding="utf-8")
    opening, closing = markup.find("<TEXT>"), markup.rfind("</TEXT>")
    if opening < 0 or closing < 0:
        raise ConfigError(f"{path}: no <TEXT> element")
    body = markup[opening + len("<TEXT>") : closing]
    pieces: list[str] = []
    length = 0
    open_timexes: list[tuple[int, dict[str, str]]] = []
    timexes: list[GoldTimex] = []
    position = 0
    for tag in TAG.finditer(body):
        chunk = ENTITY.sub(lambda m: html.unescape(m.group()), body[position : tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        position = tag.end()
        if tag.group(2) != "TIMEX3":
            continue
        if tag.group(1):
            if open_timexes:
                start, attributes = open_timexes.pop()
                timexes.append(GoldTimex(start, length, attributes.get("type", ""), attributes.get("value", "")))
        elif not tag.group(4):
            open_timexes.append((length, dict(ATTRIBUTE.findall(tag.group(3)))))
    pieces.append(ENTITY.sub(lambda m: html.unescape(m.group()), body[position:]))
    return TimeMLDocument(path.name, "".join(pieces), _dct(markup[:opening]), tuple(timexes))


def normalize_value(value: str) -> str:
    value = value.strip().upper()
    value = re.sub(r"T00:00$", "", value)
    value = re.sub(r"(T\d\d):00$", r"\1", value)  # T17:00 says no more than T17
    value = re.sub(r"-W0?(\d)(?=\b|-)", r"-W0\1", value)  # 2000-W7 is 2000-W07
    value = re.sub(r"^(\d{4})(?:-XX)+$", r"\1", value)  # 1949-XX says no more than 1949
    value = re.sub(r"^(\d{3})X$", r"\1", value)  # 196X is the decade 196
    for pattern, kind in VALUE_REWRITES:
        match = pattern.match(value)
        if match:
            return f"P{int(match[1]) * (10 if kind == 'decade' else 100)}Y"
    return value


@dataclass
class Tally:
    n_gold: int = 0
    n_system: int = 0
    strict_system: int = 0
    strict_gold: int = 0
    relaxed_system: int = 0
    relaxed_gold: int = 0
    value_correct: int = 0
    type_correct: int = 0

    def add(self, gold: tuple[GoldTimex, ...], system: list[tuple[int, int, str, str]]) -> None:
        self.n_gold += len(gold)
        self.n_system += len(system)
        spans = {(g.start, g.end) for g in gold}
        self.strict_system += sum((s, e) in spans for s, e, _, _ in system)
        system_spans = {(s, e) for s, e, _, _ in system}
        self.strict_gold += sum((g.start, g.end) in system_spans for g in gold)
        self.relaxed_system += sum(any(s < g.end and g.start < e for g in gold) for s, e, _, _ in system)
        for g in gold:
            overlapping = [x for x in system if x[0] < g.end and g.start < x[1]]
            if not overlapping:
                continue
            self.relaxed_gold += 1
            best = max(overlapping, key=lambda x: min(x[1], g.end) - max(x[0], g.start))
            self.value_correct += normalize_value(best[3]) == normalize_value(g.value)
            self.type_correct += best[2] == g.timex_type

    def metrics(self) -> dict[str, Any]:
        relaxed = self.relaxed_gold or 1
        relaxed_f1 = prf_dict(self.relaxed_system, self.n_system, self.relaxed_gold, self.n_gold)["f1"]
        return {
            "strict": prf_dict(self.strict_system, self.n_system, self.strict_gold, self.n_gold),
            "relaxed": prf_dict(self.relaxed_system, self.n_system, self.relaxed_gold, self.n_gold),
            "value_accuracy": round(self.value_correct / relaxed, 4),
            "type_accuracy": round(self.type_correct / relaxed, 4),
            "value_f1": round(relaxed_f1 * self.value_correct / relaxed, 4),
            "type_f1": round(relaxed_f1 * self.type_correct / relaxed, 4),
            "gold_timexes": self.n_gold,
            "system_timexes": self.n_system,
        }


def tml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ConfigError(f"{path}: no such file or folder")
    return sorted(path.rglob("*.tml"))


def evaluate(path: Path | None, *, limit: int | None = None, **options: Any) -> dict[str, Any]:
    """Score extract_times on every .tml file under ``path`` (TempEval-3 metrics)."""
    files = tml_files(Path(path) if path else DEFAULT_PATH)[: limit if limit else None]
    ctx = Context()
    nlp = ctx.nlp
    tally = Tally()
    began = time.perf_counter()
    for number, file in enumerate(files, 1):
        document = parse_timeml(file)
        doc = nlp(document.text)
        article = Article.from_text(document.text, published=document.dct, origin=str(file))
        refs = extract_times(doc, ArticleAnalysis(article=article), ctx)
        tally.add(document.timexes, [(r.evidence.start, r.evidence.end, r.timex_type, r.value) for r in refs])
        if number % 25 == 0:
            print(f"timex: {number}/{len(files)} documents", file=sys.stderr)
    elapsed = time.perf_counter() - began
    return {
        "task": "timex",
        **tally.metrics(),
        "n": len(files),
        "docs_per_s": round(len(files) / elapsed, 2) if elapsed else None,
    }
