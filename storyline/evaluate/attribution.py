"""``storyline eval attribution PATH``: score the claims stage on PolNeAR-format brat folders.

Input: a folder with ``text/*.txt`` and ``attributions/*.ann`` (or both side by side); when an article
has several ``.ann`` files (several annotators) the first in sorted order is gold. Output: span F1 per
role (Source, Cue, Content), exact and overlap, and attribution-level F1, as one dict.

Definitions. Exact: same (start, end) after trimming whitespace. Overlap: any shared character, with
one-to-one matching (largest overlaps first). Attribution-level (as PARC/PolNeAR relaxed matching): a
predicted attribution matches a gold one when their contents overlap and their sources overlap (or both
have no source), one-to-one. The outlet's own unattributed claims are not scored (PolNeAR has none).
Discontinuous gold spans (``s e;s e``) are scored by their extent; ``Content2`` counts as content.

Human ceiling. Where an article has several annotators' files, ``annotator_agreement`` scores every pair
of annotators against each other with the same measures (exact F1 is symmetric; overlap and attribution F1
take one as gold), and the system against each of them on the same articles: how far the system is from
people, not only from one annotator.
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
    for text_file, anns in _annotated_texts(path):
        yield text_file, anns[0]


def _annotated_texts(path: Path) -> Iterator[tuple[Path, list[Path]]]:
    """(text file, every annotator's file in sorted order) under a PolNeAR split folder."""
    text_dir = path / "text" if (path / "text").is_dir() else path
    ann_dir = path / "attributions" if (path / "attributions").is_dir() else path
    for text_file in sorted(text_dir.glob("*.txt")):
        anns = sorted(ann_dir.glob(f"{text_file.stem}*.ann"))
        if anns:
            yield text_file, anns


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


def _attribution_matches(gold: list[GoldAttribution], predicted: list[GoldAttribution]) -> int:
    used: set[int] = set()
    for guess in predicted:
        for index, item in enumerate(gold):
            if index in used:
                continue
            contents_meet = any(_overlaps(c, g) for c in guess.contents for g in item.contents)
            if contents_meet and _overlaps(guess.source, item.source):
                used.add(index)
                break
    return len(used)


def _as_attribution(claim: Claim) -> GoldAttribution:
    return GoldAttribution(claim.speaker_span, claim.cue_span, [(claim.evidence.start, claim.evidence.end)])


@dataclass(slots=True)
class Scoreboard:
    """Role and attribution counts summed over articles (one annotation scored against another)."""

    roles: dict[str, RoleCounts] = field(default_factory=lambda: {role: RoleCounts() for role in ROLES})
    attribution: RoleCounts = field(default_factory=RoleCounts)

    def add(self, gold: list[GoldAttribution], predicted: list[GoldAttribution]) -> None:
        sources = {p.source for p in predicted if p.source}
        _score_role(self.roles["source"], {g.source for g in gold if g.source}, sources)
        _score_role(self.roles["cue"], {g.cue for g in gold if g.cue}, {p.cue for p in predicted if p.cue})
        _score_role(
            self.roles["content"], {c for g in gold for c in g.contents}, {c for p in predicted for c in p.contents}
        )
        self.attribution.gold += len(gold)
        self.attribution.predicted += len(predicted)
        self.attribution.overlap += _attribution_matches(gold, predicted)

    def headline(self) -> dict[str, float]:
        return {
            "source_exact_f1": self.roles["source"].scores()["exact_f1"],
            "content_overlap_f1": self.roles["content"].scores()["overlap_f1"],
            "attribution_f1": self.attribution.scores()["overlap_f1"],
        }


def _annotator_agreement(
    annotations: list[list[list[GoldAttribution]]], system: list[list[GoldAttribution]]
) -> dict[str, Any]:
    """Every pair of annotators, and the system against each annotator, on the articles several annotated."""
    between, versus = Scoreboard(), Scoreboard()
    several = [(people, ours) for people, ours in zip(annotations, system, strict=True) if len(people) > 1]
    for people, ours in several:
        for i, first in enumerate(people):
            versus.add(first, ours)
            for second in people[i + 1 :]:
                between.add(first, second)
    return {
        "n_docs": len(several),
        "annotators": sum(len(people) for people, _ in several),
        "between_annotators": between.headline(),
        "system_vs_annotators": versus.headline(),
    }


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
    documents = list(_annotated_texts(Path(path)))[: limit if limit else None]
    if not documents:
        raise ConfigError(f"no PolNeAR .txt/.ann pairs under {path}")
    texts = [t.read_text(encoding="utf-8") for t, _ in documents]
    annotations = [[read_ann(ann, text) for ann in anns] for (_, anns), text in zip(documents, texts, strict=True)]
    board = Scoreboard()
    predictions: list[list[GoldAttribution]] = []
    started = time.perf_counter()
    for analysis, people in zip(_analyses(texts), annotations, strict=True):
        predicted = [_as_attribution(c) for c in analysis.claims if c.speaker_kind != "outlet"]
        board.add(people[0], predicted)  # the first annotator is gold
        predictions.append(predicted)
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {role: board.roles[role].scores() for role in ROLES}
    scored = board.attribution.scores()
    result["attribution_f1"] = scored["overlap_f1"]
    result["attribution"] = {
        "precision": scored["overlap_precision"],
        "recall": scored["overlap_recall"],
        "gold": board.attribution.gold,
        "predicted": board.attribution.predicted,
    }
    result["annotator_agreement"] = _annotator_agreement(annotations, predictions)
    result["n_docs"] = len(documents)
    result["n"] = len(documents)
    result["docs_per_s"] = round(len(documents) / elapsed, 2) if elapsed else None
    return result
