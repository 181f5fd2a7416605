"""Read one attribution off the dependency parse: source, cue and content spans around a cue word.

Input: a cue token (speech verb or "according"), the article's quotations. Output: an ``Attribution``
with character spans for cue and content and token bounds for the source, following PolNeAR's
conventions learned from its train split: sources are whole noun phrases (determiners, titles,
appositions and relative clauses in), content keeps its "that" and its quote marks, cues are the verb
with its auxiliaries, adverbs and what stands between it and the content ("has said in a statement").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.nlp.attribution_cues import AttributionLexicon
from storyline.nlp.quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A passive's grammatical subject is what was said, not who said it ("X is believed to …").
SUBJECT_DEPS = ("nsubj", "csubj")
CUE_PREFIX_DEPS = ("aux", "auxpass", "neg")
CUE_PREFIX_WORDS = frozenset({"also", "later", "then", "previously", "repeatedly", "again", "first"})
# Children that end a verb phrase's content: a coordinated clause is its own statement.
CONTENT_STOP_DEPS = frozenset({"cc", "conj", "punct", "mark", "advcl", "dative", "npadvmod", "agent"})
TRAILING_PUNCT = ".,;:—–- \n"  # "?" and "!" stay: PolNeAR keeps them in content
EXPLETIVES = frozenset({"it", "there"})
DATELINE_DASHES = frozenset({"–", "—", "--", "-"})
# Tokens a cue may run over up to its content ("said in a statement", "pointed out", "called for").
CUE_GAP_DEPS = frozenset(
    {
        "prt",
        "prep",
        "pobj",
        "det",
        "amod",
        "compound",
        "advmod",
        "npadvmod",
        "pcomp",
        "poss",
        "nummod",
        "punct",
        "case",
    }
)
MAX_CUE_GAP_TOKENS = 12
# A content counts as a direct quote when quotations cover this share of it.
DIRECT_QUOTE_SHARE = 0.6
MAX_WORDS_BEFORE_QUOTE = 4
QUOTE_MARK_TOKENS = frozenset({"“", "”", '"', "‘", "’", "``", "''"})
PHRASE_BREAKS = frozenset({",", "(", "—", "–", ":", ";", "“", "”", '"'})
LEADING_SOURCE_DEPS = frozenset({"advmod", "cc", "preconj", "punct"})
TRAILING_SOURCE_WORDS = frozenset({"both", "all", "themselves", "himself", "herself", "alone"})
SENTENCE_INDEX_KEY = "storyline.claims.sentence_index"
TEXT_KEY = "storyline.claims.text"
# Verb heads an attribution may borrow its subject from ("…, saying that …", "and added that …").
SUBJECT_INHERITING_DEPS = ("advcl", "xcomp", "conj", "ccomp", "pcomp", "prep")
# Clause-taking verbs that attribute when their subject is a person or group (see ``reports_clause``).
CLAUSE_DEPS = frozenset({"ccomp"})
HUMAN_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
HUMAN_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Verbs whose clause is an event or a causation, not something held or said ("made sure it ran").
NON_REPORTING_CLAUSE_LEMMAS = frozenset({"make", "let", "have", "get", "go", "do", "be", "help", "become"})
# Noun cues: what introduces their content, and which left modifiers PolNeAR counts as cue.
NOUN_CLAUSE_DEPS = frozenset({"acl", "ccomp", "appos"})
NOUN_CONTENT_PREPS = frozenset({"about", "of", "on", "against", "over", "toward", "towards", "for", "to"})
NOUN_CUE_PREFIX_DEPS = frozenset({"det", "amod", "compound"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """Spans of one attribution before it becomes a ``Claim``."""

    content: tuple[int, int]  # characters
    cue: tuple[int, int]  # characters
    cue_lemma: str
    source: tuple[int, int] | None  # token indices [start, end)
    direct: bool
    sentence_start: int
    sentence_end: int
    extra_hedges: tuple[str, ...] = ()
    parts: tuple[tuple[int, int], ...] = ()  # content pieces of a split quotation (empty: one piece)


def doc_text(doc: Doc) -> str:
    """``Doc.text`` joins every token on each access; read it once per doc."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text  # type: ignore[no-any-return]


def sentence_of(token: Token) -> Span:
    """The sentence of a token. ``Token.sent`` walks every sentence of the doc on each call, so the
    sentences are indexed once per doc (in ``doc.user_data``) and looked up from then on."""
    doc = token.doc
    index = doc.user_data.get(SENTENCE_INDEX_KEY)
    if index is None:
        sentences = list(doc.sents)
        owner = [0] * len(doc)
        for number, sentence in enumerate(sentences):
            owner[sentence.start : sentence.end] = [number] * len(sentence)
        index = (sentences, owner)
        doc.user_data[SENTENCE_INDEX_KEY] = index
    sentences, owner = index
    return sentences[owner[token.i]]


def quote_overlapping(quotes: list[QuoteSpan], start: int, end: int) -> QuoteSpan | None:
    for quote in quotes:
        if quote.start < end and start < quote.end:
            return quote
    return None


def _char_span(tokens: list[Token]) -> tuple[int, int]:
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing punctuation and spaces, but keep a closing quote mark and what it closes."""
    while end > start and text[end - 1] in TRAILING_PUNCT:
        end -= 1
    while start < end and text[start] in ",;:—– \n":
        start += 1
    return start, end


def _with_quotes(
    text: str, quotes: list[QuoteSpan], start: int, end: int, cue: tuple[int, int]
) -> tuple[int, int]:
    """Grow a content span to the quotations it overlaps, unless that would swallow the cue."""
    for quote in quotes:
        if quote.start < end and start < quote.end:
            if quote.start <= cue[0] < quote.end:
                continue
            new_start, new_end = min(start, quote.start), max(end, quote.end)
            if start <= cue[0] < end or not (new_start <= cue[0] < new_end):
                start, end = new_start, new_end
    return start, end


def _is_direct(quotes: list[QuoteSpan], start: int, end: int) -> bool:
    covered = sum(max(0, min(end, q.end) - max(start, q.start)) for q in quotes)
    return end > start and covered >= DIRECT_QUOTE_SHARE * (end - start)


def _breaks_phrase(token: Token) -> bool:
    return token.is_space or "\n" in token.text or token.text in PHRASE_BREAKS


def speaker_core_bounds(subject: Token) -> tuple[int, int]:
    """Token bounds of the speaker's name or description alone, without what follows a comma (ages,
    appositions), relative clauses or participles: "Anna Berg" in "Anna Berg, who leads …, said"."""
    doc = subject.doc
    excluded = {t.i for child in subject.children if child.dep_ in ("relcl", "acl") for t in child.subtree}
    end = subject.i + 1
    for token in doc[subject.i + 1 : subject.right_edge.i + 1]:
        if _breaks_phrase(token) or token.i in excluded:
            break
        end = token.i + 1
    start = subject.i
    for token in reversed(doc[subject.left_edge.i : subject.i]):
        if _breaks_phrase(token) or token.dep_ in LEADING_SOURCE_DEPS:
            break
        start = token.i
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return start, end


def source_bounds(subject: Token) -> tuple[int, int]:
    """Token bounds of a subject's whole noun phrase, as PolNeAR marks sources: determiners, titles,
    appositions, parentheses and relative clauses in ("Sen. X (R-Texas), also a hopeful,"); sentence
    adverbs ("Meanwhile", "Only") and anything across a line break out."""
    doc = subject.doc
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    for token in doc[start : subject.i]:
        if token.is_space or "\n" in token.text_with_ws:
            start = token.i + 1
    start = _after_dateline(doc, start, end)
    for token in doc[subject.i + 1 : end]:
        if token.is_space or "\n" in token.text or token.text in QUOTE_MARK_TOKENS:
            end = token.i
            break
    while start < subject.i and (doc[start].dep_ in LEADING_SOURCE_DEPS or doc[start].is_punct):
        start += 1
    inner_commas = sum(1 for t in doc[start : end - 1] if t.text == ",")
    while end - 1 > subject.i and doc[end - 1].is_punct and doc[end - 1].text != ")":
        if doc[end - 1].text == "," and inner_commas:
            break  # an apposition closed by a comma: PolNeAR keeps that comma
        end -= 1
    while end - 1 > subject.i and doc[end - 1].lower_ in TRAILING_SOURCE_WORDS:
        end -= 1
    return start, end


def _after_dateline(doc: Doc, start: int, end: int) -> int:
    """Skip a dateline ("CITY, July 9 (Agency) – Officials …") that the parser put into the source; a
    dash counts as a dateline's when it follows ")" or an all-caps place name."""
    for token in doc[start + 1 : end - 1]:
        before = doc[token.i - 1]
        if token.text in DATELINE_DASHES and (before.text == ")" or before.text.isupper() and len(before) > 1):
            start = token.i + 1
    return start


def _same_paragraph(a: Token, b: Token) -> bool:
    """False when the parser ran a sentence over a paragraph break (a headline glued to the lead)."""
    first, last = (a, b) if a.i < b.i else (b, a)
    return "\n" not in doc_text(a.doc)[first.idx : last.idx]


def _find_subject(cue: Token) -> Token | None:
    token: Token | None = cue
    for _ in range(4):
        if token is None:
            return None
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS and child.lower_ not in EXPLETIVES:
                return child if _same_paragraph(child, cue) else None
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return objects[0] if _same_paragraph(objects[0], cue) else None
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        if passive or token.dep_ not in SUBJECT_INHERITING_DEPS or token.head is token:
            return None
        token = token.head
    return None


def _cue_span(cue: Token) -> tuple[int, int]:
    tokens = [cue]
    for child in sorted(cue.children, key=lambda t: -t.i):
        if (
            child.i < cue.i
            and child.i == min(t.i for t in tokens) - 1
            and (child.dep_ in CUE_PREFIX_DEPS or child.dep_ == "advmod" or child.lower_ in CUE_PREFIX_WORDS)
        ):
            tokens.append(child)
    for child in cue.children:
        if child.dep_ == "agent" and child.i == cue.i + 1:
            tokens.append(child)
    return _char_span(tokens)


def _clausal(cue: Token) -> bool:
    return any(c.dep_ in ("ccomp", "xcomp") and _same_paragraph(c, cue) for c in cue.children)


def _content_tokens(cue: Token, subject: Token | None) -> list[Token]:
    """The cue's complement: a that-clause, an infinitive, or its object phrase."""
    for child in cue.children:
        # A clause across a paragraph break is another sentence the parser glued on, not the content.
        if child.dep_ == "ccomp" and (subject is None or child.i != subject.i) and _same_paragraph(child, cue):
            return list(child.subtree)
    for child in cue.children:
        if child.dep_ == "xcomp" and child.i > cue.i:
            return list(child.subtree)
    # An inverted subject ("…, said Ann Lee") is the source, never part of the content.
    right = [c for c in cue.children if c.i > cue.i and c.dep_ not in SUBJECT_DEPS and c is not subject]
    tokens: list[Token] = []
    for child in sorted(right, key=lambda t: t.i):
        if child.dep_ in CONTENT_STOP_DEPS:
            if tokens:
                break
            continue
        objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
        if child.dep_ == "prep" and not tokens and objects:
            tokens.extend(objects[0].subtree)  # "called for X": the preposition belongs to the cue
            continue
        tokens.extend(child.subtree)
    return tokens


def _within_paragraph(text: str, anchor: int, start: int, end: int) -> tuple[int, int]:
    """Clip a parse-derived span to the anchor's paragraph: the parser runs sentences over paragraph
    breaks (a headline or the previous paragraph glued on); quotations that truly continue over
    paragraphs are added back from their marks afterwards."""
    paragraph_start = text.rfind("\n", 0, anchor) + 1
    paragraph_end = text.find("\n", anchor)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    return max(start, paragraph_start), min(end, paragraph_end)


def _content_span(
    cue: Token,
    subject: Token | None,
    quotes: list[QuoteSpan],
    cue_chars: tuple[int, int],
    lexicon: AttributionLexicon,
    strong: bool,
) -> tuple[int, int] | None:
    content_tokens = _content_tokens(cue, subject)
    if content_tokens and not _clausal(cue) and not (strong or lexicon.strong_cue(cue)):
        return None  # weak cue verbs ("backed", "spoke") count only with a clause or a quotation
    passive_subject = next(
        (c for c in cue.children if c.dep_ == "nsubjpass" and c.lower_ not in EXPLETIVES), None
    )
    if passive_subject is not None and content_tokens and any(c.dep_ == "xcomp" for c in cue.children):
        content_tokens = [*passive_subject.subtree, *content_tokens]  # "X is said to have …": X belongs in it
    # Without a clause, a quotation in the sentence is what was said ("“…,” X told the paper").
    quote = None if _clausal(cue) else _quote_in_sentence(quotes, sentence_of(cue), cue_chars, subject)
    if quote is not None:
        start, end = quote.start, quote.end
    elif content_tokens:
        start, end = _within_paragraph(doc_text(cue.doc), cue.idx, *_char_span(content_tokens))
    else:
        return None
    text = doc_text(cue.doc)
    start, end = _with_quotes(text, quotes, start, end, cue_chars)
    start, end = _trim(text, start, end)
    return (start, end) if end > start else None


