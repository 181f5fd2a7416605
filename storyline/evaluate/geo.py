"""`storyline eval geo PATH`: geotagging and geocoding scores of the places.v1 stage.

Input: a GeoWebNews folder (``N.txt``, brat ``N.ann``, ``geocoding_gold.tsv``) or an LGL / TR-News /
GeoVirus XML file; output: span P/R/F1 (exact match) and geocoding acc@161, AUC, mean/median km, both on
the toponyms the system found and, always (it needs no spaCy), with the gold spans given to the resolver.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.nlp.gazetteer import distance_km
from storyline.nlp.places import (
    PlaceResolver,
    Toponym,
    default_resolver,
    demonym_query,
    demonym_target,
    resolve_toponyms,
)
from storyline.records import Article, PlaceRef

UNRESOLVED_KM = 20039.0  # half the Earth's circumference: the error of a toponym left unresolved
ACCURACY_KM = 161.0
# GeoWebNews types that are not toponyms for geotagging (as in the dataset authors' scorer).
NOT_TOPONYM_TYPES = frozenset({"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"})


@dataclass(frozen=True, slots=True)
class GoldPoint:
    start: int
    end: int
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class GoldDoc:
    doc_id: str
    text: str
    tagged: frozenset[tuple[int, int]] | None  # every gold toponym span; None if not fully annotated
    points: tuple[GoldPoint, ...]


def read_ann_spans(path: Path) -> frozenset[tuple[int, int]]:
    spans = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        fields = line.split("\t")
        kind, _, offsets = fields[1].partition(" ")
        if kind in NOT_TOPONYM_TYPES:
            continue
        numbers = offsets.replace(";", " ").split()
        spans.add((int(numbers[0]), int(numbers[-1])))
    return frozenset(spans)


def read_geowebnews(folder: Path) -> Iterator[GoldDoc]:
    gold_path = folder / "geocoding_gold.tsv"
    rows = gold_path.read_text(encoding="utf-8").splitlines()[1:]
    for row in rows:
        doc_id, _, joined = row.partition("\t")
        points = []
        for item in filter(None, joined.split("||")):
            _, _, lat, lon, start, end = item.split(",,")
            points.append(GoldPoint(int(start), int(end), float(lat), float(lon)))
        text = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
        yield GoldDoc(doc_id, text, read_ann_spans(folder / f"{doc_id}.ann"), tuple(points))


def aligned(text: str, name: str, start: int, end: int, slack: int = 20) -> tuple[int, int]:
    """GeoVirus offsets are sometimes shifted by a character or two: snap to the nearest exact name."""
    if not name or text[start:end] == name:
        return start, end
    window_start = max(0, start - slack)
    found = [
        window_start + i
        for i in range(len(text[window_start : end + slack]))
        if text.startswith(name, window_start + i)
    ]
    if not found:
        return start, end
    best = min(found, key=lambda f: abs(f - start))
    return best, best + len(name)


def read_xml(path: Path) -> Iterator[GoldDoc]:
    """LGL / TR-News (``toponyms/toponym`` + ``gaztag``) or GeoVirus (``locations/location``)."""
    root = ET.parse(path).getroot()  # noqa: S314 - local benchmark file
    for index, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        points, spans = [], set()
        for node in [*article.iter("toponym"), *article.iter("location")]:
            start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
            start, end = aligned(text, node.findtext("phrase") or node.findtext("name") or "", start, end)
            spans.add((start, end))
            gaztag = node.find("gaztag")
            holder = gaztag if gaztag is not None else node
            lat, lon = holder.findtext("lat"), holder.findtext("lon")
            if lat and lon:
                points.append(GoldPoint(start, end, float(lat), float(lon)))
        complete = article.find("toponyms") is not None  # GeoVirus annotates only some toponyms
        yield GoldDoc(article.get("docid") or str(index), text, frozenset(spans) if complete else None, tuple(points))


def geocoding_scores(errors: Sequence[float]) -> dict[str, Any]:
    if not errors:
        return {"acc161": None, "auc": None, "mean_km": None, "median_km": None, "n": 0}
    logs = sorted(math.log(e + 1) for e in errors)
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
    scale = math.log(UNRESOLVED_KM)
    auc = area / (scale * (len(logs) - 1)) if len(logs) > 1 else logs[0] / scale
    return {
        "acc161": round(sum(e < ACCURACY_KM for e in errors) / len(errors), 4),
        "auc": round(auc, 4),
        "mean_km": round(statistics.fmean(errors), 1),
        "median_km": round(statistics.median(errors), 1),
        "n": len(errors),
    }


def error_km(ref: PlaceRef | None, point: GoldPoint) -> float:
    if ref is None or ref.latitude is None or ref.longitude is None:
        return UNRESOLVED_KM
    return distance_km(ref.latitude, ref.longitude, point.latitude, point.longitude)


def overlapping(refs: Sequence[PlaceRef], start: int, end: int) -> PlaceRef | None:
    hits = [r for r in refs if r.evidence.start < end and start < r.evidence.end]
    if not hits:
        return None
    return min(hits, key=lambda r: abs(r.evidence.start - start) + abs(r.evidence.end - end))


def gold_toponym_refs(doc: GoldDoc, resolver: PlaceResolver) -> tuple[PlaceRef, ...]:
    """The resolver alone, given the gold spans (the rest of the gold spans are its context)."""
    toponyms = []
    for point in sorted(doc.points, key=lambda p: p.start):
        surface = doc.text[point.start : point.end]
        target = demonym_target(resolver, surface)
        query = demonym_query(resolver, target) if target else surface
        toponyms.append(Toponym(point.start, point.end, surface, query, target is not None))
    return resolve_toponyms(doc.text, doc.doc_id, toponyms, resolver)


@dataclass(frozen=True, slots=True)
class SystemRun:
    refs: list[tuple[PlaceRef, ...]]
    spacy_seconds: float
    stage_seconds: float  # entities.v1 + places.v1 on the parsed docs


def system_refs(docs: Sequence[GoldDoc]) -> SystemRun:
    """The pipeline's own code: one spaCy pass per document, then the entities and places stages."""
    from storyline.pipeline import Context, run_stages, stage_named

    ctx = Context()
    nlp = ctx.nlp  # loaded before timing: speed is per document, not per process start
    stages = [stage_named("entities"), stage_named("places")]
    functions = [(stage, stage.load()) for stage in stages]
    articles = [Article.from_text(d.text) for d in docs]
    started = time.perf_counter()
    parsed = list(nlp.pipe((a.text for a in articles), batch_size=16))
    spacy_seconds = time.perf_counter() - started
    found = []
    started = time.perf_counter()
    for count, (doc, article) in enumerate(zip(parsed, articles, strict=True), start=1):
        analysis = run_stages(doc, article, functions, ctx)
        for rejected in analysis.rejections:
            print(f"doc {count}: {rejected.stage} failed: {rejected.reason}", file=sys.stderr)
        found.append(analysis.places)
    return SystemRun(found, spacy_seconds, time.perf_counter() - started)


def tagging_scores(docs: Sequence[GoldDoc], refs: Sequence[tuple[PlaceRef, ...]]) -> dict[str, Any] | None:
    pairs = [
        (d.tagged, {(r.evidence.start, r.evidence.end) for r in rs})
        for d, rs in zip(docs, refs, strict=True)
        if d.tagged is not None
    ]
    if not pairs:
        return None  # GeoVirus-like data: not every toponym is annotated, so precision means nothing
    true_pos = sum(len(g & s) for g, s in pairs)
    predicted, gold = sum(len(s) for _, s in pairs), sum(len(g) for g, _ in pairs)
    precision = true_pos / predicted if predicted else 0.0
    recall = true_pos / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def load_docs(path: Path) -> list[GoldDoc]:
    if path.is_dir() and (path / "geocoding_gold.tsv").exists():
        return list(read_geowebnews(path))
    if path.is_file() and path.suffix.lower() == ".xml":
        return list(read_xml(path))
    raise ConfigError(f"{path}: expected a GeoWebNews folder (with geocoding_gold.tsv) or an XML file")


def evaluate(
    path: Path | None, *, limit: int | None = None, gold_toponyms: bool = False, **options: Any
) -> dict[str, Any]:
    """Score places.v1; ``gold_toponyms`` only skips the spaCy run (gold-span scores are always given).

    ``docs_per_s`` is spaCy + entities.v1 + places.v1 per document (model load excluded);
    ``stages_docs_per_s`` the two stages alone, ``spacy_docs_per_s`` bare spaCy on the same texts.
    """
    if path is None:
        raise ConfigError("eval geo needs a PATH (GeoWebNews folder or LGL/GeoVirus XML file)")
    docs = load_docs(Path(path))[:limit] if limit else load_docs(Path(path))
    resolver = default_resolver()
    started = time.perf_counter()
    gold_errors = [
        error_km(overlapping(refs, p.start, p.end), p)
        for d in docs
        for refs in [gold_toponym_refs(d, resolver)]
        for p in d.points
    ]
    result: dict[str, Any] = {"n_docs": len(docs), "geocoding_gold_toponyms": geocoding_scores(gold_errors)}
    if gold_toponyms:
        result["docs_per_s"] = round(len(docs) / max(time.perf_counter() - started, 1e-9), 1)
        return result
    run = system_refs(docs)
    refs = run.refs
    errors = [
        error_km(hit, p)
        for d, rs in zip(docs, refs, strict=True)
        for p in d.points
        if (hit := overlapping(rs, p.start, p.end)) is not None
    ]
    result["geotagging"] = tagging_scores(docs, refs)
    result["geocoding"] = geocoding_scores(errors)
    result["docs_per_s"] = round(len(docs) / (run.spacy_seconds + run.stage_seconds), 1)
    result["stages_docs_per_s"] = round(len(docs) / run.stage_seconds, 1)
    result["spacy_docs_per_s"] = round(len(docs) / run.spacy_seconds, 1)
    if result["geotagging"] is None:
        result["note"] = "gold annotates only some toponyms: geocoding scores only"
    return result
