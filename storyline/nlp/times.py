"""Stage times.v1: find time expressions and normalize them to TIMEX3 values against the article date.

Input: the spaCy doc (only for tense and part-of-speech checks) and ``analysis.article.published`` as the
document creation time (DCT). Output: ``TimeRef`` records; plus ``estimate_publication_date`` (regex only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from storyline.nlp import timegrammar as g
from storyline.nlp.doc_index import doc_text
from storyline.nlp.time_fiscal import sets_quarter_topic
from storyline.nlp.timecalendar import value_bounds
from storyline.nlp.timenormalize import NORMALIZERS, RULE_RANK, Anchor, Normalized, NotATime, month_number
from storyline.records import DatePrecision, Evidence, TimeRef

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.pipeline import Context
    from storyline.records import ArticleAnalysis


FUTURE_AUXILIARIES = frozenset({"will", "'ll", "shall", "wo", "gon"})
# Modals put the event in an unrealised (usually later) time: "could come as soon as Tuesday".
IRREALIS_AUXILIARIES = frozenset({"would", "might", "could", "may", "should", "must", "can", "'d"})


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    rule: str
    match: re.Match[str]


_WORD_END = re.compile(r"\s|$")


def _trigger_windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Per triggered rule, merged character windows around its trigger words (ending at a word end)."""
    windows: dict[str, list[tuple[int, int]]] = {name: [] for name in g.TRIGGERS}
    for hit in g.ANY_TRIGGER.finditer(text):
        start = max(0, hit.start() - g.TRIGGER_BEFORE)
        boundary = _WORD_END.search(text, min(len(text), hit.end() + g.TRIGGER_AFTER))
        end = boundary.start() if boundary else len(text)
        for name, trigger in g.TRIGGERS.items():
            if not trigger.match(text, hit.start()):
                continue
            spans = windows[name]
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
    return windows


def _rule_matches(
    name: str, pattern: re.Pattern[str], text: str, windows: dict[str, list[tuple[int, int]]]
) -> list[re.Match[str]]:
    """The rule's matches, searched only around its trigger words when it has some (for speed)."""
    if name not in windows:
        prefilter = g.PREFILTERS.get(name)
        if prefilter is not None and prefilter.search(text) is None:
            return []
        return list(pattern.finditer(text))
    return [match for start, end in windows[name] for match in pattern.finditer(text, start, end)]


def find_candidates(text: str) -> list[Candidate]:
    """Every grammar match, then the longest non-overlapping ones (earlier rule wins a tie), in text order."""
    windows = _trigger_windows(text)
    found = [
        Candidate(m.start(), m.end(), name, m)
        for name, pattern in g.RULES
        for m in _rule_matches(name, pattern, text, windows)
    ]
    found.sort(key=lambda c: (c.start - c.end, RULE_RANK[c.rule], c.start))
    taken: list[Candidate] = []
    for candidate in found:
        if all(candidate.end <= t.start or candidate.start >= t.end for t in taken):
            taken.append(candidate)
    return sorted(taken, key=lambda c: c.start)


def _token_at(doc: Doc | None, start: int, end: int):  # noqa: ANN202 - spaCy Token or None
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span[-1] if span is not None and len(span) else None


def _tense(doc: Doc | None, start: int, end: int) -> str:
    """Tense of the clause governing the expression: "future", "past", "present", or "" when unknown."""
    token = _token_at(doc, start, end)
    for _ in range(6):
        if token is None:
            return ""
        if token.pos_ in {"VERB", "AUX"}:
            auxiliaries = [c for c in token.children if c.dep_ in {"aux", "auxpass"}]
            if _is_infinitive(token, auxiliaries):
                # Unrealised relative to its governor: ahead when planned, past only in a past perfect.
                if _past_perfect_governor(token):
                    return "past"
                return "future" if token.head.lemma_.lower() in g.FUTURE_GOVERNORS else "present"
            if token.lower_ in FUTURE_AUXILIARIES or any(c.lower_ in FUTURE_AUXILIARIES for c in auxiliaries):
                return "future"
            if any(c.lower_ in IRREALIS_AUXILIARIES for c in auxiliaries):
                return "present"
            if token.lower_ == "going" and any(c.lower_ == "to" for c in token.head.children):
                return "future"
            if token.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lower_ in {"has", "have"} for c in auxiliaries):
                return "past"
            return "present"
        if token.head is token:
            return ""
        token = token.head
    return ""