def _parenthetical_content(
    cue: Token, subject: Token | None, quotes: list[QuoteSpan], cue_chars: tuple[int, int]
) -> tuple[int, int] | None:
    """ "Many of them, he said, have closed": a cue inserted into the clause it reports. PolNeAR marks the
    whole clause as content, the inserted source and cue included, so the content is the head's extent."""
    if cue.dep_ != "parataxis" or subject is None:
        return None
    if any(c.i > cue.i and not c.is_punct for c in cue.children):
        return None  # "he said on Monday …" with its own material is not a bare insertion
    head = cue.head
    sentence = sentence_of(cue)
    first = max(head.left_edge.i, sentence.start)
    last = min(head.right_edge.i, sentence.end - 1)
    text = doc_text(cue.doc)
    start, end = cue.doc[first].idx, cue.doc[last].idx + len(cue.doc[last])
    start, end = _within_paragraph(text, cue.idx, start, end)
    start, end = _with_quotes(text, quotes, start, end, (start, start))
    start, end = _trim(text, start, end)
    return (start, end) if end > start else None


def _extend_cue(cue: Token, cue_chars: tuple[int, int], content_start: int) -> tuple[int, int]:
    """PolNeAR cues run up to their content: "said in a statement", "pointed out", "called for", "said:"."""
    if content_start < cue_chars[1]:
        return cue_chars
    gap = [t for t in cue.doc[cue.i + 1 : sentence_of(cue).end] if cue_chars[1] <= t.idx < content_start]
    if not gap or len(gap) > MAX_CUE_GAP_TOKENS:
        return cue_chars
    if any(t.dep_ not in CUE_GAP_DEPS or t.is_space or t.text in QUOTE_MARK_TOKENS for t in gap):
        return cue_chars
    while gap and gap[-1].is_punct and gap[-1].text != ":":
        gap.pop()
    return (cue_chars[0], gap[-1].idx + len(gap[-1])) if gap else cue_chars


def reports_clause(token: Token) -> bool:
    """A verb outside the lexicon that still attributes: a person or group (a pronoun or a named
    entity) whose clause-taking verb reports a stance or belief ("she doubts the plan will pass",
    "they wanted to leave"); PolNeAR counts these as attributions."""
    if token.pos_ != "VERB" or token.lemma_.lower() in NON_REPORTING_CLAUSE_LEMMAS:
        return False
    if not any(c.dep_ in CLAUSE_DEPS and c.i > token.i for c in token.children):
        return False
    subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    return subject.lower_ in HUMAN_PRONOUNS or subject.ent_type_ in HUMAN_ENTITY_LABELS


def attribution_from_cue(
    cue: Token, quotes: list[QuoteSpan], lexicon: AttributionLexicon, strong: bool = False
) -> Attribution | None:
    """The attribution around a speech verb, or None when it has no content (a non-speech use).
    ``strong``: the cue classifier is confident, so an object alone may be the content."""
    subject = _find_subject(cue)
    is_passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
    if subject is None and not is_passive and cue.dep_ == "xcomp":
        return None  # "to tell the difference": an infinitive without a source is rarely an attribution
    cue_chars = _cue_span(cue)
    content = _content_span(cue, subject, quotes, cue_chars, lexicon, strong) or _parenthetical_content(
        cue, subject, quotes, cue_chars
    )
    if content is None:
        return None
    cue_chars = _extend_cue(cue, cue_chars, content[0])
    hedges: tuple[str, ...] = ()
    if is_passive and subject is None and cue.lemma_.lower() in lexicon.passive_hedge_lemmas:
        hedges = (doc_text(cue.doc)[cue_chars[0] : cue_chars[1]].lower(),)
    return Attribution(
        content=content,
        cue=cue_chars,
        cue_lemma=cue.lemma_.lower(),
        source=source_bounds(subject) if subject is not None else None,
        direct=_is_direct(quotes, *content),
        sentence_start=sentence_of(cue).start_char,
        sentence_end=sentence_of(cue).end_char,
        extra_hedges=hedges,
    )


def _adjacent(text: str, quote: QuoteSpan, block_start: int, block_end: int) -> bool:
    """A quotation right before the source-and-cue block ("“…,” X said") or just after it, with at
    most a few words between ("X told reporters: “…”"); a quote further away belongs to another verb."""
    if quote.end <= block_start:
        return not text[quote.end : block_start].strip(" ,;:—–\n")
    if quote.start >= block_end:
        return len(text[block_end : quote.start].split()) <= MAX_WORDS_BEFORE_QUOTE
    return False


def _quote_in_sentence(
    quotes: list[QuoteSpan], sentence: Span, cue: tuple[int, int], subject: Token | None
) -> QuoteSpan | None:
    """The quotation adjacent to the cue (and its subject) in the cue's sentence."""
    text = doc_text(sentence.doc)
    block_start, block_end = cue
    if subject is not None:
        first, last = speaker_core_bounds(subject)
        block_start = min(block_start, sentence.doc[first].idx)
        block_end = max(block_end, sentence.doc[last - 1].idx + len(sentence.doc[last - 1]))
    # The parser sometimes ends a sentence at a closing mark ("…,'' | said X"), so a quotation right
    # before the block counts even outside the cue's sentence, as long as no paragraph break separates them.
    candidates = [
        q
        for q in quotes
        if (q.start < sentence.end_char and sentence.start_char < q.end or q.end <= block_start)
        and "\n" not in text[min(q.end, block_start) : max(q.start, block_start)]
        and _adjacent(text, q, block_start, block_end)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda q: min(abs(q.end - cue[0]), abs(q.start - cue[1])))


def according_to(according: Token) -> Attribution | None:
    """ "according to X, …" / "…, according to X": X is the source, the rest of the clause the content."""
    to = next((c for c in according.children if c.lower_ == "to"), None)
    if to is None and according.i + 1 < len(according.doc) and according.nbor(1).lower_ == "to":
        to = according.nbor(1)
    if to is None:
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    phrase = [according, *to.subtree]
    phrase_start, phrase_end = min(t.i for t in phrase), max(t.i for t in phrase) + 1
    sentence = sentence_of(according)
    text = doc_text(according.doc)
    if phrase_start - sentence.start <= 1:
        start, end = (
            according.doc[phrase_end].idx if phrase_end < len(according.doc) else sentence.end_char,
            sentence.end_char,
        )
    else:
        start, end = sentence.start_char, according.idx
    start, end = _trim(text, start, end)
    if end <= start:
        return None
    return Attribution(
        content=(start, end),
        cue=(according.idx, to.idx + len(to)),
        cue_lemma="according to",
        source=source_bounds(objects[0]),
        direct=False,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )


def _that_clause(noun: Token) -> Token | None:
    """The clause a noun introduces with "that" ("the claim that X"), not a relative clause."""
    for child in noun.children:
        if child.i > noun.i and child.dep_ in NOUN_CLAUSE_DEPS:
            if any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                return child
    return None


def _noun_source(noun: Token) -> tuple[int, int] | None:
    """The possessor ("his", "the judges’") or, for an object noun, its verb's subject ("critics voiced
    concerns"). PolNeAR keeps the possessive mark with the source."""
    possessor = next((c for c in noun.children if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor.left_edge.i, possessor.right_edge.i + 1
    if noun.dep_ == "dobj":
        subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ not in EXPLETIVES and _same_paragraph(subject, noun):
            return source_bounds(subject)
    return None


def noun_attribution(noun: Token, quotes: list[QuoteSpan]) -> Attribution | None:
    """A noun cue with its content: "his suggestion that …", "concerns about …", "criticism of …"."""
    clause = _that_clause(noun)
    cue_tokens = [noun]
    for child in sorted(noun.children, key=lambda t: -t.i):
        if child.i == min(t.i for t in cue_tokens) - 1 and child.dep_ in NOUN_CUE_PREFIX_DEPS:
            cue_tokens.append(child)
    if clause is not None:
        content_tokens = list(clause.subtree)
    else:
        prep = next(
            (c for c in noun.children if c.dep_ == "prep" and c.i > noun.i and c.lower_ in NOUN_CONTENT_PREPS),
            None,
        )
        objects = [g for g in prep.children if g.dep_ in ("pobj", "pcomp")] if prep is not None else []
        if prep is None or not objects:
            return None
        cue_tokens.append(prep)
        content_tokens = list(objects[0].subtree)
    text = doc_text(noun.doc)
    cue_chars = _char_span(cue_tokens)
    start, end = _within_paragraph(text, noun.idx, *_char_span(content_tokens))
    start, end = _trim(text, *_with_quotes(text, quotes, start, end, cue_chars))
    if end <= start:
        return None
    sentence = sentence_of(noun)
    return Attribution(
        content=(start, end),
        cue=cue_chars,
        cue_lemma=noun.lemma_.lower(),
        source=_noun_source(noun),
        direct=_is_direct(quotes, start, end),
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )
