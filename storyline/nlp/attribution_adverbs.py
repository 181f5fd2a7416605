"""Attributions cued by a reporting adverb: "The group has reportedly spent $2 million on ads".

Input: the adverb token, the article's quotations and the lexicon. Output: an ``Attribution`` with no
source whose content is the clause the adverb modifies, adverb included (PolNeAR marks it so), or None
when the clause's verb is itself a speech verb ("reportedly said …": the verb's attribution reads it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_cues import AttributionLexicon
from storyline.nlp.attribution_spans import Attribution, grow_to_quotes, is_direct, trim_span, within_paragraph
from storyline.nlp.doc_index import doc_text, sentence_of
from storyline.nlp.quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Token

# Adverbs PolNeAR marks as cues, by their share of train occurrences that were cues: "reportedly" 19 of 29;
# "apparently" (5/35), "seemingly" (6/21) and "allegedly" (2/12) are mostly the writer's own hedges.
REPORTING_ADVERBS = frozenset({"reportedly"})


def adverb_attribution(adverb: Token, quotes: list[QuoteSpan], lexicon: AttributionLexicon) -> Attribution | None:
    """The attribution of "X has reportedly done Y": the clause of the verb the adverb modifies."""
    verb = adverb.head
    if adverb.lower_ not in REPORTING_ADVERBS or adverb.dep_ != "advmod" or verb.pos_ not in ("VERB", "AUX"):
        return None
    if lexicon.is_cue_verb(verb):
        return None
    sentence = sentence_of(adverb)
    # The clause starts at its subject: openers before it ("In total, …") are the writer's framing.
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
    opening = subject.left_edge.i if subject is not None else verb.left_edge.i
    first, last = max(opening, sentence.start), min(verb.right_edge.i, sentence.end - 1)
    doc, text = adverb.doc, doc_text(adverb.doc)
    cue = (adverb.idx, adverb.idx + len(adverb))
    start, end = within_paragraph(text, adverb.idx, doc[first].idx, doc[last].idx + len(doc[last]))
    start, end = trim_span(text, *grow_to_quotes(text, quotes, start, end, cue))
    if end <= start:
        return None
    return Attribution(
        content=(start, end),
        cue=cue,
        cue_lemma=adverb.lower_,
        source=None,
        direct=is_direct(quotes, start, end),
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )
