"""Stage entities.v1: named-entity mentions of one article, each with a within-article entity key.

Input: the spaCy Doc of ``Article.text`` (its NER) plus the alias table (storyline/data/aliases.tsv);
output: ``Mention`` records whose spans are repaired (titles, possessives, "al-"/"ez-" particles) and
whose ``entity_key`` groups short forms, acronyms and aliases under one canonical surface form
(storyline/nlp/entity_keys.py; name forms and the alias table live in storyline/nlp/entity_names.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.nlp.doc_index import span_text
from storyline.nlp.entity_keys import assign_keys
from storyline.nlp.entity_names import (  # noqa: F401 - re-exported: the stage's public vocabulary
    ALIAS_TABLE_PATH,
    NAME_PARTICLES,
    ORG_HEAD_WORDS,
    AliasEntry,
    AliasTable,
    alias_form,
    fold_text,
    initial_letters,
    initials_fit,
    is_acronym,
    label_family,
    load_alias_table,
    looks_like_org,
    name_tokens,
)
from storyline.records import ArticleAnalysis, Evidence, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from storyline.pipeline import Context

KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})

# Words that open a PERSON span but are a role, not part of the name ("SDF commander Havel Walat").
TITLE_WORDS = frozenset(
    "president commander commander-in-chief general gen gen. colonel col col. lt lt. lieutenant major "
    "maj. captain capt. sergeant sgt. minister prime premier secretary spokesman spokeswoman spokesperson "
    "chief leader head emir caliph mr mr. mrs mrs. ms ms. dr dr. prof prof. professor sen. senator rep. "
    "governor gov. mayor king queen prince judge ambassador envoy director brigadier admiral marshal "
    "officer militant fighter jihadist cleric imam shooter gunman warlord analyst researcher expert the "
    "former late acting deputy top senior new".split()
)
# "the town of X": X is a place whatever NER said.
PLACE_NOUNS = frozenset(
    "town city village villages province district governorate region area neighbourhood neighborhood "
    "suburb camp border outskirts countryside valley desert capital county state settlement".split()
)
# Organisation head nouns that are also surnames ("Margaret Court"): not enough to relabel a person.
SURNAME_LIKE_HEADS = frozenset({"court", "service", "union", "party", "front", "office"})
PLACE_PREPOSITIONS = frozenset("in near outside around from into toward towards across".split())


@dataclass(frozen=True, slots=True)
class AliasMatchers:
    """PhraseMatchers built once: acronyms match case-exactly, longer names case-insensitively."""

    exact: Any
    folded: Any
    table: AliasTable


def build_alias_matchers(nlp: Language, table: AliasTable) -> AliasMatchers:
    from spacy.matcher import PhraseMatcher

    exact, folded = PhraseMatcher(nlp.vocab, attr="ORTH"), PhraseMatcher(nlp.vocab, attr="LOWER")
    for index, entry in enumerate(table.entries):
        forms = {entry.canonical, *entry.aliases}
        short = [nlp.make_doc(f) for f in forms if is_acronym(f) or len(f) <= 3]
        long = [nlp.make_doc(fold_text(f)) for f in forms if not (is_acronym(f) or len(f) <= 3)]
        long += [nlp.make_doc(f) for f in forms if not (is_acronym(f) or len(f) <= 3) and fold_text(f) != f]
        if short:
            exact.add(str(index), short)
        if long:
            folded.add(str(index), long)
    return AliasMatchers(exact, folded, table)


def alias_matchers(ctx: Context) -> AliasMatchers:
    extra = ctx.settings.get("aliases_path")
    return ctx.resource(  # type: ignore[no-any-return]
        f"entities.alias_matchers:{extra}",
        lambda: build_alias_matchers(ctx.nlp, load_alias_table(Path(extra) if extra else None)),
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A mention being built: token span [start, end) of the doc, label, and where it came from."""

    start: int
    end: int
    label: str
    from_table: bool = False


HEADLINE_WORD = re.compile(r"[^\W\d_]{2,}")
SMALL_WORDS = frozenset("a an the of in on at to for and or but as by with from vs is are".split())


def headline_lines(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, all_caps) of headline-like lines: ALL CAPS or Title Case, where NER guesses and
    "IS" or "US" are plain words."""
    ranges, offset = [], 0
    for line in text.split("\n"):
        words = HEADLINE_WORD.findall(line)
        all_caps = len(words) >= 4 and sum(map(str.isupper, words)) > 0.6 * len(words)
        # Most body lines end with a full stop: the Title Case count is only needed for the others.
        if all_caps or (not line.rstrip().endswith((".", '."', ".”")) and is_title_case(words)):
            ranges.append((offset, offset + len(line), all_caps))
        offset += len(line) + 1
    return ranges


def is_title_case(words: list[str]) -> bool:
    """At least four content words, nine in ten of them capitalized."""
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    return len(content) >= 4 and sum(w[0].isupper() for w in content) >= 0.9 * len(content)


def in_headline(span: Span, lines: list[tuple[int, int, bool]], all_caps_only: bool = False) -> bool:
    return any(a <= span.start_char < b and (caps or not all_caps_only) for a, b, caps in lines)


def confirmed_by_body(doc: Doc, cands: list[Candidate], lines: list[tuple[int, int, bool]]) -> list[Candidate]:
    """Keep a headline mention only if its name parts also occur in a mention of the article body."""
    body = [c for c in cands if not in_headline(doc[c.start : c.end], lines)]
    body_parts = [frozenset(name_tokens(span_text(doc[c.start : c.end]))) for c in body]
    kept = list(body)
    for cand in cands:
        if in_headline(doc[cand.start : cand.end], lines):
            parts = frozenset(name_tokens(span_text(doc[cand.start : cand.end])))
            if any(parts <= other for other in body_parts):
                kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


def table_candidates(doc: Doc, matchers: AliasMatchers, lines: list[tuple[int, int, bool]]) -> list[Candidate]:
    found = []
    for matcher, exact in ((matchers.exact, True), (matchers.folded, False)):
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            if exact and len(span_text(span)) <= 3 and in_headline(span, lines, all_caps_only=True):
                continue
            if not exact and not any(t.text[:1].isupper() for t in span):
                continue  # "an amnesty" is not Amnesty International
            entry = matchers.table.entries[int(doc.vocab.strings[match_id])]
            found.append(Candidate(start, end, entry.label, from_table=True))
    return found


def split_ner_span(doc: Doc, start: int, end: int, label: str) -> list[Candidate]:
    """Cut an NER span at line breaks and inner possessives ("ISIS\\n\\nSDF’ Operation")."""
    pieces, piece_start = [], start
    for i in range(start, end):
        token = doc[i]
        # "Philly and Cheeks" tagged as one PERSON is two names.
        joined_people = label == "PERSON" and token.lower_ in {"and", "&"}
        if "\n" in token.text or joined_people or (token.text in {"’", "'", "'s", "’s"} and i < end - 1):
            if i > piece_start:
                pieces.append(Candidate(piece_start, i + (token.text[-1:] == "s" and "\n" not in token.text), label))
            piece_start = i + 1
    if piece_start < end:
        pieces.append(Candidate(piece_start, end, label))
    return pieces


def trim_candidate(doc: Doc, cand: Candidate) -> Candidate | None:
    """Drop leading determiners/titles/roles and trailing possessives or punctuation."""
    start, end = cand.start, cand.end
    while start < end:
        token, following = doc[start], doc[start + 1] if start + 1 < end else None
        lower = token.lower_
        role_acronym = (
            cand.label == "PERSON"
            and is_acronym(token.text)
            and following is not None
            and following.lower_ in TITLE_WORDS
        )
        if lower in {"the", "a", "an"} or not token.text.strip() or token.is_punct or role_acronym:
            start += 1
        elif (
            cand.label == "PERSON"
            and following is not None
            and (lower in TITLE_WORDS or (token.is_lower and lower not in NAME_PARTICLES))
        ):
            start += 1
        else:
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s", "'", "’"}):
        end -= 1
    return replace(cand, start=start, end=end) if end > start else None


def attached(doc: Doc, i: int) -> bool:
    """True when token i is written without a space before token i + 1."""
    return not doc[i].whitespace_


def extend_particles(doc: Doc, cand: Candidate) -> Candidate:
    """Grow a span over "al-"/"ez-Zor"-style particles NER left outside it."""
    start, end = cand.start, cand.end
    if (
        start >= 2
        and doc[start - 1].text == "-"
        and doc[start - 2].lower_ in NAME_PARTICLES
        and attached(doc, start - 2)
        and attached(doc, start - 1)
    ):
        start -= 2
    while (
        end + 2 < len(doc)
        and doc[end].lower_ in NAME_PARTICLES
        and doc[end + 1].text == "-"
        and attached(doc, end)
        and attached(doc, end + 1)
        and doc[end + 2].text[:1].isupper()
    ):
        end += 3
    return replace(cand, start=start, end=end)


def relabel_by_context(doc: Doc, cand: Candidate, person_parts: set[str]) -> Candidate:
    """A PERSON in "the town of X" (or a lone particle name after "in") is a place; one ending in an
    organisation's head noun ("Sahel Relief Network", "Defence Ministry") is an organisation."""
    if cand.label != "PERSON" or cand.from_table:
        return cand
    parts = name_tokens(span_text(doc[cand.start : cand.end]))
    if len(parts) > 1 and parts[-1] in ORG_HEAD_WORDS - SURNAME_LIKE_HEADS:
        return replace(cand, label="ORG")
    before = [t.lower_ for t in doc[max(0, cand.start - 3) : cand.start]]
    if len(before) >= 2 and before[-1] == "of" and before[-2] in PLACE_NOUNS:
        return replace(cand, label="GPE")
    single_name = len([p for p in parts if p not in NAME_PARTICLES]) == 1
    if before and before[-1] in PLACE_PREPOSITIONS and single_name and not (set(parts) & person_parts):
        return replace(cand, label="GPE")
    return cand


NAME_CONNECTORS = frozenset({"of", "for", "the", "and", "&", "-", "al", "el"})


def name_run_before(doc: Doc, end: int) -> int:
    """Start of the run of capitalized words (with "of"/"for"/"al-" inside) that ends at token ``end``."""
    start = end
    while (
        start > 0
        and (doc[start - 1].text[:1].isupper() or doc[start - 1].lower_ in NAME_CONNECTORS)
        and "\n" not in doc[start - 1].whitespace_ + doc[start - 1].text
    ):
        start -= 1
    while start < end and not doc[start].text[:1].isupper():
        start += 1
    return start


def tightest_name(doc: Doc, start: int, end: int, acronym: str) -> int:
    """Start of the name before "(ACR)": the longest run with one word per letter, so "Kurdish-Arab
    Syrian Democratic Forces (SDF)" yields "Syrian Democratic Forces"; else the whole run."""
    letters = len(alias_form(acronym).replace("-", ""))
    for first in range(start, end - 1):
        name = span_text(doc[first:end])
        if doc[first].is_punct or doc[first].lower_ in NAME_CONNECTORS:
            continue  # a name starts with a name word, not "of the" ("Fighters of the Sahel Defence Movement")
        if initials_fit(acronym, name) and len(initial_letters(name)) == letters:
            return first
    return start


def opening_brackets(doc: Doc) -> list[int]:
    """Indices of "(" tokens, from the attribute array (no Token object per word)."""
    from spacy.attrs import ORTH

    bracket = doc.vocab.strings.add("(")
    return [i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth == bracket]


def acronym_definitions(doc: Doc, found: list[Candidate]) -> list[Candidate]:
    """Spans for "Name (ACR)" and "ACR (Name)" NER missed, so keys can learn the acronym."""
    label_at = {i: c.label for c in found for i in range(c.start, c.end)}
    added = []
    for k in (i for i in opening_brackets(doc) if 0 < i < len(doc) - 2):
        close = next((m for m in range(k + 2, min(k + 9, len(doc))) if doc[m].text == ")"), None)
        if close is None:
            continue
        if close == k + 2 and is_acronym(doc[k + 1].text):
            name = (tightest_name(doc, name_run_before(doc, k), k, doc[k + 1].text), k)
            acronym = (k + 1, k + 2)
        elif is_acronym(doc[k - 1].text) and doc[k + 1].text[:1].isupper():
            name, acronym = (k + 1, close), (k - 1, k)
        else:
            continue
        if name[1] - name[0] < 2 or not initials_fit(doc[acronym[0]].text, span_text(doc[name[0] : name[1]])):
            continue
        label = label_at.get(name[0], label_at.get(acronym[0], "ORG"))
        added += [Candidate(name[0], name[1], label), Candidate(acronym[0], acronym[1], label)]
    return added


def is_junk(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) < 2 or text.islower() or not any(c.isupper() for c in text)


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the longest span where spans overlap; on ties the alias-table match wins (it knows GROUP)."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), not c.from_table, c.start))
    taken: set[int] = set()
    kept = []
    for cand in ranked:
        covered = set(range(cand.start, cand.end))
        if covered & taken:
            continue
        taken |= covered
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


def mention_candidates(doc: Doc, matchers: AliasMatchers, text: str) -> list[Candidate]:
    lines = headline_lines(text)
    raw: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ in KEPT_LABELS:
            raw.extend(split_ner_span(doc, ent.start, ent.end, ent.label_))
    cleaned = [extend_particles(doc, c) for c in (trim_candidate(doc, c) for c in raw) if c is not None]
    cleaned = confirmed_by_body(doc, cleaned, lines)
    cleaned += [c for c in (trim_candidate(doc, a) for a in acronym_definitions(doc, cleaned)) if c]
    person_parts = {
        p
        for c in cleaned
        if c.label == "PERSON" and c.end - c.start > 1
        for p in name_tokens(span_text(doc[c.start : c.end]))
        if p not in NAME_PARTICLES
    }
    cleaned = [relabel_by_context(doc, c, person_parts) for c in cleaned]
    table = table_candidates(doc, matchers, lines)
    kept = resolve_overlaps(cleaned + table)
    return [c for c in kept if not is_junk(span_text(doc[c.start : c.end]))]


def extract_mentions(doc: Doc, analysis: ArticleAnalysis, ctx: Context) -> tuple[Mention, ...]:
    """Stage entities.v1: NER + alias-table mentions, with within-article entity keys."""
    matchers = alias_matchers(ctx)
    candidates = mention_candidates(doc, matchers, analysis.article.text)
    article_id = analysis.article.id
    spans = [doc[c.start : c.end] for c in candidates]
    keys, labels = assign_keys(doc, spans, [c.label for c in candidates], matchers.table)
    return tuple(
        Mention(Evidence(article_id, span.start_char, span.end_char), span_text(span), label, key)
        for span, label, key in zip(spans, labels, keys, strict=True)
    )
