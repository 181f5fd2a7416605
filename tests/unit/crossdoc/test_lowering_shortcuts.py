"""The cheaper paths of the cross-document update give what the plain ones gave: whole-text lowering (when it
keeps offsets and words), counted context words, and linking signatures built without dataclasses.replace."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime

import pytest

from storyline.crossdoc.coref import EventRow, _linking_signature, actors_compatible
from storyline.crossdoc.entities import CONTEXT_STOPWORDS, groups_from_analysis
from storyline.crossdoc.stories import _STOPWORDS, _WORD, ENTITY_WEIGHT, PROFILE_TERMS, article_profile
from storyline.crossdoc.text_case import lowers_in_place
from storyline.nlp.entities import name_tokens
from storyline.records import Article, ArticleAnalysis, Evidence, Mention

KELVIN = "\u212a"  # lowercases to an ASCII "k"
DOTTED_I = "\u0130"  # lowercases to two characters, "i" and a combining dot

TEXTS = [
    "Rebels attacked the Northgate depot at dawn; the depot burned until noon, officials said.",
    f"The {KELVIN}ILLED and wounded were taken from {DOTTED_I}STANBUL road to the Northgate clinic clinic.",
    "Œuvre café: the CAFÉ owner’s “statement” — ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ — came after the fighting.",
    f"{DOTTED_I * 12} Mayor Bada visited the market while gunfire echoed near the market gates.",
]


def reference_profile(text: str, title: str | None, entity_keys: tuple[str, ...]) -> dict[str, float]:
    """The profile as first written: each word lowered on its own, a heap for the heaviest terms."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(text):
        if word.lower() not in _STOPWORDS:
            counts["w:" + word.lower()] += 1
    for word in _WORD.findall(title or ""):
        if word.lower() not in _STOPWORDS:
            counts["w:" + word.lower()] += 2
    weights = {term: 1.0 + math.log(n) for term, n in counts.items()}
    for key in entity_keys:
        weights["e:" + key.lower()] = weights.get("e:" + key.lower(), 0.0) + ENTITY_WEIGHT
    import heapq

    kept = dict(heapq.nlargest(PROFILE_TERMS, weights.items(), key=lambda item: item[1]))
    norm = math.sqrt(sum(w * w for w in kept.values())) or 1.0
    return {t: w / norm for t, w in kept.items()}


def test_whole_text_lowering_is_refused_only_for_the_characters_that_break_it() -> None:
    assert lowers_in_place("plain ascii text")
    assert lowers_in_place("café ΟΔΟΣ “quoted”")  # lowercase stays non-ASCII and one character each
    assert not lowers_in_place(f"{KELVIN}elvin")
    assert not lowers_in_place(f"{DOTTED_I}zmir")


@pytest.mark.parametrize("text", TEXTS)
def test_profile_equals_the_word_by_word_profile_bit_for_bit(text: str) -> None:
    title = f"Northgate {KELVIN}ILLED" if KELVIN in text else "Northgate depot burned"
    got = article_profile(text, title, ("Northgate", "Bada"))
    want = reference_profile(text, title, ("Northgate", "Bada"))
    assert list(got.items()) == list(want.items())  # same terms, same order, same floats


def test_a_kelvin_sign_is_not_read_as_the_letter_k() -> None:
    profile = article_profile(f"Many were {KELVIN}ILLED there", None, ())
    assert "w:illed" in profile and "w:killed" not in profile


def test_many_terms_keep_the_heaviest_and_first_seen_among_ties() -> None:
    words = [f"term{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(PROFILE_TERMS + 40)]
    text = " ".join(words) + " " + " ".join(words[100:110])  # ten heavier words, then 180 tied ones
    got = list(article_profile(text, None, ()))
    assert got[:10] == [f"w:{w}" for w in words[100:110]]
    assert got[10:] == [f"w:{w}" for w in words if f"w:{w}" not in got[:10]][: PROFILE_TERMS - 10]
    assert list(reference_profile(text, None, ())) == got


def reference_context(text: str, mention: Mention, window: int = 80) -> list[str]:
    around = text[max(0, mention.evidence.start - window) : mention.evidence.end + window].lower()
    own = set(name_tokens(mention.text))
    return [w for w in re.findall(r"[a-z]{4,}", around) if w not in CONTEXT_STOPWORDS and w not in own]


def mentions_of(article_id: str, text: str, *names: str) -> tuple[Mention, ...]:
    found = []
    for name in names:
        for match in re.finditer(re.escape(name), text):
            found.append(Mention(Evidence(article_id, match.start(), match.end()), name, "PERSON", name))
    return tuple(sorted(found, key=lambda m: m.evidence.start))


@pytest.mark.parametrize("text", TEXTS[1:])
def test_context_words_match_lowering_each_window_alone(text: str) -> None:
    names = [n for n in ("Bada", "Northgate", "STANBUL", "CAFÉ") if n in text]
    mentions = mentions_of("a1", text, *names)
    groups = groups_from_analysis(ArticleAnalysis(Article(id="a1", text=text), mentions=mentions))
    for group in groups:
        own = [m for m in mentions if m.entity_key == group.entity_key]
        counts = Counter(w for m in own for w in reference_context(text, m))
        assert group.context_words == tuple(w for w, _ in counts.most_common(20))


def test_dotted_capitals_before_a_name_do_not_shift_its_window() -> None:
    text = TEXTS[3]
    (group,) = groups_from_analysis(
        ArticleAnalysis(Article(id="a1", text=text), mentions=mentions_of("a1", text, "Bada"))
    )
    assert group.context_words[0] == "market"  # seen twice in the window
    assert {"mayor", "visited", "gates"} <= set(group.context_words)  # the window's first and last words
    assert "bada" not in group.context_words  # the name's own words are not its context


def test_context_ties_keep_the_order_words_were_first_seen() -> None:
    text = "zulu yankee Tamsin xray zulu. Later yankee Tamsin xray again."
    (group,) = groups_from_analysis(
        ArticleAnalysis(Article(id="a1", text=text), mentions=mentions_of("a1", text, "Tamsin"))
    )
    assert group.context_words[:3] == ("zulu", "yankee", "xray")


def test_linking_signature_is_the_row_without_its_identity() -> None:
    row = EventRow(
        "e1", "a7", "shelled", "Battles", "Armed clash", "s1", "army", None, 42, "Kobe", 1.5, 2.5, datetime(2020, 5, 1)
    )
    assert _linking_signature(row, True) == replace(row, id="", article_id="", trigger="")
    assert _linking_signature(row, False) == replace(row, id="", trigger="")


def test_cached_actor_verdicts_still_depend_on_both_rows() -> None:
    army = EventRow("e1", "a1", "t", "Battles", "", actor1="Army", actor2="Rebels")
    rebels = EventRow("e2", "a2", "t", "Battles", "", actor1="REBELS", actor2="army")
    police = EventRow("e3", "a3", "t", "Battles", "", actor1="Police")
    assert actors_compatible(army, rebels) and actors_compatible(rebels, army)
    assert not actors_compatible(army, police) and not actors_compatible(police, army)
