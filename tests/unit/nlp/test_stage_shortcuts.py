"""Shortcuts taken for speed must not change what the stages find: the reordered number tokenizer, the
article text adopted as the doc's text, the holiday prefilter and the trigger rows shared between docs."""

from __future__ import annotations

import re

from storyline.nlp import timegrammar
from storyline.nlp.doc_index import TEXT_KEY, adopt_text, doc_text, span_text
from storyline.nlp.events import build_trigger_index, find_triggers
from storyline.nlp.number_lexicon import TOKEN_RE, tokenize
from storyline.nlp.times import _rule_matches, find_times

# The tokenizer as it was written before word alternatives moved first (digit ones first).
DIGITS_FIRST = re.compile(
    r"\+?\d[\d ()-]{8,}\d|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d+(?:\.\d+)?|[ap]\.m\.|o'clock|us\$|[A-Za-z]+|[$£€%~]|[-–—]|\S",
    re.IGNORECASE,
)
NASTY_NUMBERS = (
    "At 5 a.m. (or 5 A.M.) o'clock, US$3bn and us$12 moved; call +1 (555) 123-4567 or 555-123-4567.",
    "On 12/05/2019 at 10:30, 1,200.5 tonnes — twenty-five ſhips, K-rations ~40% — arrived a.m.x",
    "pm.5 a.m.5 o'clocks US$ $ £7 €8 -3 –4 —5 12,34 1,234,567 3.14.15 2019-01-02 ١٢٣ apps",
)


def test_word_first_tokenizer_reads_exactly_what_the_digit_first_one_read() -> None:
    for text in NASTY_NUMBERS:
        assert [m.span() for m in TOKEN_RE.finditer(text)] == [m.span() for m in DIGITS_FIRST.finditer(text)]
    words = [t.text for t in tokenize(NASTY_NUMBERS[0])]
    # "a.m." and "US$" stay whole although a letter run could start at either.
    assert "a.m." in words and "A.M." in words and "US$" in words and "o'clock" in words


def test_the_article_text_becomes_the_doc_text_only_for_its_own_doc(nlp) -> None:
    text = "Troops  entered the town at dawn,\n\nofficials said. "
    doc = nlp(text)
    adopt_text(doc, text)
    assert doc.user_data[TEXT_KEY] is text and doc_text(doc) == doc.text
    assert span_text(doc[2:4]) == doc[2:4].text == "entered the"  # doc[1] is the second space

    other = nlp("A different report of another length.")
    adopt_text(other, text)
    assert TEXT_KEY not in other.user_data
    assert doc_text(other) == "A different report of another length."

    same_length = nlp("Xroops  entered the town at dawn,\n\nofficials said. ")
    adopt_text(same_length, text)  # ends where ``text`` ends, but its first word is not ``text``'s
    assert TEXT_KEY not in same_length.user_data

    empty = nlp("")
    adopt_text(empty, "")
    assert doc_text(empty) == ""


def test_rules_with_a_prefilter_find_what_a_full_scan_finds() -> None:
    texts = (
        "Shops shut on Good Friday and again on Christmas Eve 2019, then on Labor  Day.",
        "A good friday for traders; labor day talks; the Easter Sunday service; New Year's Eve.",
        "No holiday here, only Thanksgivings-old words and aChristmas glued.",
        "",
    )
    rules = dict(timegrammar.RULES)
    for name in timegrammar.PREFILTERS:
        for text in texts:
            found = [m.span() for m in _rule_matches(name, rules[name], text, {})]
            assert found == [m.span() for m in rules[name].finditer(text)]
    values = [t.text for t in find_times(texts[0], None)]
    assert "Good Friday" in values and "Christmas Eve 2019" in values
    assert not [t for t in find_times(texts[1], None) if t.text.lower() in {"good friday", "labor day"}]


def test_trigger_rows_shared_between_docs_change_no_trigger(nlp) -> None:
    index = build_trigger_index()
    docs = [
        nlp("Gunmen killed four villagers; a suicide bombing wounded 3 and police arrested two."),
        nlp("Protesters marched and KILLED nobody; the bombing was a hoax, troops clashed later."),
    ]
    shared: dict[tuple[int, int], tuple[int, ...]] = {}
    for doc in docs:
        alone = [(t.head.i, t.text) for t in find_triggers(doc, index)]
        assert [(t.head.i, t.text) for t in find_triggers(doc, index, shared)] == alone
        assert alone  # every sentence has an event word, so the comparison is not empty
    # Every distinct (lemma, lower) pair of both docs was looked up once and kept.
    assert len(shared) == len({(t.lemma, t.lower) for doc in docs for t in doc})