def _is_infinitive(verb, auxiliaries: list) -> bool:  # noqa: ANN001 - spaCy token
    """A "to"-infinitive complement: "are expected [to join] in April", "agreed [to leave] by Friday"."""
    return verb.tag_ == "VB" and verb.dep_ in {"xcomp", "ccomp", "advcl"} and any(c.lower_ == "to" for c in auxiliaries)


def _past_perfect_governor(verb) -> bool:  # noqa: ANN001 - spaCy token
    """ "had been due to expire": the governing clause (or the one above it) is a past perfect."""
    governor = verb.head
    return any(c.lower_ in {"had", "'d"} for c in [*governor.children, *governor.head.children])


def _context_veto(candidate: Candidate, text: str, doc: Doc | None) -> str | None:
    """Why a grammar match is not a time expression in context, or None when it is one."""
    following = text[candidate.end : candidate.end + 20].split()
    after = following[0].lower().strip(".,;:") if following else ""
    rule, surface = candidate.rule, candidate.match.group().lower()
    if rule in {"weekday", "month"} and after in g.NAME_CONTINUATIONS:
        return f"part of a name ({after})"
    if rule == "reference" and surface in {"current", "recent"}:
        if after in g.NON_TEMPORAL_AFTER_CURRENT or not after.isalpha():
            return "adjective without a temporal reading"
    if rule == "month" and surface in {"may", "march"}:
        preceding = text[max(0, candidate.start - 12) : candidate.start].split()
        if not preceding or preceding[-1].lower().strip("-") not in g.MONTH_CUES_BEFORE:
            return f"lone '{surface}' without a preposition may be a verb or a name"
    if rule == "duration" and candidate.match["unit"].lower() == "quarter":
        if after == "of" or "-quarter" in surface:
            return "a fraction ('three-quarters', 'a quarter of')"
    if rule == "duration" and g.ORDINAL_SECOND.fullmatch(surface) and after.isalpha():
        if after not in g.DURATION_SECOND_FOLLOWERS:
            return "'a second <noun>' is the ordinal"
    return _syntax_veto(candidate, doc)


def _syntax_veto(candidate: Candidate, doc: Doc | None) -> str | None:
    """Vetoes that need the parse: adjectival "second", counts that look like years, discourse "now"."""
    token = _token_at(doc, candidate.start, candidate.end)
    if token is None:
        return None
    rule, match = candidate.rule, candidate.match
    if rule == "duration" and token.pos_ == "ADJ" and token.lower_ in {"second", "minute"}:
        return f"'{token.text}' is an adjective here"
    # "2000 troops" counts; "the 1990 invasion" dates a singular noun.
    if rule == "year" and not (match["mod"] or match["fiscal"]) and token.dep_ == "nummod":
        if token.head.tag_ in {"NNS", "NNPS"}:
            return "a count, not a year"
    if rule == "reference" and token.lower_ == "now" and token.dep_ == "cc":
        return "discourse 'now'"
    return None


def _is_set_context(text: str, candidate: Candidate, doc: Doc | None) -> bool:
    """ "$5 a year", "twice a day", "hundreds of interviews a day": an "a <unit>" after a rate or a
    counted plural is a SET, not a duration."""
    if candidate.rule != "duration" or not re.match(r"an?\s", candidate.match.group(), re.IGNORECASE):
        return False
    if g.RATE_BEFORE.search(text[max(0, candidate.start - 24) : candidate.start]) is not None:
        return True
    if doc is None:
        return False
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    return doc[span.start - 1].tag_ in g.COUNTED_TAGS_BEFORE_RATE


