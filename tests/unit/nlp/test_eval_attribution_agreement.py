"""`storyline eval attribution` scores the first annotator as gold and, where several people annotated an
article, how far annotators are from each other and the system from each of them."""

from __future__ import annotations

from pathlib import Path

from storyline.evaluate.attribution import evaluate

TEXT = "Maria Lopez said the bridge would reopen. The weather was mild."


def _brat(source: tuple[int, int], content: tuple[int, int]) -> str:
    s, c = source, content
    return (
        f"T1\tSource {s[0]} {s[1]}\t{TEXT[s[0]:s[1]]}\nT2\tCue 12 16\tsaid\n"
        f"T3\tContent {c[0]} {c[1]}\t{TEXT[c[0]:c[1]]}\n"
        "T4\tAttribution 12 16\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    )


def test_agreement_between_annotators_and_against_the_system(tmp_path: Path, nlp) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for name in ("doc1", "doc2"):
        (tmp_path / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    anns = tmp_path / "attributions"
    (anns / "doc1_a.ann").write_text(_brat((0, 11), (17, 40)), encoding="utf-8")
    (anns / "doc1_b.ann").write_text(_brat((6, 11), (17, 40)), encoding="utf-8")  # "Lopez" only
    (anns / "doc2_a.ann").write_text(_brat((0, 11), (17, 40)), encoding="utf-8")  # one annotator: not compared

    result = evaluate(tmp_path)

    # The first annotator is gold, and the system reads the sentence as that annotator did.
    assert result["n_docs"] == 2 and result["source"]["exact_f1"] == 1.0 and result["attribution_f1"] == 1.0
    agreement = result["annotator_agreement"]
    assert agreement["n_docs"] == 1 and agreement["annotators"] == 2
    people = agreement["between_annotators"]
    # Same statement and content, a different source boundary: exact source disagrees, the rest agrees.
    assert people == {"source_exact_f1": 0.0, "content_overlap_f1": 1.0, "attribution_f1": 1.0}
    system = agreement["system_vs_annotators"]
    assert system["source_exact_f1"] == 0.5  # right against one annotator, not the other
    assert system["attribution_f1"] == 1.0


def test_no_several_annotators_no_comparison(tmp_path: Path, nlp) -> None:
    (tmp_path / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc1_a.ann").write_text(_brat((0, 11), (17, 40)), encoding="utf-8")
    agreement = evaluate(tmp_path)["annotator_agreement"]
    assert agreement["n_docs"] == 0 and agreement["annotators"] == 0
