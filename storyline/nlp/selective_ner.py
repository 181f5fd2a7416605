"""Run spaCy's NER only near the tokens that can be part of an entity (issue #8: NER is most of the model's time).

Input: a tagged, parsed Doc (tags from the tagger, sentence starts from the parser). Output: the same Doc
with ``doc.ents`` set by the stock ``ner`` run on a shorter Doc: the tokens within a few of a capitalised
word, a number, a proper-noun tag or a calendar/amount word; the rest are outside any entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from spacy.attrs import NORM
from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from spacy.tokens import Token

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


def may_start_entity(token: Token, opening: bool) -> bool:
    """True for a token the stock NER could tag: a proper-noun or number tag, a digit or number word, a
    calendar/amount word, a capitalised word (at a sentence's opening only when it is not a function word)."""
    if token.tag_ in ENTITY_TAGS or token.like_num or token.lower_ in LOWERCASE_ENTITY_WORDS:
        return True
    text = token.text
    if any(char.isdigit() for char in text):
        return True
    if not text[:1].isupper():
        return False
    return not opening or not (token.is_stop or token.tag_ in FUNCTION_TAGS)


def entity_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens that may start or continue an entity (see ``may_start_entity``)."""
    found: list[int] = []
    opening = True
    for token in doc:
        if token.is_sent_start:
            opening = True
        if token.is_space or token.is_punct:
            continue
        if may_start_entity(token, opening):
            found.append(token.i)
        opening = False
    return found


def selected_tokens(doc: Doc, margin: int = CONTEXT_MARGIN) -> list[int]:
    """Sorted indices of the tokens NER must see: every candidate with ``margin`` tokens either side."""
    keep = bytearray(len(doc))
    for i in entity_candidates(doc):
        low, high = max(0, i - margin), min(len(doc), i + margin + 1)
        keep[low:high] = b"\x01" * (high - low)
    return [i for i, flag in enumerate(keep) if flag]


def selection_doc(doc: Doc, kept: list[int]) -> Doc:
    """A Doc of the kept tokens in order (norms copied: tokenizer exceptions set them, e.g. "n't" → "not");
    a gap in the selection becomes a space so the pieces do not glue together."""
    words = [doc[i].text for i in kept]
    spaces = [bool(doc[i].whitespace_) or (n + 1 < len(kept) and kept[n + 1] != i + 1) for n, i in enumerate(kept)]
    piece = Doc(doc.vocab, words=words, spaces=spaces)
    if kept:
        norms: Any = doc.to_array([NORM])[kept]  # uint64 hashes; spaCy's stub calls it float
        piece.from_array([NORM], norms)
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
