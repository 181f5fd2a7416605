"""Token scans that read spaCy's attribute arrays instead of Token objects must find exactly the tokens
the plain per-token tests find (triggers, title-case words, brackets, number-grammar words, cue scores)."""

from __future__ import annotations

from storyline.nlp.entities import opening_brackets
from storyline.nlp.event_typing import clear_score_cache, lexicon_scores
from storyline.nlp.events import build_trigger_index, find_triggers, row_matches, trigger_table
from storyline.nlp.number_lexicon import TOKEN_RE, tokenize
from storyline.nlp.places import title_tokens

TEXT = (
    "Shelling hit Hajin ( eastern Syria ) on Monday; the Syrian Democratic Forces (SDF) said fighters "
    "were KILLED. Airstrikes killed 12 people, a suicide bombing wounded 3. (The clashes continued.)"
)


def triggers_token_by_token(doc, index) -> list[tuple[int, str]]:  # noqa: ANN001 - spaCy Doc
    """The plain scan: every token's lowered lemma and lowered form looked up, longest match kept."""
    table, found = trigger_table(), []
    for token in doc:
        spans = [
            row_matches(table[n], token)
            for n in dict.fromkeys(index.get(token.lemma_.lower(), ()) + index.get(token.lower_, ()))
        ]
        texts = [span.text for span in spans if span is not None]
        if texts:
            found.append((token.i, max(texts, key=len)))
    return found


def test_triggers_are_found_on_lemmas_and_inflected_forms(nlp) -> None:
    doc = nlp(TEXT)
    index = build_trigger_index()
    found = [(t.head.i, t.text) for t in find_triggers(doc, index)]
    assert found == triggers_token_by_token(doc, index)
    texts = [text.lower() for _, text in found]
    # "killed" twice (once shouted); the compound "suicide bombing" beats a bare "bombing".
    assert texts.count("killed") == 2
    assert "suicide bombing" in texts and "bombing" not in texts


def test_title_tokens_are_exactly_the_title_case_words(nlp) -> None:
    doc = nlp(TEXT)
    assert [t.i for t in title_tokens(doc)] == [t.i for t in doc if t.is_title]
    assert {"Hajin", "Syria", "Monday"} <= {t.text for t in title_tokens(doc)}
    assert "KILLED" not in {t.text for t in title_tokens(doc)}


def test_opening_brackets_skip_closing_ones_and_lookalikes(nlp) -> None:
    doc = nlp("Rebels (the SDF) and ( spaced ) brackets, a smiley :( and [square] ones.")
    assert opening_brackets(doc) == [t.i for t in doc if t.text == "("]
    assert len(opening_brackets(nlp("No brackets at all."))) == 0


def test_number_words_keep_their_text_case_and_offsets() -> None:
    text = "Some 1,200 Fighters — twenty-five of them — fled at 5:30 p.m. US$3bn"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [m.group() for m in TOKEN_RE.finditer(text)]
    assert all(text[t.start : t.end] == t.text and t.low == t.text.lower() for t in tokens)
    assert ("Fighters", "fighters") in {(t.text, t.low) for t in tokens}


def test_cue_scores_are_fresh_copies_each_call() -> None:
    clear_score_cache()
    sentence = "Protesters clashed with police and an air strike killed two."
    scores, best = lexicon_scores(sentence)
    assert scores, "the sentence has cue words"
    scores.clear()  # a caller changing its copy must not change the next caller's answer
    best.clear()
    again, best_again = lexicon_scores(sentence)
    assert again and best_again
    assert lexicon_scores("Nothing happened here at all.") == ({}, {})
