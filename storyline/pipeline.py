"""The per-article runner: one spaCy pass per article, then each extraction stage in order.

A stage is a named, versioned callable ``(doc, analysis, ctx) -> tuple[record, ...]`` that fills one
field of ``ArticleAnalysis``. Stages are declared in ``STAGES`` with what they require (fields filled
by earlier stages) and are loaded lazily by import path, so a stage's heavy resources load only when it
runs. A stage that raises on one article is recorded as a ``Rejected`` row for that article and stage;
the article keeps what the other stages found. CPU time per article of spaCy and of every stage goes
to ``storyline.stage_clock.PROCESS_CLOCK`` (what ``storyline bench`` reports as each stage's share).
"""

from __future__ import annotations

import importlib
import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from storyline.errors import ConfigError
from storyline.records import Article, ArticleAnalysis, Rejected
from storyline.stage_clock import PROCESS_CLOCK

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

StageFunction = Callable[["Doc", ArticleAnalysis, "Context"], tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Stage:
    """One extraction stage: fills ``analysis.<assigns>`` and needs ``requires`` filled before it."""

    name: str  # versioned, e.g. "places.v1"
    assigns: str
    requires: tuple[str, ...]
    target: str  # "module:function", imported on first use

    def load(self) -> StageFunction:
        module_name, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module_name), attr)  # type: ignore[no-any-return]


# Order matters: each stage may use what the stages before it assigned.
STAGES: tuple[Stage, ...] = (
    Stage("entities.v1", "mentions", (), "storyline.nlp.entities:extract_mentions"),
    Stage("places.v1", "places", ("mentions",), "storyline.nlp.places:extract_places"),
    Stage("times.v1", "times", (), "storyline.nlp.times:extract_times"),
    Stage("quantities.v1", "quantities", (), "storyline.nlp.counts:extract_quantities"),
    Stage("claims.v1", "claims", ("mentions",), "storyline.nlp.quotes:extract_claims"),
    Stage(
        "events.v1",
        "events",
        ("mentions", "places", "times", "quantities", "claims"),
        "storyline.nlp.events:extract_events",
    ),
)


def stage_named(name: str) -> Stage:
    for stage in STAGES:
        if stage.name == name or stage.name.split(".")[0] == name:
            return stage
    known = ", ".join(s.name for s in STAGES)
    raise ConfigError(f"unknown stage {name!r}; available stages: {known}")


def check_stages(stages: Iterable[Stage]) -> tuple[Stage, ...]:
    """Fail early if a stage needs a field that no earlier stage assigns (as spaCy's analyze_pipes)."""
    assigned: set[str] = set()
    checked = []
    for stage in stages:
        missing = [r for r in stage.requires if r not in assigned]
        if missing:
            raise ConfigError(f"stage {stage.name} requires {', '.join(missing)}, which no earlier stage assigns")
        assigned.add(stage.assigns)
        checked.append(stage)
    return tuple(checked)


@dataclass
class Context:
    """What stages share within one process: the spaCy pipeline and lazily built resources."""

    model_name: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    _resources: dict[str, Any] = field(default_factory=dict)

    @property
    def nlp(self) -> Language:
        from storyline.nlp.model import load_pipeline

        return load_pipeline(self.model_name)

    def resource(self, key: str, factory: Callable[[], Any]) -> Any:
        """Build a resource (gazetteer, matcher, classifier …) once per context and reuse it."""
        if key not in self._resources:
            self._resources[key] = factory()
        return self._resources[key]


def analyze_articles(
    articles: Iterable[Article],
    ctx: Context | None = None,
    *,
    stages: Iterable[Stage] | None = None,
    batch_size: int = 16,
    n_process: int = 1,
) -> Iterator[ArticleAnalysis]:
    """Run spaCy once per article (batched) and every stage on it, yielding one analysis per article,
    in input order. With ``n_process`` > 1, whole batches (spaCy and stages) run in worker processes."""
    ctx = ctx or Context()
    chosen = check_stages(stages if stages is not None else STAGES)
    if n_process > 1:
        from storyline.analysis_pool import analyze_in_processes

        yield from analyze_in_processes(articles, ctx, chosen, batch_size=batch_size, n_process=n_process)
        return
    functions = [(stage, stage.load()) for stage in chosen]
    for batch in batched(articles, batch_size):
        yield from analyze_batch(batch, ctx, functions)


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, max(size, 1))):
        yield batch


def analyze_batch(
    batch: list[Article], ctx: Context, functions: list[tuple[Stage, StageFunction]]
) -> list[ArticleAnalysis]:
    """spaCy on the whole batch (timed as one share per article), then every stage per article."""
    started = time.process_time()
    docs = list(ctx.nlp.pipe([a.text for a in batch], batch_size=len(batch)))
    PROCESS_CLOCK.add("spacy", time.process_time() - started, len(batch))
    return [run_stages(doc, article, functions, ctx) for doc, article in zip(docs, batch, strict=True)]


def run_stages(
    doc: Doc, article: Article, functions: list[tuple[Stage, StageFunction]], ctx: Context
) -> ArticleAnalysis:
    from storyline.nlp.doc_index import adopt_text

    adopt_text(doc, article.text)  # every stage slices the article text instead of re-joining the tokens
    analysis = ArticleAnalysis(article=article)
    rejections: list[Rejected] = []
    for stage, function in functions:
        started = time.process_time()
        try:
            records = tuple(function(doc, analysis, ctx))
        except Exception as exc:  # noqa: BLE001 - one stage failing must not lose the article
            log.warning("%s: stage %s failed: %s", article.origin or article.id, stage.name, exc)
            rejections.append(Rejected(article.origin, f"{type(exc).__name__}: {exc}", stage.name, article.id))
            continue
        finally:
            PROCESS_CLOCK.add(stage.name, time.process_time() - started)
        # The field name comes from the stage declaration, checked by check_stages; mypy cannot see it.
        analysis = replace(analysis, **{stage.assigns: records})  # type: ignore[arg-type]
    return replace(analysis, rejections=tuple(rejections))


def analyze_text(text: str, ctx: Context | None = None, **article_fields: Any) -> ArticleAnalysis:
    """Convenience for the API, tests and evaluations: analyze one text with every stage."""
    article = Article.from_text(text, **article_fields)
    return next(analyze_articles([article], ctx))
