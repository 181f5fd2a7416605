"""Per-stage timing and whole-article worker processes give the same analyses as the plain loop."""

from __future__ import annotations

from storyline.pipeline import STAGES, analyze_articles, batched, stage_named
from storyline.records import Article
from storyline.stage_clock import PROCESS_CLOCK, StageClock

TEXTS = [
    f"Bulletin {i}\n\nPolice in Aleppo said on Monday that {i + 3} people were killed when a car bomb "
    f'exploded near the market. "We are still counting," spokesman Omar Haddad told Reuters. '
    f"Earlier, {i + 1} soldiers were wounded in Raqqa, the ministry said."
    for i in range(7)
]


def test_clock_reports_median_and_share_per_stage() -> None:
    clock = StageClock()
    for seconds in (0.001, 0.002, 0.009):
        clock.add("fast", seconds)
    clock.add("slow", 0.12, articles=4)  # a batch of four articles: 30 ms each
    summary = clock.summary()
    assert summary["fast"]["median_ms"] == 2.0
    assert summary["fast"]["mean_ms"] == 4.0
    assert summary["slow"]["median_ms"] == 30.0
    assert summary["slow"]["share"] == round(30 / 34, 3)


def test_clock_memory_stays_bounded_and_evenly_spread() -> None:
    clock = StageClock(capacity=64)
    for i in range(10_000):
        clock.add("stage", i / 1000)
    kept = clock.export()["stage"][0]
    assert len(kept) <= 64
    assert clock.export()["stage"][1] == 10_000
    # An even subsample over the whole run, not just the first or last samples.
    assert min(kept) < 1.0 and max(kept) > 9.0
    assert 4.0 < clock.summary()["stage"]["median_ms"] / 1000 < 6.0


def test_clock_merges_worker_samples() -> None:
    parent, worker = StageClock(), StageClock()
    parent.add("spacy", 0.010)
    worker.add("spacy", 0.030, articles=2)
    parent.merge(worker.export())
    assert parent.summary()["spacy"]["mean_ms"] == round((10 + 15 + 15) / 3, 2)  # the batch is 15 ms each


def test_batched_keeps_order_and_remainder() -> None:
    articles = [Article.from_text(t) for t in TEXTS]
    batches = list(batched(iter(articles), 3))
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [a for b in batches for a in b] == articles


def test_worker_processes_give_the_same_analyses_in_order(ctx) -> None:
    articles = [Article.from_text(t) for t in TEXTS]
    stages = [stage_named("entities"), stage_named("quantities"), stage_named("times")]
    single = list(analyze_articles(articles, ctx, stages=stages, batch_size=2))
    PROCESS_CLOCK.reset()
    parallel = list(analyze_articles(iter(articles), ctx, stages=stages, batch_size=2, n_process=2))
    assert [a.article.id for a in parallel] == [a.id for a in articles]
    assert parallel == single
    assert any(q.best == 5 and q.state == "killed" for q in parallel[2].quantities)  # bulletin 2: 5 killed
    # Workers' timings reach the parent's clock: one spaCy share per article.
    assert PROCESS_CLOCK.export()["spacy"][1] == len(articles)


def test_every_stage_is_timed(ctx) -> None:
    PROCESS_CLOCK.reset()
    list(analyze_articles([Article.from_text(TEXTS[0])], ctx))
    assert set(PROCESS_CLOCK.summary()) == {"spacy", *(s.name for s in STAGES)}
