"""A drop-in, faster stand-in for spaCy's ``attribute_ruler`` (same patterns, same output).

Input: the model's AttributeRuler patterns (TAG/LOWER/ORTH/DEP/IS_SPACE with equality, IN, NOT_IN or
REGEX); output: the same POS/MORPH/LEMMA/TAG/DEP assignments. spaCy's ruler runs a generic Matcher with
~180 single-token patterns over every token and costs as much as the parser; indexing patterns by their
first token's TAG or LOWER value, and remembering per distinct token which single-token rules match, makes
it a dict lookup or two per token. ``compile_table`` returns a
``TableRefusal`` (and the model keeps spaCy's ruler) for any pattern shape it does not implement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Token features a pattern may test, in the order of ``_features``.
FEATURES = ("TAG", "LOWER", "ORTH", "DEP", "IS_SPACE")
TokenFeatures = tuple[str, str, str, str, bool]
Test = Callable[[TokenFeatures], bool]
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


class AttributeTable:
    """Rules indexed by one required feature value of their first token; the rest (regex-only) are
    tried on every token."""

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
        self.memo: dict[TokenFeatures, tuple[_Rule, ...]] = {}

    def candidates(self, features: TokenFeatures) -> list[_Rule]:
        found = list(self.everywhere)
        for position in self.positions:
            found.extend(self.indexed.get((position, features[position]), ()))
        return found

    def token_rules(self, features: TokenFeatures) -> tuple[_Rule, ...]:
        """The candidates at a token with these features, in candidate order: single-token rules already
        tested (only those that match are kept), longer ones left to test against the neighbours. Words
        repeat, so this is memoized on the features (cleared when full, to bound memory)."""
        found = self.memo.get(features)
        if found is None:
            if len(self.memo) >= MEMO_CAPACITY:
                self.memo.clear()
            found = tuple(
                rule
                for rule in self.candidates(features)
                if len(rule.tests) > 1 or all(test(features) for test in rule.tests[0])
            )
            self.memo[features] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        features = [_features(token) for token in doc]
        assignments: list[tuple[int, int, dict[int, Any]]] = []
        for start, own in enumerate(features):
            for rule in self.token_rules(own):
                end = start + len(rule.tests)
                if end > len(features) or (end - start > 1 and not _matches(rule, features, start)):
                    continue
                target = (start if rule.index >= 0 else end) + rule.index
                if start <= target < end:
                    assignments.append((rule.order, target, rule.attrs))
        # Matches are collected before any attribute changes, then applied in rule order (as spaCy does).
        assignments.sort(key=lambda a: a[0])
        for _order, target, attrs in assignments:
            set_token_attrs(doc[target], attrs)
        return doc


def _features(token: Token) -> TokenFeatures:
    return token.tag_, token.lower_, token.text, token.dep_, token.is_space


def _matches(rule: _Rule, features: list[TokenFeatures], start: int) -> bool:
    for offset, tests in enumerate(rule.tests):
        token = features[start + offset]
        for test in tests:
            if not test(token):
                return False
    return True


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
            rule = _Rule(order, tests, ruler.indices[order], ruler.attrs[order])
            rules.append((rule, _anchor(pattern[0])))
    return AttributeTable(rules)
