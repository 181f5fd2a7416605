"""A drop-in, faster stand-in for spaCy's rule ``lemmatizer`` (same lemma on every token).

Input: a parsed Doc and the model's loaded Lemmatizer; output: the Doc with ``token.lemma`` set exactly as
the lemmatizer would set it. The rule lemmatizer's answer depends only on (ORTH, POS, MORPH), but spaCy
caches only part of its paths and rebuilds the token's morphology dict for every base-form check, so it
costs ~14 % of the model's time; here each distinct key is lemmatized once and then read back from a dict
over the doc's attribute array. A new key runs spaCy's own rules (``first_rule_lemma``, a transcription
of ``Lemmatizer.rule_lemmatize``) with the word index held as sets: spaCy tests ``form in index`` on lists
of up to 57,000 words, which makes a cold key cost ~0.1 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.pipeline import Lemmatizer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from thinc.types import Ints2d

LemmaKey = tuple[int, int, int]  # (ORTH, POS, MORPH) hashes: everything the rule lemmatizer reads

# Past this many distinct keys the memo starts afresh, so a long-running worker's memory stays bounded
# (a news stream reaches a few hundred thousand keys; a refill costs one real lemmatizer call per key).
MEMO_CAPACITY = 500_000


class LemmaTable:
    """Memoizes the wrapped lemmatizer's first lemma per (ORTH, POS, MORPH) key."""

    def __init__(self, lemmatizer: Any, capacity: int = MEMO_CAPACITY) -> None:
        self.lemmatizer = lemmatizer
        self.capacity = capacity
        self.known: dict[LemmaKey, int] = {}
        # Our transcription is only valid for spaCy's own rule method (a language may override it).
        self.own_rules = lemmatizer.mode == "rule" and type(lemmatizer).rule_lemmatize is Lemmatizer.rule_lemmatize
        self.index_sets: dict[str, frozenset[str]] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([LEMMA, ORTH, POS, MORPH])
        lemmas = rows[:, 0].copy()
        overwrite = bool(self.lemmatizer.overwrite)
        known = self.known
        changed = False
        for i, (lemma, orth, pos, morph) in enumerate(rows.tolist()):
            # The lemmatizer leaves lemmas set earlier (by the attribute table) unless told to overwrite.
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = known.get(key)
            if found is None:
                found = self._ask_lemmatizer(doc, i, key)
            lemmas[i] = found
            changed = True
        if changed:
            # One column per attribute: from_array takes an (n_tokens, n_attributes) integer array.
            doc.from_array([LEMMA], cast("Ints2d", lemmas.reshape(-1, 1)))
        return doc

    def _ask_lemmatizer(self, doc: Doc, i: int, key: LemmaKey) -> int:
        if len(self.known) >= self.capacity:
            self.known.clear()
        token = doc[i]
        lemma = self.first_rule_lemma(token) if self.own_rules else self.lemmatizer.lemmatize(token)[0]
        found = int(doc.vocab.strings.add(lemma))
        self.known[key] = found
        return found

    def _index_set(self, univ_pos: str) -> frozenset[str]:
        found = self.index_sets.get(univ_pos)
        if found is None:
            found = frozenset(self.lemmatizer.lookups.get_table("lemma_index", {}).get(univ_pos, ()))
            self.index_sets[univ_pos] = found
        return found

    def first_rule_lemma(self, token: Token) -> str:
        """``Lemmatizer.rule_lemmatize(token)[0]``, step for step, with set membership for the index."""
        lemmatizer = self.lemmatizer
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space") or lemmatizer.is_base_form(token):
            return str(lemmatizer.rule_lemmatize(token)[0])  # cheap paths (and spaCy's warning on no POS)
        lookups = lemmatizer.lookups
        exceptions = lookups.get_table("lemma_exc", {}).get(univ_pos, {})
        rules = lookups.get_table("lemma_rules", {}).get(univ_pos, {})
        if not (lookups.get_table("lemma_index", {}).get(univ_pos) or exceptions or rules):
            return token.text if univ_pos == "propn" else token.text.lower()
        index = self._index_set(univ_pos)
        string = token.text.lower()
        forms: list[str] = []
        oov_forms: list[str] = []
        for old, new in rules:
            if not string.endswith(old):
                continue
            form = string[: len(string) - len(old)] + new
            if not form:
                continue
            if form in index:
                forms.insert(0, form)
            elif not form.isalpha():
                forms.append(form)
            else:
                oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        return (forms or oov_forms or [token.text])[0]
