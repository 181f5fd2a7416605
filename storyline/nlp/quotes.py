"""Stage claims.v1: who said what — direct quotes, reported speech and the outlet's own numeric claims.

Input: the spaCy doc, ``analysis.mentions`` (speaker keys) and ``analysis.times`` (said_on). Output:
``Claim`` records with content span, speaker (resolved by light coreference), cue, stance and hedges.
Cue verbs come from the dependency parse; quotations from their marks (``storyline.nlp.quote_marks``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from storyline.nlp.attribution_cues import AttributionLexicon, attribution_lexicon
from storyline.nlp.attribution_spans import (
    Attribution,
    according_to,
    attribution_from_cue,
    doc_text,
    quote_overlapping,
    reports_clause,
    sentence_of,
    speaker_core_bounds,
)
from storyline.nlp.quote_marks import QuoteSpan, find_quotes
from storyline.nlp.speaker_resolution import Speaker, SpeakerResolver
from storyline.records import ArticleAnalysis, Claim, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from storyline.pipeline import Context

# A quotation shorter than this many words with no cue of its own is a scare quote or a title.
MIN_ORPHAN_QUOTE_WORDS = 4


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
        claims.extend(_outlet_claims(doc, analysis, attributions, quotes, lexicon))
    claims.sort(key=lambda c: (c.evidence.start, c.evidence.end))
    return tuple(claims)


def _parse_attributions(doc: Doc, quotes: list[QuoteSpan], lexicon: AttributionLexicon) -> list[Attribution]:
    """Attributions found from cue words in the parse, one content span per cue, no overlaps."""
    found: list[Attribution] = []
    for token in doc:
        if quote_overlapping(quotes, token.idx, token.idx + len(token)) is not None:
            continue  # speech inside a quotation belongs to the quoted speaker's own words
        if token.lower_ == "according":
            attribution = according_to(token)
        elif lexicon.is_cue_verb(token) or reports_clause(token):
            attribution = attribution_from_cue(token, quotes, lexicon)
        else:
            continue
        if attribution is not None:
            found.append(attribution)
    return _without_overlaps(found)


def _without_overlaps(found: list[Attribution]) -> list[Attribution]:
    """PolNeAR-style univocal spans: of two attributions whose contents overlap, the one whose cue comes
    first wins (the later cue is usually reported speech nested inside the first content). Measured on
    PolNeAR train, cutting the first content short at the later cue instead scored lower."""
    kept: list[Attribution] = []
    for attribution in sorted(found, key=lambda a: a.cue):
        if not any(
            k.content[0] < attribution.content[1] and attribution.content[0] < k.content[1] for k in kept
        ):
            kept.append(attribution)
    return sorted(kept, key=lambda a: a.content)


def _attach_orphan_quotes(doc: Doc, quotes: list[QuoteSpan], found: list[Attribution]) -> list[Attribution]:
    """A quotation with no cue of its own continues the direct attribution right before it: split quotes
    ("…nowhere to go," Walat said. "Here it is…") and quotes running on into the next sentence or
    paragraph become one attribution whose content spans all parts (PolNeAR's convention too)."""
    result = sorted(found, key=lambda a: a.content)
    for quote in quotes:
        if any(a.content[0] < quote.end and quote.start < a.content[1] for a in result):
            continue
        if len(doc_text(doc)[quote.start : quote.end].split()) < MIN_ORPHAN_QUOTE_WORDS:
            continue
        before = [a for a in result if a.direct and a.content[1] <= quote.start and a.cue[1] <= quote.start]
        if not before:
            continue
        last = max(before, key=lambda a: a.content[1])
        in_cue_sentence = quote.start < last.sentence_end
        if (
            not in_cue_sentence
            and doc_text(doc)[max(last.sentence_end, last.content[1]) : quote.start].strip()
        ):
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
        if inside_sentence and not in_content and time.timex_type == "DATE" and time.start is not None:
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
    hedges = (
        lexicon.hedges_in(content)
        + tuple(h for h in lexicon.hedges_in(sentence) if h not in lexicon.hedges_in(content))
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


def _has_number(sentence: Span, lexicon: AttributionLexicon) -> bool:
    return any(
        t.like_num or t.lower_ in lexicon.number_words or any(c.isdigit() for c in t.text) for t in sentence
    )


def _outlet_claims(
    doc: Doc,
    analysis: ArticleAnalysis,
    found: list[Attribution],
    quotes: list[QuoteSpan],
    lexicon: AttributionLexicon,
) -> list[Claim]:
    """Unattributed sentences carrying a number: the outlet's own assertions, for the claim ledger."""
    claims: list[Claim] = []
    for sentence in doc.sents:
        start, end = sentence.start_char, sentence.end_char
        if any(a.sentence_start < end and start < a.sentence_end for a in found):
            continue
        if quote_overlapping(quotes, start, end) is not None or not _has_number(sentence, lexicon):
            continue
        text = sentence.text.strip()
        if len(text.split()) < 4:
            continue
        claims.append(
            Claim(
                evidence=Evidence(analysis.article.id, start, start + len(text)),
                content=text,
                speaker=None,
                speaker_kind="outlet",
                hedges=lexicon.hedges_in(text),
            )
        )
    return claims