def find_times(
    text: str, published: datetime | date | None, doc: Doc | None = None, article_id: str = ""
) -> tuple[TimeRef, ...]:
    """Time expressions in ``text`` normalized against ``published`` (None: relative ones keep X's)."""
    dct = published.date() if isinstance(published, datetime) else published
    anchor = Anchor(dct)
    refs: list[TimeRef] = []
    for candidate in find_candidates(text):
        if _context_veto(candidate, text, doc):
            continue
        anchor = replace(anchor, tense=_anchor_tense(candidate, text, doc))
        result = NORMALIZERS[candidate.rule](candidate.match, anchor)
        if isinstance(result, NotATime):
            continue
        if _is_set_context(text, candidate, doc):
            result = Normalized("SET", result.value)
        anchor = _advance_topic(anchor, candidate, result)
        refs.append(_time_ref(candidate, result, article_id))
    return tuple(refs)


def _anchor_tense(candidate: Candidate, text: str, doc: Doc | None) -> str:
    """The clause tense, overridden by words that fix the direction: "since May" looks back,
    "payable Dec. 7" / "effective Feb. 1" look ahead."""
    before = text[max(0, candidate.start - 24) : candidate.start].lower().split()
    previous = before[-1] if before else ""
    if previous == "since":
        return "past"
    tense = _tense(doc, candidate.start, candidate.end)
    if previous in g.FORWARD_CUES or (previous in g.DEADLINE_CUES and tense != "past"):
        return "future"
    return tense


def _advance_topic(anchor: Anchor, candidate: Candidate, result: Normalized) -> Anchor:
    """Carry the document's discourse state: the quarter under discussion and the narrative's year."""
    quarter_match = re.fullmatch(r"(\d{4})-Q([1-4])", result.value)
    if quarter_match and candidate.rule == "quarter" and sets_quarter_topic(candidate.match):
        anchor = replace(anchor, quarter=(int(quarter_match[1]), int(quarter_match[2])))
    if candidate.match.groupdict().get("year") and candidate.rule in g.EXPLICIT_YEAR_RULES:
        anchor = replace(anchor, narrative_year=int(candidate.match["year"]))
    return anchor


def _time_ref(candidate: Candidate, result: Normalized, article_id: str) -> TimeRef:
    text, start = candidate.match.group(), candidate.start
    # TimeML leaves the article out of a hyphenated adjective: "the [two-week] truce".
    article = re.match(r"the\s+(?=\S+-\S+$)", text, re.IGNORECASE) or (
        re.match(r"the\s+(?=[a-z]+s$)", text, re.IGNORECASE) if result.value.startswith("PX") else None
    )
    if article:
        text, start = text[article.end() :], start + article.end()
    bounds = value_bounds(result.value) if result.timex_type in {"DATE", "TIME"} else None
    first, last, precision = bounds if bounds else (None, None, None)
    return TimeRef(
        evidence=Evidence(article_id, start, candidate.end),
        text=text,
        timex_type=result.timex_type,
        value=result.value,
        start=first,
        end=last,
        precision=precision,
    )


def extract_times(doc: Doc, analysis: ArticleAnalysis, ctx: Context) -> tuple[TimeRef, ...]:
    """Stage times.v1: the article's time expressions, anchored on its publication date."""
    article = analysis.article
    return find_times(article.text, article.published, doc if doc_text(doc) == article.text else None, article.id)


def estimate_publication_date(text: str) -> tuple[datetime, DatePrecision] | None:
    """A publication date guessed from the text's own full dates: the latest one, never a future one.

    Conservative: only complete dates count. A bare year ("since 2012", "in 2014") says when something
    began or happened, not when the report was written, so it yields None rather than a weak guess.
    """
    today = datetime.now().date()
    days: list[date] = []
    for pattern in g.FULL_DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            try:
                if parts.get("month"):
                    day = date(int(parts["year"]), month_number(parts["month"]), int(re.sub(r"\D", "", parts["day"])))
                else:
                    day = date(int(parts["year"]), int(parts["m"]), int(parts["d"]))
            except ValueError:
                continue
            if day <= today:
                days.append(day)
    if days:
        return datetime.combine(max(days), datetime.min.time()), DatePrecision.DAY
    return None


_SINCE = re.compile(r"\b(?:since|ever since|as of|starting(?: in| on)?)\s*$", re.IGNORECASE)


def is_start_anchor(text: str, time: TimeRef) -> bool:
    """True for "since 2012"-style expressions: they date when a state began, not when the sentence's
    event happened or its statement was made, so events and claims must not take them as their date."""
    return _SINCE.search(text[max(0, time.evidence.start - 20) : time.evidence.start]) is not None
