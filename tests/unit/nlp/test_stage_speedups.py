"""Speed shortcuts in the stages must give exactly what the plain computation gives: span text sliced from
the doc text, the gazetteer's lookup memos, the headline scan and
the number grammar's skip over tokens that cannot open a phrase."""

from __future__ import annotations

import pytest

from storyline.nlp import gazetteer as gazetteer_module
from storyline.nlp.doc_index import span_text
from storyline.nlp.entities import headline_lines
from storyline.nlp.gazetteer import Gazetteer, normalize_name
from storyline.nlp.number_lexicon import Token, tokenize
from storyline.nlp.numbers import NumberPhrase, find_number_phrases, phrase_at

NASTY_TEXT = (
    "ROCKETS HIT  THE OLD  CITY\n\n"
    "Militants   fired\tsix rockets at dawn ,  officials said .\n"
    "“We saw them,” said Amal Haddad (a teacher).  \n"
    "Between 1,200 and 1,500 people fled; call +44 20 7946 0958 ☎ for help . "
)


def test_span_text_equals_spacy_span_text_for_every_span(nlp) -> None:  # noqa: ANN001 - spaCy Language
    doc = nlp(NASTY_TEXT)
    spans = [doc[a:b] for a in range(len(doc) + 1) for b in range(a, len(doc) + 1)]
    assert len(spans) > 1000
    for span in spans:
        assert span_text(span) == span.text, (span.start, span.end)


def test_span_text_of_an_empty_span_is_empty(nlp) -> None:  # noqa: ANN001 - spaCy Language
    doc = nlp("Two words.")
    assert span_text(doc[1:1]) == "" == doc[1:1].text


def test_memoized_key_lookup_returns_a_fresh_list_each_time(gazetteer: Gazetteer) -> None:
    key = normalize_name("Deir ez-Zor")
    first = gazetteer.by_key(key)
    assert first and first == gazetteer._key_entries(key)
    first.clear()  # a caller mutating its list must not empty the memo
    assert gazetteer.by_key(key) == gazetteer._key_entries(key)
    assert gazetteer.by_key("no such place anywhere qqq") == []


def test_memoized_fuzzy_match_equals_a_fresh_search(gazetteer: Gazetteer) -> None:
    remembered = gazetteer.fuzzy("Jarabulous", ["FR", "SY"])
    gazetteer.fuzzy_memo.clear()
    fresh = gazetteer.fuzzy("Jarabulous", ["FR", "SY"])
    assert remembered == fresh
    assert [e.name for e in fresh] == ["Jarābulus"]
    assert gazetteer.fuzzy("Jarabulous", ["FR", "SY"]) == fresh  # now from the memo
    # A miss is remembered too, and stays a miss.
    assert gazetteer.fuzzy("Xqzwvk", ["SY"]) == [] == gazetteer.fuzzy("Xqzwvk", ["SY"])


def test_lookup_memos_stay_bounded(gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gazetteer_module, "KEY_MEMO_CAPACITY", 2)
    monkeypatch.setattr(gazetteer_module, "FUZZY_MEMO_CAPACITY", 2)
    for name in ("raqqa", "aleppo", "homs", "hama", "idlib"):
        gazetteer.by_key(name)
        gazetteer.fuzzy(name + "x", ["SY"])
        assert len(gazetteer.key_memo) <= 2
        assert len(gazetteer.fuzzy_memo) <= 2
    assert gazetteer.by_key("homs") == gazetteer._key_entries("homs")


def test_headline_lines_keep_caps_and_title_lines_but_not_body_or_short_lines() -> None:
    lines = [
        "FIGHTERS SEIZE BRIDGE NEAR TOWN",  # all caps: a headline
        "Rebels Take Control of the Northern Border Crossing",  # Title Case, no full stop
        "Rebels Take Control of the Northern Border Crossing.",  # Title Case ending a sentence: body
        "The rebels took control of the crossing on Friday",  # body text without a full stop
        "Hajin Falls",  # too short to judge
        "UN Says Aid Convoy Reached Town",
    ]
    text = "\n".join(lines)
    found = headline_lines(text)
    starts = [text.index(line + "\n") if line != lines[-1] else text.rindex(line) for line in lines]
    assert found == [
        (starts[0], starts[0] + len(lines[0]), True),
        (starts[1], starts[1] + len(lines[1]), False),
        (starts[5], starts[5] + len(lines[5]), False),
    ]


def phrases_token_by_token(text: str) -> list[NumberPhrase]:
    """The plain scan: try the grammar at every token."""
    tokens, found, i = tokenize(text), [], 0
    while i < len(tokens):
        read = phrase_at(tokens, i, text)
        if read is None:
            i += 1
            continue
        phrase, i = read
        found.append(phrase)
    return found


@pytest.mark.parametrize(
    "text",
    [
        "Between 5 and 10 civilians were killed and at least 900 fighters surrendered.",
        "The toll rose from 30 to 45 on 13 to 15 March; a dozen homes and no one else.",
        "Call +1 (555) 123-4567 or 020 7946 0958 at 10:30 a.m., the 1,200-strong unit said.",
        "Some two-thirds of the 3.5 million residents, about half, fled 50 km west.",
        "hundreds of thousands, dozens more, nobody, none, zero casualties and US$ 40 million",
        "",
        "no digits and no number words here at all",
    ],
)
def test_skipping_non_starter_tokens_finds_the_same_phrases(text: str) -> None:
    assert find_number_phrases(text) == phrases_token_by_token(text)


def test_tokenize_builds_real_number_tokens() -> None:
    tokens = tokenize("About 1,200 Fighters")
    assert all(isinstance(t, Token) for t in tokens)
    assert [(t.text, t.low, t.start, t.end) for t in tokens] == [
        ("About", "about", 0, 5),
        ("1,200", "1,200", 6, 11),
        ("Fighters", "fighters", 12, 20),
    ]
