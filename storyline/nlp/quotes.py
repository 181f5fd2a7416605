"""Stage claims.v1: who said what — direct quotes, reported speech and the outlet's own numeric claims.

Input: the spaCy doc, ``analysis.mentions`` (speaker keys) and ``analysis.times`` (said_on). Output:
``Claim`` records with content span, speaker (resolved by light coreference), cue, stance and hedges.
Cue verbs come from the dependency parse (lexicon, clause-taking verbs with a person subject, and a
classifier trained on PolNeAR train that adds and vetoes cues), attitude adjectives ("are confident that",
learned table), "reportedly", then noun cues ("his claim that", "the fear is that"), "Name: …" lines and
Title Case headlines ("Ann Ruiz Slams Plan"); quotations come from their marks (``storyline.nlp.quote_marks``).
Spans are read by ``attribution_verbs`` / ``attribution_nouns`` / ``attribution_sources``; "Name: …" lines
by ``attribution_colons``; the outlet's own claims come from ``attribution_outlet``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import compress
from typing import TYPE_CHECKING

from storyline.nlp.attribution_adverbs import REPORTING_ADVERBS, adverb_attribution
from storyline.nlp.attribution_colons import colon_attributions
from storyline.nlp.attribution_cue_adjectives import adjective_attribution
from storyline.nlp.attribution_cues import AttributionLexicon, CueClassifier, attribution_lexicon, cue_classifier
from storyline.nlp.attribution_headlines import headline_attributions
from storyline.nlp.attribution_nouns import according_to, copular_clause, in_poll, noun_attribution
from storyline.nlp.attribution_outlet import outlet_claims
from storyline.nlp.attribution_sources import speaker_core_bounds
from storyline.nlp.attribution_spans import Attribution
from storyline.nlp.attribution_verbs import attribution_from_cue, reports_clause_at
from storyline.nlp.claim_token_table import TokenTable, token_table
from storyline.nlp.doc_index import doc_text, sentence_of
from storyline.nlp.quote_marks import QuoteSpan, find_quotes
from storyline.nlp.speaker_resolution import Speaker, SpeakerResolver
from storyline.nlp.times import is_start_anchor
from storyline.records import ArticleAnalysis, Claim, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from storyline.pipeline import Context

# A quotation shorter than this many words with no cue of its own is a scare quote or a title.
MIN_ORPHAN_QUOTE_WORDS = 4
# ... unless it is a sentence of its own right after another sentence ("Big time."): see _stands_alone.
SENTENCE_END_CHARS = ".!?"
QUOTE_MARK_CHARS = "\"“”‘’'`"
# Children a noun cue's content hangs from ("claim that …", "plan to …", "concerns about …"); see noun_attribution.
NOUN_COMPLEMENT_DEPS = frozenset({"acl", "ccomp", "appos", "prep"})
# Dependencies of a speech participle trailing another attribution ("…, saying …"); see _with_participle_speech.
PARTICIPLE_DEPS = frozenset({"advcl"})
VERB_POS = ("VERB", "AUX")


@dataclass(frozen=True, slots=True)
class ClaimOptions:
    """What to emit besides attributed claims (evaluations switch the outlet's own claims off)."""

    outlet_claims: bool = True


def extract_claims(doc: Doc, analysis: ArticleAnalysis, ctx: Context) -> tuple[Claim, ...]:
    """The claims.v1 stage; ``ctx.settings["claims"]`` may hold a ``ClaimOptions``."""
    configured = ctx.settings.get("claims") if ctx is not None else None
    options = configured if isinstance(configured, ClaimOptions) else ClaimOptions()
    return claims_from_doc(doc, analysis, options)


def claims_from_doc(doc: Doc, analysis: ArticleAnalysis, options: ClaimOptions) -> tuple[Claim, ...]:
    lexicon = attribution_lexicon()
    quotes = find_quotes(doc_text(doc))
    attributions = _parse_attributions(doc, quotes, lexicon)
    attributions = _attach_orphan_quotes(doc, quotes, attributions)
    resolver = SpeakerResolver(doc, analysis.mentions, lexicon)
    claims = [_to_claim(doc, a, analysis, resolver, lexicon) for a in attributions]
    if options.outlet_claims:
        claims.extend(outlet_claims(doc, analysis, attributions, quotes, lexicon))
    claims.sort(key=lambda c: (c.evidence.start, c.evidence.end))
    return tuple(claims)


def _parse_attributions(doc: Doc, quotes: list[QuoteSpan], lexicon: AttributionLexicon) -> list[Attribution]:
    """Attributions found from cue words in the parse, one content span per cue, no overlaps."""
    classifier = cue_classifier()
    table = token_table(doc)
    # Speech inside a quotation belongs to the quoted speaker's own words: only tokens outside are cues.
    outside = _tokens_outside_quotes(table, quotes)
    scanned = (_attribution_at(doc, table, i, quotes, lexicon, classifier) for i in outside)
    found = [a for a in scanned if a is not None]
    # "Name: …" frames its whole paragraph, so it wins over the verbs inside its content.
    framed = colon_attributions(doc, [])
    found = [a for a in found if not any(c.content[0] < a.content[1] and a.content[0] < c.content[1] for c in framed)]
    kept = _with_participle_speech(doc, found, _without_overlaps(found))
    kept += [c for c in framed if not any(k.content[0] < c.content[1] and c.content[0] < k.content[1] for k in kept)]
    kept += _noun_attributions(doc, table, outside, quotes, lexicon, kept)
    kept += [
        h for h in headline_attributions(doc, lexicon, kept) if not any(_overlap(h.content, k.content) for k in kept)
    ]
    return sorted(kept, key=lambda a: a.content)


def _tokens_outside_quotes(table: TokenTable, quotes: list[QuoteSpan]) -> list[int]:
    """Positions of the tokens overlapping no quotation (``find_quotes`` returns them ordered, disjoint):
    each quotation's tokens are found by bisection on the token offsets."""
    starts, lengths = table.idx, table.length
    keep = bytearray(b"\x01") * len(starts)
    for quote in quotes:
        first = bisect_right(starts, quote.start) - 1  # the token the quotation starts in, or before it
        if first < 0 or starts[first] + lengths[first] <= quote.start:
            first += 1
        last = bisect_left(starts, quote.end)
        if first < last:
            keep[first:last] = bytes(last - first)
    return list(compress(range(len(starts)), keep))


def _attribution_at(
    doc: Doc, table: TokenTable, i: int, quotes: list[QuoteSpan], lexicon: AttributionLexicon, classifier: CueClassifier
) -> Attribution | None:
    """The attribution token ``i`` cues, if any: "according to", "in a poll", an attitude adjective ("are
    confident that"), "reportedly", a lexicon verb the classifier does not veto, or a verb the classifier finds
    likely (its probability computed once per token). The table answers the tests every word goes through;
    a spaCy ``Token`` is made only for the few candidates."""
    lower, pos = table.lower[i], table.pos[i]
    if lower == "according":
        return according_to(doc[i])
    if lower == "in":
        poll_frame = table.dep[i] == "prep" and table.pos[table.head[i]] in VERB_POS
        return in_poll(doc[i]) if poll_frame else None
    if pos == "ADJ":
        return adjective_attribution(doc[i], quotes, lexicon) if table.dep[i] == "acomp" else None
    if lower in REPORTING_ADVERBS:
        return adverb_attribution(doc[i], quotes, lexicon)
    if pos not in VERB_POS:
        return None  # every verb test below needs a verb (or a main-verb "be")
    scored = pos == "VERB" and bool(classifier.weights)
    probability = classifier.probability_at(doc, table, i) if scored else 0.0
    confident = scored and probability >= classifier.threshold
    lexical = lexicon.is_cue_verb_at(table, i) or reports_clause_at(table, i)
    if lexical and not _vetoed(doc[i], lexicon, classifier, probability):
        return attribution_from_cue(doc[i], quotes, lexicon, strong=confident)
    if confident:
        return attribution_from_cue(doc[i], quotes, lexicon, strong=True)
    return None


def _vetoed(token: Token, lexicon: AttributionLexicon, classifier: CueClassifier, probability: float) -> bool:
    """The classifier's veto, except for figures ("officials put the toll at 40"): PolNeAR's political
    news rarely counts them, but casualty and damage figures are what the claim ledger is for."""
    if not classifier.vetoes(token, probability):
        return False
    estimate = lexicon.stance_by_lemma.get(token.lemma_.lower()) == "estimate" and any(
        t.like_num for t in token.subtree if t.i > token.i
    )
    return not estimate


def _noun_attributions(
    doc: Doc,
    table: TokenTable,
    outside: list[int],
    quotes: list[QuoteSpan],
    lexicon: AttributionLexicon,
    kept: list[Attribution],
) -> list[Attribution]:
    """Noun cues ("his claim that …", "concerns about …") where no verb attribution already speaks:
    they are weaker evidence, so a verb's attribution always wins an overlap."""
    added: list[Attribution] = []
    classifier = cue_classifier()
    for i in outside:
        if table.pos[i] != "NOUN":
            continue
        if not any(table.dep[c] in NOUN_COMPLEMENT_DEPS and c > i for c in table.children(i)) and (
            not _may_be_copular_subject(table, i) or copular_clause(doc[i]) is None
        ):
            continue  # no clause, infinitive or preposition after it: nothing said to read (and no scoring)
        if not (lexicon.is_cue_noun_at(table, i) or classifier.is_noun_cue_at(doc, table, i)):
            continue
        attribution = noun_attribution(doc[i], quotes)
        if attribution is None:
            continue
        taken = [*kept, *added]
        start, end = attribution.content
        if any(a.content[0] < end and start < a.content[1] for a in taken):
            continue
        if any(a.content[0] <= attribution.cue[0] < a.content[1] for a in taken):
            continue  # a noun inside reported content is part of what was said
        added.append(attribution)
    return added


def _may_be_copular_subject(table: TokenTable, i: int) -> bool:
    """The cheap first test of ``copular_clause``: the noun is the subject of "be"."""
    return table.dep[i] == "nsubj" and table.lemma[table.head[i]] == "be"


def _without_overlaps(found: list[Attribution]) -> list[Attribution]:
    """PolNeAR-style univocal spans: of two attributions whose contents overlap, the outer one wins (its
    content holds the other's cue: reported speech nested in what was said), else the one whose cue comes
    first. Measured on PolNeAR train, cutting the outer content short at the inner cue scored lower."""
    kept: list[Attribution] = []
    for attribution in sorted(found, key=lambda a: a.cue):
        rivals = [k for k in kept if _overlap(k.content, attribution.content)]
        if rivals and all(_holds_cue(attribution, k) and not _holds_cue(k, attribution) for k in rivals):
            kept = [k for k in kept if k not in rivals]
            rivals = []
        if not rivals:
            kept.append(attribution)
    return sorted(kept, key=lambda a: a.content)


def _with_participle_speech(doc: Doc, found: list[Attribution], kept: list[Attribution]) -> list[Attribution]:
    """Add back a participle of speech trailing a kept attribution ("X argued that …, saying …", "She
    criticised them, telling CNN that …"): its speaker is the outer attribution's, whatever the parser made
    its subject. Other reported speech nested in a content is left to the outer attribution: on PolNeAR
    train, keeping it lowered every score (most nested cues are not separate gold attributions)."""
    added: list[Attribution] = []
    for inner in found:
        if inner in kept:
            continue
        outers = [k for k in kept if k.content[0] <= inner.cue[0] and inner.content[1] <= k.content[1]]
        if not outers or any(_overlap(a.content, inner.content) for a in added):
            continue
        span = doc.char_span(inner.cue[0], inner.cue[1], alignment_mode="expand")
        if span is None or not len(span) or not _is_trailing_participle(span.root):
            continue
        added.append(replace(inner, source=outers[0].source))
    return sorted(kept + added, key=lambda a: a.content) if added else kept


def _is_trailing_participle(cue: Token) -> bool:
    """ "saying …", "telling CNN that …": a gerund hanging from the clause, with no subject of its own."""
    return (
        cue.dep_ in PARTICIPLE_DEPS
        and cue.tag_ == "VBG"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _holds_cue(outer: Attribution, inner: Attribution) -> bool:
    return outer.content[0] <= inner.cue[0] < outer.content[1]


def _attach_orphan_quotes(doc: Doc, quotes: list[QuoteSpan], found: list[Attribution]) -> list[Attribution]:
    """A quotation with no cue of its own continues the direct attribution right before it: split quotes
    ("…nowhere to go," Walat said. "Here it is…") and quotes running on into the next sentence or
    paragraph become one attribution whose content spans all parts (PolNeAR's convention too)."""
    result = sorted(found, key=lambda a: a.content)
    for quote in quotes:
        if any(a.content[0] < quote.end and quote.start < a.content[1] for a in result):
            continue
        if len(doc_text(doc)[quote.start : quote.end].split()) < MIN_ORPHAN_QUOTE_WORDS and not _stands_alone(
            doc_text(doc), quote
        ):
            continue
        before = [a for a in result if a.direct and a.content[1] <= quote.start and a.cue[1] <= quote.start]
        if not before:
            continue
        last = max(before, key=lambda a: a.content[1])
        in_cue_sentence = quote.start < last.sentence_end
        if not in_cue_sentence and doc_text(doc)[max(last.sentence_end, last.content[1]) : quote.start].strip():
            continue
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        sentence_end = sentence_of(span[-1]).end_char if span is not None and len(span) else quote.end
        merged = replace(
            last,
            content=(last.content[0], quote.end),
            parts=(*(last.parts or (last.content,)), (quote.start, quote.end)),
            sentence_end=max(sentence_end, quote.end, last.sentence_end),
        )
        result = sorted([a for a in result if a is not last] + [merged], key=lambda a: a.content)
    return result


def _stands_alone(text: str, quote: QuoteSpan) -> bool:
    """A short quotation that is a sentence of its own ("Big time.") after a finished sentence: a
    follow-up of the speaker just quoted, unlike a scare quote or title inside a sentence."""
    words = text[quote.start : quote.end].strip(QUOTE_MARK_CHARS + " ")
    before = text[max(0, quote.start - 8) : quote.start].rstrip(" ")  # a few characters decide
    return (
        bool(words)
        and words[0].isupper()
        and words[-1] in SENTENCE_END_CHARS
        and (not before or before[-1] in SENTENCE_END_CHARS + QUOTE_MARK_CHARS + "\n")
    )


def _speaker_of(doc: Doc, attribution: Attribution, resolver: SpeakerResolver) -> Speaker:
    if attribution.source is None:
        return Speaker(None, "anonymous", None)
    # The PolNeAR-style source span may carry appositions and relative clauses; name the speaker by its core.
    start, end = speaker_core_bounds(doc[attribution.source[0] : attribution.source[1]].root)
    return resolver.resolve(doc[start:end])


def _said_on(analysis: ArticleAnalysis, attribution: Attribution) -> datetime | None:
    """The date of the cue's sentence ("said on Tuesday"), from a time outside the content."""
    for time in analysis.times:
        inside_sentence = attribution.sentence_start <= time.evidence.start < attribution.sentence_end
        in_content = attribution.content[0] <= time.evidence.start < attribution.content[1]
        if (
            inside_sentence
            and not in_content
            and time.timex_type == "DATE"
            and time.start is not None
            and not is_start_anchor(analysis.article.text, time)
        ):
            return time.start
    return None


def _to_claim(
    doc: Doc,
    attribution: Attribution,
    analysis: ArticleAnalysis,
    resolver: SpeakerResolver,
    lexicon: AttributionLexicon,
) -> Claim:
    speaker = _speaker_of(doc, attribution, resolver)
    start, end = attribution.content
    # Split quotes: the words said are the quoted parts, the evidence runs from the first to the last.
    text = doc_text(doc)
    content = " ".join(text[s:e] for s, e in attribution.parts) if attribution.parts else text[start:end]
    sentence = text[attribution.sentence_start : attribution.sentence_end]
    content_hedges = lexicon.hedges_in(content)
    hedges = (
        content_hedges
        + tuple(h for h in lexicon.hedges_in(sentence) if h not in content_hedges)
        + attribution.extra_hedges
    )
    source_chars = (
        (
            doc[attribution.source[0]].idx,
            doc[attribution.source[1] - 1].idx + len(doc[attribution.source[1] - 1]),
        )
        if attribution.source
        else None
    )
    cue_text = text[attribution.cue[0] : attribution.cue[1]]
    said_on = _said_on(analysis, attribution)
    return Claim(
        evidence=Evidence(analysis.article.id, start, end),
        content=content,
        speaker=speaker.text,
        speaker_kind=speaker.kind,
        speaker_key=speaker.key,
        speaker_span=source_chars,
        cue=cue_text,
        cue_span=attribution.cue,
        stance=lexicon.stance(attribution.cue_lemma, content),
        hedges=_distinct_hedges(hedges),
        direct=attribution.direct,
        said_on=said_on,
    )


def _distinct_hedges(hedges: tuple[str, ...]) -> tuple[str, ...]:
    """Hedges without repeats or phrases contained in a longer one ("was reported" in "was reported to")."""
    unique = list(dict.fromkeys(hedges))
    return tuple(h for h in unique if not any(h != other and h in other for other in unique))
