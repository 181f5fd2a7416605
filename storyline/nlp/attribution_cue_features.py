"""Features of one verb or noun for the cue classifier, read from the doc's ``TokenTable``.

Input: a doc, its token table and a token position (plus the learned prior and the human nouns). Output: the
feature strings ``scripts/train_attribution.py`` trains on and the stage scores, in a fixed order. Reading the
table instead of spaCy ``Token`` objects matters: the stage scores every verb of every article.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from storyline.nlp.claim_token_table import TokenTable

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Subjects (and, for nouns, possessors: "her support for") that are people.
HUMAN_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "who", "his", "her", "their", "my", "our"})
# Children whose presence says how a word is used (with a clause, an object, a preposition, a possessor …).
CUE_CHILD_DEPS = ("ccomp", "xcomp", "dobj", "prep", "nsubjpass", "agent", "dative", "poss", "acl", "advcl")
# Learned share bins: the classifier sees the train prior coarsely, so rare forms do not dominate.
PRIOR_BINS = (0.05, 0.15, 0.3, 0.5, 0.7)
# Clause openings the classifier tells apart ("said that", "asked whether", "explained how").
CLAUSE_MARK_WORDS = frozenset({"that", "whether", "if", "how", "what", "why", "who", "when", "where"})
# Quote marks within this many tokens of a word: speech verbs sit next to quotations.
QUOTE_WINDOW = 8
QUOTE_MARK_TEXTS = frozenset({"“", "”", '"', "‘", "’", "``", "''"})
QUOTE_TOKENS_KEY = "storyline.claims.quote_tokens"


def _subject_kind(table: TokenTable, subject: int | None, human_nouns: frozenset[str]) -> str:
    if subject is None:
        return "none"
    if table.lower[subject] in HUMAN_SUBJECT_PRONOUNS:
        return "pron"
    if table.lemma[subject] in human_nouns:
        return "human"
    return table.ent_type[subject] or table.pos[subject]


def _clause_mark(doc: Doc, table: TokenTable, children: list[int], i: int) -> str:
    """How the token's clause starts: "that", "whether", a wh-word, "bare" (no mark) or "none" (no clause)."""
    for child in children:
        if table.dep[child] == "ccomp" and child > i:
            first = table.lower[doc[child].left_edge.i]
            return first if first in CLAUSE_MARK_WORDS else "bare"
    return "none"


def _quote_near(doc: Doc, table: TokenTable, i: int) -> bool:
    """A quote mark within ``QUOTE_WINDOW`` tokens; the doc's quote-mark positions are found once per doc
    (a quote mark's lower-cased form is the mark itself)."""
    marks = doc.user_data.get(QUOTE_TOKENS_KEY)
    if marks is None:
        marks = [j for j, lower in enumerate(table.lower) if lower in QUOTE_MARK_TEXTS]
        doc.user_data[QUOTE_TOKENS_KEY] = marks
    nearest = bisect_left(marks, i - QUOTE_WINDOW)
    return nearest < len(marks) and marks[nearest] <= i + QUOTE_WINDOW


def cue_features_at(
    doc: Doc, table: TokenTable, i: int, prior: dict[str, float], human_nouns: frozenset[str] = frozenset()
) -> list[str]:
    """Features of token ``i``: its lemma, how it is used (clause, object, preposition, passive), who its
    subject (a noun's possessor) and object are, what is around it (quote marks, the words before and after).
    Every verb and many nouns of an article are scored: children and their dependencies are read once."""
    lemma, pos, dep, deps, lowers = table.lemma[i], table.pos[i], table.dep[i], table.dep, table.lower
    children = table.children(i)
    child_deps = [deps[c] for c in children]
    subject_dep = "poss" if pos == "NOUN" else "nsubj"
    subject = children[child_deps.index(subject_dep)] if subject_dep in child_deps else None
    subject_kind = _subject_kind(table, subject, human_nouns)
    share = prior.get(lowers[i], 0.0)
    prior_bin = sum(1 for edge in PRIOR_BINS if share >= edge)
    used = [f"child={d}" for d in CUE_CHILD_DEPS if d in child_deps]
    prep = next((c for c, d in zip(children, child_deps, strict=True) if d == "prep" and c > i), None)
    preps = [] if prep is None else [f"prep={lowers[prep]}"]
    that = any(deps[g] == "mark" and lowers[g] == "that" for c in children for g in table.children(c))
    following = lowers[i + 1] if i + 1 < len(lowers) else "<end>"
    # The object tells idioms from speech: "put pressure on" vs "put forward a plan", "make sense".
    obj_lemma = table.lemma[children[child_deps.index("dobj")]] if "dobj" in child_deps else "-"
    features = [
        "bias",
        f"pos={pos}",
        f"lemma={lemma}",
        f"dep={dep}",
        f"tag={table.tag[i]}",
        f"head={table.lemma[table.head[i]]}",
        f"subj={subject_kind}",
        f"prior={prior_bin}",
        f"prior_pos={prior_bin}|{pos}",
        f"lemma_subj={lemma}|{subject_kind}",
        f"dep_subj={dep}|{subject_kind}|{pos}",
        f"next={following}",
        f"lemma_next={lemma}|{following}",
        f"lemma_obj={lemma}|{obj_lemma}",
    ]
    if that:
        features.append("that_clause")
    features += used
    features += preps
    features += [f"lemma_{u}={lemma}" for u in used[:2]]
    if preps:
        features.append(f"lemma_{preps[0]}|{lemma}")
    features += _context_features(doc, table, i, children, child_deps, human_nouns)
    return features


def _context_features(
    doc: Doc, table: TokenTable, i: int, children: list[int], child_deps: list[str], human_nouns: frozenset[str]
) -> list[str]:
    """How the clause opens, quote marks nearby, the word before, the object's and a passive's agent's
    kind, and the lemma's ending (for words train never saw: "-ion", "-ism" nouns, "-ize" verbs)."""
    lemma, pos, dep, head = table.lemma[i], table.pos[i], table.dep[i], table.head[i]
    mark = _clause_mark(doc, table, children, i)
    quoted = _quote_near(doc, table, i)
    previous = table.lower[i - 1] if i > 0 else "<start>"
    object_dep = "dobj" if "dobj" in child_deps else "pobj"
    any_object = children[child_deps.index(object_dep)] if object_dep in child_deps else None
    features = [
        f"mark={mark}",
        f"lemma_mark={lemma}|{mark}",
        f"quote_near={quoted}",
        f"quote_pos={quoted}|{pos}",
        f"lemma_dep={lemma}|{dep}",
        f"head_dep={table.dep[head]}|{dep}",
        f"obj_kind={_subject_kind(table, any_object, human_nouns)}",
        f"prev={previous}",
        f"suffix={lemma[-3:]}|{pos}",
    ]
    if "auxpass" in child_deps:
        agent = next(
            (g for c in children if table.dep[c] == "agent" for g in table.children(c) if table.dep[g] == "pobj"),
            None,
        )
        features += ["passive", f"lemma_passive={lemma}", f"agent={_subject_kind(table, agent, human_nouns)}"]
    if pos == "NOUN":
        features.append(f"noun_head={dep}|{table.lemma[head]}")
    return features
