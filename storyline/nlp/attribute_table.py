"""A drop-in, faster stand-in for spaCy's ``attribute_ruler`` (same patterns, same output).

Input: the model's AttributeRuler patterns (TAG/LOWER/ORTH/DEP/IS_SPACE with equality, IN, NOT_IN or
REGEX); output: the same POS/MORPH/LEMMA/TAG/DEP assignments. spaCy's ruler runs a generic Matcher with
~180 single-token patterns over every token and costs as much as the parser; indexing patterns by their
first token's TAG or LOWER value, and remembering per distinct (TAG, ORTH, DEP) token the net writes of its
single-token rules, makes a doc one dict lookup per token plus ``Doc.to_array``/``from_array`` (no ``Token``
objects). ``compile_table`` returns a ``TableRefusal`` (and the model keeps spaCy's ruler) for any pattern
shape or written attribute it does not implement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from thinc.types import Ints2d

# Token features a pattern may test, in the order of ``_features``.
FEATURES = ("TAG", "LOWER", "ORTH", "DEP", "IS_SPACE")
TokenFeatures = tuple[str, str, str, str, bool]
Test = Callable[[TokenFeatures], bool]
# A token's features follow from these three (LOWER and IS_SPACE belong to the ORTH's lexeme).
KEY_ATTRS: list[int | str] = [TAG, ORTH, DEP]
TokenKey = tuple[int, int, int]
# Odd 64-bit multipliers mixing a key into one int (a faster dict key than the tuple).
MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9))
# Token attributes the table writes through Doc.from_array, which sets exactly what spaCy's
# set_token_attrs sets for them (none is also a lexeme attribute).
WRITABLE = frozenset({POS, TAG, MORPH, LEMMA, DEP})
# Distinct token feature tuples remembered with their matching rules (a news stream reaches ~100,000).
MEMO_CAPACITY = 200_000


@dataclass(frozen=True, slots=True)
class TableRefusal:
    """Why the patterns cannot be compiled (the caller keeps spaCy's own ruler)."""

    reason: str


@dataclass(frozen=True, slots=True)
class _Rule:
    order: int  # the ruler's pattern index: later rules win, as in AttributeRuler.match's sort
    tests: tuple[tuple[Test, ...], ...]  # one tuple of tests per pattern token
    index: int  # which matched token receives the attributes
    attrs: dict[int, Any]  # normalized as spaCy's set_token_attrs expects


def _value_test(position: int, value: Any) -> Test | TableRefusal:
    """A test of one feature against a pattern value: plain, {"IN": …}, {"NOT_IN": …} or {"REGEX": …}."""
    if isinstance(value, str | bool):
        return lambda f: f[position] == value
    if isinstance(value, dict) and len(value) == 1:
        ((operator, argument),) = value.items()
        if operator == "IN":
            members = frozenset(argument)
            return lambda f: f[position] in members
        if operator == "NOT_IN":
            excluded = frozenset(argument)
            return lambda f: f[position] not in excluded
        if operator == "REGEX":
            search = re.compile(argument).search
            return lambda f: search(f[position]) is not None
    return TableRefusal(f"unsupported pattern value {value!r}")


def _token_tests(spec: dict[str, Any]) -> tuple[Test, ...] | TableRefusal:
    tests = []
    for key, value in spec.items():
        if key not in FEATURES:
            return TableRefusal(f"unsupported pattern attribute {key}")
        test = _value_test(FEATURES.index(key), value)
        if isinstance(test, TableRefusal):
            return test
        tests.append(test)
    return tuple(tests)


def _anchor(spec: dict[str, Any]) -> tuple[int, frozenset[Any]] | None:
    """A feature and the values a token must have to start this pattern, for indexing. LOWER first: it
    is the most selective (most tags have a rule of their own plus word-specific ones)."""
    for key in ("LOWER", "ORTH", "TAG", "DEP", "IS_SPACE"):
        value = spec.get(key)
        if isinstance(value, str | bool):
            return FEATURES.index(key), frozenset({value})
        if isinstance(value, dict) and set(value) == {"IN"}:
            return FEATURES.index(key), frozenset(value["IN"])
    return None


@dataclass(frozen=True, slots=True)
class _KnownToken:
    """What the rules make of one distinct (TAG, ORTH, DEP) token: its features, the single-token rules
    that match it, and the longer rules whose first token it satisfies (their neighbours are tested per
    doc)."""

    features: TokenFeatures
    singles: tuple[_Rule, ...]
    longer: tuple[_Rule, ...]


class AttributeTable:
    """Rules indexed by one required feature value of their first token; the rest (regex-only) are
    tried on every new token. Per distinct token the net effect of its single-token rules is kept as a
    row of column values, so a doc is one array lookup and one ``Doc.from_array``; only tokens a longer
    rule reaches are replayed rule by rule."""

    def __init__(self, rules: list[tuple[_Rule, tuple[int, frozenset[Any]] | None]]) -> None:
        self.indexed: dict[tuple[int, Any], list[_Rule]] = {}
        self.everywhere: list[_Rule] = []
        for rule, anchor in rules:
            if anchor is None:
                self.everywhere.append(rule)
                continue
            for value in anchor[1]:
                self.indexed.setdefault((anchor[0], value), []).append(rule)
        self.positions = sorted({position for position, _value in self.indexed})
        # The token attributes any rule writes, as Doc array columns.
        self.columns: list[int | str] = sorted({attr for rule, _anchor in rules for attr in rule.attrs})
        self._column_of = {attr: column for column, attr in enumerate(self.columns)}
        self._reset_memo()

    def _reset_memo(self) -> None:
        self.memo: dict[int, int] = {}  # mixed token key -> row in the arrays below and in self.known
        self.exact: dict[TokenKey, int] = {}  # the same rows by the full key (for mixed-key collisions)
        self.known: list[_KnownToken] = []
        self.keys = np.zeros((1024, len(KEY_ATTRS)), dtype=np.uint64)  # each row's full key
        self.values = np.zeros((1024, len(self.columns)), dtype=np.uint64)  # net single-rule writes
        self.written = np.zeros((1024, len(self.columns)), dtype=bool)  # which of those columns are set
        self.has_longer = np.zeros(1024, dtype=bool)

    def candidates(self, features: TokenFeatures) -> list[_Rule]:
        found = list(self.everywhere)
        for position in self.positions:
            found.extend(self.indexed.get((position, features[position]), ()))
        return found

    def token_rules(self, features: TokenFeatures) -> tuple[_Rule, ...]:
        """The candidates at a token with these features whose first token matches, in candidate order."""
        return tuple(rule for rule in self.candidates(features) if all(test(features) for test in rule.tests[0]))

    def _remember(self, key: TokenKey, token: Token) -> int:
        features = _features(token)
        rules = self.token_rules(features)
        known = _KnownToken(
            features, tuple(r for r in rules if len(r.tests) == 1), tuple(r for r in rules if len(r.tests) > 1)
        )
        row = len(self.known)
        if row >= len(self.has_longer):
            self.keys, self.values, self.written, self.has_longer = (
                np.concatenate([array, np.zeros_like(array)])
                for array in (self.keys, self.values, self.written, self.has_longer)
            )
        # Single rules apply in rule order, so the highest-order writer of a column is what remains.
        for rule in sorted(known.singles, key=lambda r: r.order):
            for attr, value in rule.attrs.items():
                self.values[row, self._column_of[attr]] = value
                self.written[row, self._column_of[attr]] = True
        self.has_longer[row] = bool(known.longer)
        self.keys[row] = key
        self.known.append(known)
        self.exact[key] = row
        self.memo.setdefault(_mixed_key(*key), row)
        return row

    def _rows(self, doc: Doc) -> Any:
        """Each token's row: one dict lookup per token on a 64-bit mix of its key, checked against the
        stored full keys in one comparison (a collision, however unlikely, takes the exact path)."""
        keys = doc.to_array(KEY_ATTRS)
        with np.errstate(over="ignore"):  # the mix wraps around on purpose
            mixed = ((keys[:, 0] * MIX[0] + keys[:, 1]) * MIX[1] + keys[:, 2]).tolist()
        get = self.memo.get
        rows = [get(key, -1) for key in mixed]
        if -1 in rows:
            key_tuples = keys.tolist()
            for i, row in enumerate(rows):
                if row < 0:
                    key = (key_tuples[i][0], key_tuples[i][1], key_tuples[i][2])
                    found = self.exact.get(key)
                    rows[i] = self._remember(key, doc[i]) if found is None else found
        at = np.array(rows, dtype=np.intp)
        if not np.array_equal(self.keys[at], keys):
            at = np.array([self._exact_row(doc, i, key) for i, key in enumerate(keys.tolist())], dtype=np.intp)
        return at

    def _exact_row(self, doc: Doc, i: int, key: list[int]) -> int:
        full = (key[0], key[1], key[2])
        found = self.exact.get(full)
        return self._remember(full, doc[i]) if found is None else found

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self.columns:
            return doc
        if len(self.known) >= MEMO_CAPACITY:
            self._reset_memo()  # bounded memory: a long-running worker starts afresh (between docs only)
        at = self._rows(doc)
        rows = at.tolist()
        current = doc.to_array(self.columns).reshape(len(doc), len(self.columns))
        updated = np.where(self.written[at], self.values[at], current)
        for target, assignments in self._longer_matches(rows, np.flatnonzero(self.has_longer[at])).items():
            updated[target] = self._replayed(current[target], rows[target], assignments)
        if not np.array_equal(updated, current):
            doc.from_array(self.columns, cast("Ints2d", updated))
        return doc

    def _longer_matches(self, rows: list[int], starts: Any) -> dict[int, list[tuple[int, dict[int, Any]]]]:
        """Matches of multi-token rules, by the token they write to, in scan order."""
        found: dict[int, list[tuple[int, dict[int, Any]]]] = {}
        for start in starts.tolist():
            for rule in self.known[rows[start]].longer:
                end = start + len(rule.tests)
                if end > len(rows) or not self._rest_matches(rule, rows, start):
                    continue
                target = (start if rule.index >= 0 else end) + rule.index
                if start <= target < end:
                    found.setdefault(target, []).append((rule.order, rule.attrs))
        return found

    def _rest_matches(self, rule: _Rule, rows: list[int], start: int) -> bool:
        for offset, tests in enumerate(rule.tests[1:], start=1):
            features = self.known[rows[start + offset]].features
            if not all(test(features) for test in tests):
                return False
        return True

    def _replayed(self, original: Any, row: int, longer: list[tuple[int, dict[int, Any]]]) -> Any:
        """A token some longer rule writes to: every assignment on it, single or longer, in rule order
        (a stable sort, as spaCy's ruler applies its matches)."""
        singles = [(rule.order, rule.attrs) for rule in self.known[row].singles]
        values = original.copy()
        for _order, attrs in sorted(singles + longer, key=lambda a: a[0]):
            for attr, value in attrs.items():
                values[self._column_of[attr]] = value
        return values


def _mixed_key(tag: int, orth: int, dep: int) -> int:
    """The mix ``_rows`` computes column-wise, for one key."""
    return ((tag * int(MIX[0]) + orth) * int(MIX[1]) + dep) % 2**64


def _features(token: Token) -> TokenFeatures:
    return token.tag_, token.lower_, token.text, token.dep_, token.is_space


def compile_table(ruler: Any) -> AttributeTable | TableRefusal:
    """Compile a loaded spaCy AttributeRuler (its ``patterns``, ``attrs`` and ``indices``)."""
    rules = []
    for order, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            token_tests = [_token_tests(spec) for spec in pattern]
            refused = next((t for t in token_tests if isinstance(t, TableRefusal)), None)
            if refused is not None:
                return refused
            if not pattern or any(op in spec for spec in pattern for op in ("OP",)):
                return TableRefusal(f"unsupported pattern {pattern!r}")
            tests = tuple(t for t in token_tests if not isinstance(t, TableRefusal))
            attrs = ruler.attrs[order]
            if not all(attr in WRITABLE and isinstance(value, int) for attr, value in attrs.items()):
                return TableRefusal(f"unsupported attributes {attrs!r}")
            rule = _Rule(order, tests, ruler.indices[order], attrs)
            rules.append((rule, _anchor(pattern[0])))
    return AttributeTable(rules)
