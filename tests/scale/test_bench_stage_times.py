"""`storyline bench` reports speed against bare spaCy, CPU time and where the time goes per stage."""

from __future__ import annotations

from storyline.benchmark import run_benchmark
from storyline.pipeline import STAGES


def test_bench_reports_ratio_cpu_and_stage_shares() -> None:
    result = run_benchmark(10)
    assert result["stored"] == 10 and result["rejected"] == 0
    assert result["articles_per_s"] > 0 and result["spacy_words_per_s"] > 0
    # Bare spaCy is the model's own pipeline, with spaCy's attribute_ruler, not storyline's table.
    assert "attribute_ruler" in result["spacy_pipeline"]
    assert not any(name.startswith("storyline_") for name in result["spacy_pipeline"])
    assert 0 < result["cpu_ratio"] and result["cpu_seconds"] > 0
    stages = result["stage_cpu_ms_per_article"]
    assert set(stages) == {"spacy", *(s.name for s in STAGES)}
    assert abs(sum(s["share"] for s in stages.values()) - 1.0) < 0.01
    assert all(s["median_ms"] >= 0 for s in stages.values())
    assert result["peak_rss_mb"] > 0 and "driver_rss_growth_mb" in result
    # The rate between the first and the last result leaves out the serial start (model load) and end
    # (cross-document update), so it is above the end-to-end rate, which includes them.
    serial = result["first_result_seconds"] + result["crossdoc_update_seconds"]
    assert 0 < serial < result["seconds"]
    assert result["steady_articles_per_s"] > result["articles_per_s"]


def test_bench_can_time_only_the_cross_document_stage_in_batches() -> None:
    import json

    from click.testing import CliRunner

    from storyline.cli import cli

    result = CliRunner().invoke(cli, ["bench", "--articles", "0", "--crossdoc", "60", "--batches", "3"])
    assert result.exit_code == 0, result.output
    timings = json.loads(result.output.strip().splitlines()[-1])
    assert "articles_per_s" not in timings  # the per-article benchmark was skipped
    sixty = timings["crossdoc_seconds"]["60"]
    assert sixty["one_update"]["ms_per_article"] > 0 and sixty["3_batches"]["ms_per_article"] > 0
    # Measured in a fresh process each: the update's own memory on top of the corpus, never negative.
    batched = sixty["3_batches"]
    growth = batched["peak_rss_mb"] - batched["rss_before_mb"]  # each figure is rounded on its own
    assert batched["update_rss_growth_mb"] >= 0 and abs(batched["update_rss_growth_mb"] - growth) <= 0.11
    refused = CliRunner().invoke(cli, ["bench", "--articles", "0"])
    assert refused.exit_code != 0 and "--crossdoc" in refused.output


def test_bench_builds_news_length_articles_on_request() -> None:
    from storyline.benchmark import bench_corpus

    short = bench_corpus(20)
    news = bench_corpus(20, article_words=600)
    assert news == bench_corpus(20, article_words=600)  # deterministic: runs compare the same texts
    news_words = [len(text.split()) for text in news]
    assert all(words >= 600 for words in news_words)
    longest_paragraph = max(len(p.split()) for text in news for p in text.split("\n\n"))
    assert all(words < 600 + longest_paragraph + 3 for words in news_words)  # stops at the first paragraph past 600
    assert sum(news_words) / 20 > 1.5 * sum(len(text.split()) for text in short) / 20
