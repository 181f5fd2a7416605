"""Run spaCy's NER only near the tokens that can be part of an entity (issue #8: NER is most of the model's time).

Input: a tagged, parsed Doc (tags from the tagger, sentence starts from the parser). Output: the same Doc
with ``doc.ents`` set by the stock ``ner`` run on a shorter Doc: the tokens within a few of a capitalised
word, a number, a proper-noun tag or a calendar/amount word; the rest are outside any entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any

import numpy
from spacy.attrs import NORM, ORTH, SENT_START, SPACY, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

# Tagger tags that announce a name or a number; the tagger has already run when NER's turn comes.
ENTITY_TAGS = frozenset({"NNP", "NNPS", "CD"})

# Lowercase words the stock model tags inside DATE / TIME / CARDINAL / ORDINAL / MONEY / PERCENT / QUANTITY
# entities without any capital or digit nearby ("last week", "three dozen", "a quarter", "tonight").
# Number and ordinal words are caught by ``like_num``; these are the calendar, unit and vague-amount words.
# Left out, measured on PolNeAR train: words never inside a stock entity unless a number, a calendar word or
# a name (itself a candidate) is next to them ("now", "former", "many", "once", "current", "conservative").
LOWERCASE_ENTITY_WORDS = frozenset(
    {
        # calendar and clock
        *("today", "tonight", "yesterday", "tomorrow", "ago", "later", "earlier"),
        *("morning", "afternoon", "evening", "night", "overnight", "midnight", "noon", "dawn", "dusk"),
        *("day", "days", "daily", "week", "weeks", "weekly", "weekend", "weekends", "fortnight"),
        *("month", "months", "monthly", "year", "years", "yearly", "annual", "annually", "decade", "decades"),
        *("century", "centuries", "hour", "hours", "hourly", "minute", "minutes", "second", "seconds"),
        *("season", "seasons", "spring", "summer", "fall", "autumn", "winter", "quarter", "quarters"),
        *("holiday", "holidays", "era", "age", "ages", "period", "semester", "anniversary"),
        *("past", "last", "next", "coming", "recent"),
        # amounts without digits
        *("dozen", "dozens", "hundreds", "thousands", "millions", "billions", "half", "once", "twice"),
        *("score", "scores", "couple", "several", "few", "double", "triple"),
        *("percent", "cent", "cents", "dollar", "dollars", "pound", "pounds", "euro", "euros"),
        *("mile", "miles", "kilometre", "kilometres", "kilometer", "kilometers", "metre", "metres"),
        *("meter", "meters", "feet", "foot", "inch", "inches", "acre", "acres", "ton", "tons", "tonnes"),
        # party names the model tags as NORP in lowercase use ("the democrats")
        *("democrat", "democrats", "republican", "republicans"),
    }
)


# Tags of words that open sentences without naming anything ("The", "But", "When", "It").
FUNCTION_TAGS = frozenset({"DT", "PRP", "PRP$", "IN", "CC", "WDT", "WP", "WP$", "WRB", "RB", "EX", "MD", "TO", "PDT"})

# Tokens kept on each side of a token that may start or continue an entity: NER's own tok2vec sees four
# tokens either way (window 1, depth 4), so with four the candidate tokens get the same vectors as in the
# whole-document run. Measured against stock NER (PolNeAR train+dev, bench corpus): 3 loses ~0.5% of the
# entities; 4 changes 0.04-0.35% of them (as many gained as lost) while skipping 28-36% of the tokens.
CONTEXT_MARGIN = 4


# What the candidate test needs to know of a word form (all lexeme properties: the same wherever it occurs).
WORD, SURE, CAPITALISED, STOP = 1, 2, 4, 8
FORMS_CAPACITY = 200_000


class _FormBits(dict[int, int]):
    """Word form (ORTH id) -> bits: WORD (neither space nor punctuation), SURE (number-like, a calendar or
    amount word, or a digit inside), CAPITALISED (first character upper case), STOP (a stop word). Shared
    by the docs of one vocab; cleared past ``FORMS_CAPACITY`` forms or when another vocab's doc comes."""

    def __init__(self) -> None:
        super().__init__()
        self.vocab: Any = None

    def __missing__(self, orth: int) -> int:
        lexeme = self.vocab[orth]
        text = lexeme.orth_
        sure = lexeme.like_num or lexeme.lower_ in LOWERCASE_ENTITY_WORDS or any(char.isdigit() for char in text)
        value = self[orth] = (
            (0 if lexeme.is_space or lexeme.is_punct else WORD)
            | (SURE if sure else 0)
            | (CAPITALISED if text[:1].isupper() else 0)
            | (STOP if lexeme.is_stop else 0)
        )
        return value

    def of(self, orths: Any, doc: Doc) -> Any:
        """Bits of every token (looked up once per distinct form of the doc)."""
        if len(self) > FORMS_CAPACITY or self.vocab is not doc.vocab:
            self.clear()
            self.vocab = doc.vocab
        forms, where = numpy.unique(orths, return_inverse=True)
        return numpy.fromiter(map(self.__getitem__, forms.tolist()), dtype=numpy.int64, count=len(forms))[where]


_FORMS = _FormBits()


def _as_ids(words: frozenset[str]) -> Any:
    """The string ids (hash, or symbol id) spaCy stores for ``words``: the same in every vocab."""
    return numpy.array(sorted(get_string_id(word) for word in words), dtype=numpy.uint64)


@lru_cache(maxsize=1)
def _tag_ids() -> tuple[Any, Any]:
    """ENTITY_TAGS and FUNCTION_TAGS as arrays of string ids."""
    return _as_ids(ENTITY_TAGS), _as_ids(FUNCTION_TAGS)


def entity_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens the stock NER could tag: not a space or punctuation, and either a proper-noun
    or number tag, a number-like word, a calendar/amount word or a word with a digit; or a capitalised word,
    unless it opens its sentence (no word since the sentence start) and is a stop or function word. Read
    from one ``Doc.to_array`` call and per-form bits, tested column-wise (a Python test per token cost
    ~1.5 ms an article)."""
    if not len(doc):
        return []
    columns = doc.to_array([TAG, ORTH, SENT_START])
    tag = columns[:, 0]
    bits = _FORMS.of(columns[:, 1], doc)
    entity_tags, function_tags = _tag_ids()
    word = (bits & WORD) != 0
    positions = numpy.arange(len(doc))
    # A token opens its sentence when no word stands between the sentence start and it.
    starts = columns[:, 2].astype(numpy.int64) == 1
    starts[0] = True
    last_start = numpy.maximum.accumulate(numpy.where(starts, positions, 0))
    last_word_before = numpy.maximum.accumulate(numpy.where(word, positions, -1))
    last_word_before = numpy.concatenate(([-1], last_word_before[:-1]))
    opening = last_word_before < last_start
    sure = ((bits & SURE) != 0) | numpy.isin(tag, entity_tags)
    plain_opener = opening & (((bits & STOP) != 0) | numpy.isin(tag, function_tags))
    capitalised = (bits & CAPITALISED) != 0
    found: list[int] = numpy.flatnonzero(word & (sure | (capitalised & ~plain_opener))).tolist()
    return found


def selected_tokens(doc: Doc, margin: int = CONTEXT_MARGIN) -> list[int]:
    """Sorted indices of the tokens NER must see: every candidate with ``margin`` tokens either side."""
    candidates = entity_candidates(doc)
    if not candidates:
        return []
    # +1 at each window's start, -1 past its end: a running sum above zero is inside some window.
    edges = numpy.zeros(len(doc) + 1, dtype=numpy.int64)
    at = numpy.array(candidates, dtype=numpy.int64)
    numpy.add.at(edges, numpy.maximum(at - margin, 0), 1)
    numpy.add.at(edges, numpy.minimum(at + margin + 1, len(doc)), -1)
    kept: list[int] = numpy.flatnonzero(numpy.cumsum(edges[:-1]) > 0).tolist()
    return kept


def selection_doc(doc: Doc, kept: list[int]) -> Doc:
    """A Doc of the kept tokens in order (norms copied: tokenizer exceptions set them, e.g. "n't" → "not");
    a gap in the selection becomes a space so the pieces do not glue together."""
    if not kept:
        return Doc(doc.vocab, words=[], spaces=[])
    columns: Any = doc.to_array([ORTH, SPACY, NORM])[kept]  # uint64 hashes; spaCy's stub calls it float
    strings = doc.vocab.strings
    words = [strings[orth] for orth in columns[:, 0].tolist()]
    glued = numpy.diff(numpy.array(kept)) == 1  # the next kept token follows this one in the text
    spaces = ((columns[:, 1] != 0) | numpy.append(~glued, False)).tolist()
    piece = Doc(doc.vocab, words=words, spaces=spaces)
    piece.from_array([NORM], columns[:, 2:3])
    return piece


def map_entities_back(doc: Doc, piece: Doc, kept: list[int]) -> None:
    """Copy the piece's entities onto the document (an entity straddling a gap in the selection is dropped:
    its tokens were not contiguous in the text); every other token is outside any entity, as stock NER sets."""
    spans = []
    for ent in piece.ents:
        start, last = kept[ent.start], kept[ent.end - 1]
        if last - start == ent.end - 1 - ent.start:
            spans.append(Span(doc, start, last + 1, label=ent.label))
    doc.set_ents(spans, default="outside")


class SelectiveEntityRecognizer:
    """Pipeline component standing in for ``ner``: runs the (disabled) stock recognizer on the selected
    tokens of each document, in batches as ``nlp.pipe`` hands them over."""

    def __init__(self, ner: Any, margin: int = CONTEXT_MARGIN) -> None:
        self.ner = ner
        self.margin = margin

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            yield from self.recognize(batch)

    def recognize(self, docs: list[Doc]) -> list[Doc]:
        kept = [selected_tokens(doc, self.margin) for doc in docs]
        pieces = [selection_doc(doc, indices) for doc, indices in zip(docs, kept, strict=True)]
        runnable = [piece for piece in pieces if len(piece)]
        if runnable:
            self.ner.set_annotations(runnable, self.ner.predict(runnable))
        for doc, piece, indices in zip(docs, pieces, kept, strict=True):
            map_entities_back(doc, piece, indices)
        return docs
