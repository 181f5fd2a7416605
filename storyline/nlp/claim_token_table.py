"""The token attributes the claims stage scans, read once per doc into plain Python lists.

Input: a parsed spaCy ``Doc``. Output: a ``TokenTable`` (lower form, lower-cased lemma, POS, tag, dependency,
entity type, head, children, offset and length of every token), cached in ``doc.user_data``. spaCy builds a
new ``Token`` on every ``doc[i]``, ``token.children`` or ``token.head``; the scan over every word reads lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc

TOKEN_TABLE_KEY = "storyline.claims.token_table"
# Clear the shared string caches past this many entries (a news stream keeps meeting new word forms).
STRINGS_CAPACITY = 200_000


class _StringCache(dict[int, str]):
    """Hash (or symbol id) -> string, shared by every doc (spaCy's hashes are a function of the string
    alone); ``transform`` maps the vocab's string first (lower-casing lemmas)."""

    def __init__(self, transform: Callable[[str], str] = str) -> None:
        super().__init__()
        self.strings: StringStore | None = None
        self.transform = transform

    def __missing__(self, key: int) -> str:
        if self.strings is None:
            raise KeyError(key)
        value = self[key] = self.transform(self.strings[key])
        return value

    def named(self, values: list[int], doc: Doc) -> list[str]:
        """The strings of ``values`` (``map`` over the cache runs at C speed)."""
        if len(self) > STRINGS_CAPACITY:
            self.clear()
        self.strings = doc.vocab.strings
        return list(map(self.__getitem__, values))


_STRINGS = _StringCache()
_LOWER_LEMMAS = _StringCache(str.lower)


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Per-token attributes, indexed by token position (``lemma`` is lower-cased, as the cue tests read it)."""

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent_type: list[str]
    head: list[int]
    idx: list[int]  # character offset of each token in the doc text
    length: list[int]  # characters in each token
    like_num: list[int]  # 1 where ``Token.like_num``
    # Children of every token, grouped by head in ascending order (no list per token: fewer objects to collect).
    kids: list[int]
    kids_start: list[int]  # token i's children are kids[kids_start[i] : kids_start[i + 1]]

    def children(self, i: int) -> list[int]:
        """Positions of token ``i``'s children, ascending, as ``Token.children`` yields them."""
        return self.kids[self.kids_start[i] : self.kids_start[i + 1]]


def token_table(doc: Doc) -> TokenTable:
    """The doc's table, built on first use (one ``Doc.to_array`` call) and kept in ``doc.user_data``."""
    table = doc.user_data.get(TOKEN_TABLE_KEY)
    if table is None:
        table = _build(doc)
        doc.user_data[TOKEN_TABLE_KEY] = table
    return table  # type: ignore[no-any-return]


def _build(doc: Doc) -> TokenTable:
    import numpy
    from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LEMMA, LENGTH, LIKE_NUM, LOWER, POS, TAG

    columns = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, IDX, LENGTH, LIKE_NUM, HEAD])
    lower, lemma, pos, tag, dep, ent_type, idx, length, like_num = columns[:, :-1].T.tolist()
    # HEAD holds the offset to the head as an unsigned integer: read it back as signed.
    positions = numpy.arange(len(columns))
    heads = columns[:, -1].astype("int64") + positions
    # A stable sort by head keeps each token's children in ascending order.
    attached = heads != positions
    kids = positions[attached][numpy.argsort(heads[attached], kind="stable")]
    kids_start = numpy.concatenate(([0], numpy.cumsum(numpy.bincount(heads[attached], minlength=len(columns)))))
    return TokenTable(
        lower=_STRINGS.named(lower, doc),
        lemma=_LOWER_LEMMAS.named(lemma, doc),
        pos=_STRINGS.named(pos, doc),
        tag=_STRINGS.named(tag, doc),
        dep=_STRINGS.named(dep, doc),
        ent_type=_STRINGS.named(ent_type, doc),
        head=heads.tolist(),
        idx=idx,
        length=length,
        like_num=like_num,
        kids=kids.tolist(),
        kids_start=kids_start.tolist(),
    )
