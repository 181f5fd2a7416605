"""Attributions cued by an adjective of attitude after a copula: "aides are confident that …",
"she was eager to …", "voters are skeptical of …".

Input: an adjective token, the article's quotations and the learned adjective table
(``cue_adjectives.json``, built from PolNeAR train by ``scripts/train_attribution.py``). Output: an
``Attribution`` with PolNeAR's conventions (the copula and its adverbs belong to the cue, so does the
preposition before an object; the copula's subject is the source), or None when the use reports nothing.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from storyline.nlp.attribution_cues import DATA_DIR, AttributionLexicon
from storyline.nlp.attribution_sources import find_subject, source_bounds
from storyline.nlp.attribution_spans import (
    Attribution,
    char_span,
    grow_to_quotes,
    is_direct,
    trim_span,
    within_paragraph,
)
from storyline.nlp.doc_index import doc_text, sentence_of
from storyline.nlp.quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Token

ADJECTIVE_TABLE = "cue_adjectives.json"
# Share of a lemma's copular uses with a complement that PolNeAR marks as a cue, for the lemma to count.
# Chosen by 2-fold cross-validation on train (table from one half, claims scored on the other): 0.3-0.6
# all beat no adjectives (source exact F1 0.7813 → 0.7819-0.7823); 0.4 scored best.
MIN_ADJECTIVE_SHARE = 0.4
# Verbs that link a subject to an attitude ("is", "remain", "seemed", "grew").
LINKING_LEMMAS = frozenset({"be", "remain", "seem", "appear", "become", "grow", "sound", "look", "feel", "stay"})
# Children of the linking verb that PolNeAR keeps in the cue when they sit right before it ("has been").
CUE_PREFIX_DEPS = frozenset({"aux", "auxpass", "neg"})


@lru_cache(maxsize=1)
def cue_adjectives() -> frozenset[str]:
    """Adjective lemmas learned as cues (share ≥ ``MIN_ADJECTIVE_SHARE``); empty when the file is absent."""
    path = DATA_DIR / ADJECTIVE_TABLE
    if not path.exists():
        return frozenset()
    table = json.loads(path.read_text(encoding="utf-8")).get("share_by_lemma", {})
    if not isinstance(table, dict):
        return frozenset()
    return frozenset(str(k) for k, v in table.items() if isinstance(v, (int, float)) and v >= MIN_ADJECTIVE_SHARE)


def complement_of(adjective: Token) -> Token | None:
    """The adjective's complement after it: a clause ("confident that"), an infinitive ("eager to"), or a
    preposition with an object ("skeptical of the plan")."""
    for child in adjective.children:
        if child.i <= adjective.i:
            continue
        if child.dep_ in ("ccomp", "xcomp"):
            return child
        if child.dep_ == "prep" and any(g.dep_ in ("pobj", "pcomp") for g in child.children):
            return child
    return None


def _content_and_cue_end(complement: Token, adjective: Token, lexicon: AttributionLexicon) -> tuple[list[Token], Token]:
    """The content tokens and the cue's last token. A speech verb's infinitive joins the cue and its own
    complement is the content ("were quick to point out | that …"), as PolNeAR marks it."""
    if complement.dep_ == "prep":
        objects = [g for g in complement.children if g.dep_ in ("pobj", "pcomp")]
        return list(objects[0].subtree), complement
    if complement.dep_ == "xcomp" and complement.lemma_.lower() in lexicon.stance_by_lemma:
        said = next((c for c in complement.children if c.dep_ in ("ccomp", "dobj") and c.i > complement.i), None)
        particle = next((c for c in complement.children if c.dep_ == "prt" and c.i == complement.i + 1), None)
        return (list(said.subtree) if said is not None else []), particle or complement
    return list(complement.subtree), adjective


def adjective_attribution(adjective: Token, quotes: list[QuoteSpan], lexicon: AttributionLexicon) -> Attribution | None:
    """The attribution of "X is <attitude> that/to/about …", or None when the adjective is not a learned
    cue, not predicative or has no complement."""
    link = adjective.head
    if adjective.pos_ != "ADJ" or adjective.dep_ != "acomp" or link.lemma_.lower() not in LINKING_LEMMAS:
        return None
    if adjective.lemma_.lower() not in cue_adjectives():
        return None
    complement = complement_of(adjective)
    if complement is None:
        return None
    content_tokens, cue_last = _content_and_cue_end(complement, adjective, lexicon)
    if not content_tokens:
        return None
    first = link
    while first.i > 0 and first.nbor(-1).head.i == link.i and first.nbor(-1).dep_ in CUE_PREFIX_DEPS:
        first = first.nbor(-1)
    if first.i > adjective.i:
        return None  # an inverted copula ("Eager to help was he") has no cue span PolNeAR would mark
    text = doc_text(adjective.doc)
    cue_chars = char_span([first, cue_last])
    start, end = within_paragraph(text, adjective.idx, *char_span(content_tokens))
    start, end = trim_span(text, *grow_to_quotes(text, quotes, start, end, cue_chars))
    if end <= start:
        return None
    subject = find_subject(link)
    sentence = sentence_of(adjective)
    return Attribution(
        content=(start, end),
        cue=cue_chars,
        cue_lemma=adjective.lemma_.lower(),
        source=source_bounds(subject) if subject is not None and subject.i < first.i else None,
        direct=is_direct(quotes, start, end),
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )
