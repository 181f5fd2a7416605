"""``storyline eval attribution PATH``: score the claims stage on PolNeAR-format brat folders.

Input: a folder with ``text/*.txt`` and ``attributions/*.ann`` (or both side by side); when an article
has several ``.ann`` files (several annotators) the first in sorted order is gold. Output: span F1 per
role (Source, Cue, Content), exact and overlap, and attribution-level F1, as one dict.

Definitions. Exact: same (start, end) after trimming whitespace. Overlap: any shared character, with
one-to-one matching (largest overlaps first). Attribution-level (as PARC/PolNeAR relaxed matching): a
predicted attribution matches a gold one when their contents overlap and their sources overlap (or both
have no source), one-to-one. The outlet's own unattributed claims are not scored (PolNeAR has none).
Discontinuous gold spans (``s e;s e``) are scored by their extent; ``Content2`` counts as content.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import ConfigError
from storyline.evaluate.metrics import precision_recall_f1
from storyline.records import Article, ArticleAnalysis, Claim

ROLES = ("source", "cue", "content")
GOLD_ROLE_BY_LABEL = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}
ATTRIBUTION_LABELS = ("Attribution", "Attribution-no-source")
Span = tuple[int, int]


@dataclass(slots=True)
class GoldAttribution:
    source: Span | None = None
    cue: Span | None = None
    contents: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class RoleCounts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap: int = 0

    def scores(self) -> dict[str, float]:
        ep, er, ef = precision_recall_f1(self.exact, self.predicted, self.exact, self.gold)
        op, orr, of = precision_recall_f1(self.overlap, self.predicted, self.overlap, self.gold)
        return {
            "exact_precision": round(ep, 4),
            "exact_recall": round(er, 4),
            "exact_f1": round(ef, 4),
            "overlap_precision": round(op, 4),
            "overlap_recall": round(orr, 4),
            "overlap_f1": round(of, 4),
            "gold": self.gold,
            "predicted": self.predicted,
        }


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def read_ann(ann: Path, text: str) -> list[GoldAttribution]:
    """Gold attributions of one brat file: ``T`` spans joined by ``E`` relations."""
    spans: dict[str, Span] = {}
    attributions: list[GoldAttribution] = []
    relations: list[list[str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label_and_offsets = parts[1].split(" ", 1)
            if len(label_and_offsets) != 2:
                continue
            offsets = [tuple(int(x) for x in piece.split()) for piece in label_and_offsets[1].split(";")]
            spans[parts[0]] = _trimmed(text, min(o[0] for o in offsets), max(o[1] for o in offsets))
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(parts[1].split())
    for relation in relations:
        kind = relation[0].split(":")[0]
        if kind not in ATTRIBUTION_LABELS:
            continue
        gold = GoldAttribution()
        for argument in relation[1:]:
            label, _, ref = argument.partition(":")
            role = GOLD_ROLE_BY_LABEL.get(label.rstrip("0123456789") if label != "Content2" else label)
            if role is None or ref not in spans:
                continue
            if role == "content":
                gold.contents.append(spans[ref])
            else:
                setattr(gold, role, spans[ref])
        if gold.contents:
            attributions.append(gold)
    return attributions


def polnear_documents(path: Path) -> Iterator[tuple[Path, Path]]:
    """(text file, first annotation file) pairs under a PolNeAR split folder."""
    text_dir = path / "text" if (path / "text").is_dir() else path
    ann_dir = path / "attributions" if (path / "attributions").is_dir() else path
    for text_file in sorted(text_dir.glob("*.txt")):
        anns = sorted(ann_dir.glob(f"{text_file.stem}*.ann"))
        if anns:
            yield text_file, anns[0]


def _overlap_matches(gold: list[Span], predicted: list[Span]) -> int:
    pairs = sorted(
        (
            (min(g[1], p[1]) - max(g[0], p[0]), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(predicted)
            if g[0] < p[1] and p[0] < g[1]
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
    return len(used_gold)


def _score_role(counts: RoleCounts, gold: set[Span], predicted: set[Span]) -> None:
    counts.gold += len(gold)
    counts.predicted += len(predicted)
    counts.exact += len(gold & predicted)
    counts.overlap += _overlap_matches(sorted(gold), sorted(predicted))


def _overlaps(a: Span | None, b: Span | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


def _attribution_matches(gold: list[GoldAttribution], claims: list[Claim]) -> int:
    used: set[int] = set()
    for claim in claims:
        content = (claim.evidence.start, claim.evidence.end)
        for index, item in enumerate(gold):
            if index in used:
                continue
            if any(_overlaps(content, c) for c in item.contents) and _overlaps(claim.speaker_span, item.source):
                used.add(index)
                break
    return len(used)


def _analyses(texts: list[str]) -> Iterator[ArticleAnalysis]:
    """Run the same stages the pipeline runs (entities, when that stage exists, then claims)."""
    from storyline.pipeline import Context, analyze_articles, stage_named

    ctx = Context()
    articles = [Article.from_text(t) for t in texts]
    if importlib.util.find_spec("storyline.nlp.entities") is not None:
        yield from analyze_articles(articles, ctx, stages=[stage_named("entities"), stage_named("claims")])
        return
    from storyline.nlp.quotes import extract_claims

    print("attribution: storyline.nlp.entities missing; scoring claims on spaCy entities", file=sys.stderr)
    for doc, article in ctx.nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16):
        analysis = ArticleAnalysis(article=article)
        yield ArticleAnalysis(article=article, claims=extract_claims(doc, analysis, ctx))


def evaluate(path: Path | None, *, limit: int | None = None, **_options: Any) -> dict[str, Any]:
    """Score the claims stage on a PolNeAR split folder; see the module docstring for definitions."""
    if path is None or not Path(path).is_dir():
        raise ConfigError(f"attribution evaluation needs a PolNeAR folder (text/ + attributions/), got {path}")
    documents = list(polnear_documents(Path(path)))[: limit if limit else None]
    if not documents:
        raise ConfigError(f"no PolNeAR .txt/.ann pairs under {path}")
    texts = [t.read_text(encoding="utf-8") for t, _ in documents]
    golds = [read_ann(ann, text) for (_, ann), text in zip(documents, texts, strict=True)]
    counts = {role: RoleCounts() for role in ROLES}
    attribution = RoleCounts()
    started = time.perf_counter()
    for analysis, gold in zip(_analyses(texts), golds, strict=True):
        claims = [c for c in analysis.claims if c.speaker_kind != "outlet"]
        _score_role(
            counts["source"],
            {g.source for g in gold if g.source},
            {c.speaker_span for c in claims if c.speaker_span},
        )
        _score_role(counts["cue"], {g.cue for g in gold if g.cue}, {c.cue_span for c in claims if c.cue_span})
        _score_role(
            counts["content"],
            {c for g in gold for c in g.contents},
            {(c.evidence.start, c.evidence.end) for c in claims},
        )
        attribution.gold += len(gold)
        attribution.predicted += len(claims)
        attribution.overlap += _attribution_matches(gold, claims)
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {role: counts[role].scores() for role in ROLES}
    scored = attribution.scores()
    result["attribution_f1"] = scored["overlap_f1"]
    result["attribution"] = {
        "precision": scored["overlap_precision"],
        "recall": scored["overlap_recall"],
        "gold": attribution.gold,
        "predicted": attribution.predicted,
    }
    result["n_docs"] = len(documents)
    result["n"] = len(documents)
    result["docs_per_s"] = round(len(documents) / elapsed, 2) if elapsed else None
    return result
