"""Title words in a story profile: each occurrence counts as two in the text, stopwords never count, and a
title word the text lacks comes after the text's words (ties keep first-seen order)."""

from __future__ import annotations

import math

from storyline.crossdoc.stories import _STOPWORDS, article_profile


def _unnormalised(profile: dict[str, float]) -> dict[str, float]:
    smallest = min(profile.values())
    return {term: weight / smallest for term, weight in profile.items()}


def test_title_occurrences_add_two_each_and_stopwords_are_ignored() -> None:
    assert {"they", "said", "after"} <= _STOPWORDS
    text = "Floods closed the ferry. Ferry crews waited."
    profile = _unnormalised(article_profile(text, "They said: ferry, ferry halted after Floods", ()))
    assert set(profile) == {"w:floods", "w:closed", "w:ferry", "w:crews", "w:waited", "w:halted"}
    assert math.isclose(profile["w:ferry"], 1.0 + math.log(2 + 2 + 2))  # two in the text, two in the title
    assert math.isclose(profile["w:floods"], 1.0 + math.log(1 + 2))
    assert math.isclose(profile["w:halted"], 1.0 + math.log(2))


def test_title_only_words_follow_the_text_words_among_equal_weights() -> None:
    # "medics" (title only: 2) ties with "convoy" (twice in the text): the text's word stays first.
    profile = article_profile("Convoy reached Bakhmut; convoy waited", "Medics", ())
    assert list(profile) == ["w:convoy", "w:medics", "w:reached", "w:bakhmut", "w:waited"]
    assert profile["w:convoy"] == profile["w:medics"]
    heavier = article_profile("Convoy reached Bakhmut road road", "Medics medics", ())
    assert list(heavier) == ["w:medics", "w:road", "w:convoy", "w:reached", "w:bakhmut"]
    assert math.isclose(heavier["w:medics"] / heavier["w:convoy"], 1.0 + math.log(4))
