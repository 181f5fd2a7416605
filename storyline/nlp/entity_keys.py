"""Within-article entity keys: which mentions of one article denote the same actor or place.

Input: the mention spans of one Doc, their labels and the alias table; output: one entity key (the
canonical or longest full name) and a final label per mention. Alias-table entries win, then acronyms
defined in the article ("Name (ACR)"), then the unique longest name whose parts contain a short form's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storyline.nlp.doc_index import span_text
from storyline.nlp.entity_names import (
    NAME_PARTICLES,
    POSSESSIVE,
    AliasTable,
    alias_form,
    fold_text,
    initials_fit,
    is_acronym,
    label_family,
    looks_like_org,
    name_tokens,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

SPEECH_VERBS = frozenset(
    "say tell add claim announce state explain note warn insist deny confirm accuse argue recall".split()
)


def learn_acronyms(spans: list[Span], forms: list[str]) -> dict[str, int]:
    """Acronyms defined in the article: "Name (ACR)" or "ACR (Name)" → index of the long-form mention."""
    learned: dict[str, int] = {}
    for i in range(len(spans) - 1):
        first, second = spans[i], spans[i + 1]
        doc = first.doc
        if second.start != first.end + 1 or second.end >= len(doc):
            continue
        if doc[first.end].text != "(" or doc[second.end].text != ")":
            continue
        short, long = (i + 1, i) if is_acronym(forms[i + 1]) else (i, i + 1)
        if is_acronym(forms[short]) and not is_acronym(forms[long]) and initials_fit(forms[short], forms[long]):
            learned[alias_form(forms[short])] = long
    return learned


def absorbable(short: int, full: int, labels: list[str], spans: list[Span], forms: list[str]) -> bool:
    """May mention ``short`` be a short form of ``full``? Gated by label (a PERSON never absorbs a GPE)."""
    small, big = label_family(labels[short]), label_family(labels[full])
    if small == big:
        # Only names of people and organisations have short forms: "Russian" is not "pro-Russian".
        return small in {"agent", "org"}
    agentish = {small, big} == {"agent", "org"}
    if agentish:
        return not looks_like_org(forms[short]) and not looks_like_org(forms[full])
    return small == "place" and big == "agent" and speech_subject(spans[short])


def container_of(
    i: int,
    parts: list[frozenset[str]],
    labels: list[str],
    spans: list[Span],
    forms: list[str],
    fixed: list[bool],
) -> int:
    """Index of the unique longest mention whose name parts strictly contain mention i's, else i."""
    best: list[int] = []
    for j, other in enumerate(parts):
        if fixed[j] or not parts[i] < other or not absorbable(i, j, labels, spans, forms):
            continue
        if best and len(other) > len(parts[best[0]]):
            best = []
        if not best or len(other) == len(parts[best[0]]):
            best.append(j)
    return best[0] if best and len({parts[j] for j in best}) == 1 else i


def group_label(group: tuple[str, ...], members: list[int], labels: list[str], forms: list[str]) -> str:
    """Majority label, except that NER's ORG/GPE for a person's name yields to any PERSON evidence."""
    counts = Counter(labels[m] for m in members)
    if group[0] == "agent" and counts.get("PERSON") and not any(looks_like_org(forms[m]) for m in members):
        return "PERSON"
    return max(counts, key=lambda label: (counts[label], label == "PERSON"))


def assign_keys(doc: Doc, spans: list[Span], labels_in: list[str], table: AliasTable) -> tuple[list[str], list[str]]:
    """Entity key and final label per mention: alias canonical, acronym expansion, longest full name."""
    labels = list(labels_in)
    forms = [fold_text(POSSESSIVE.sub("", span_text(s))) for s in spans]
    acronyms = learn_acronyms(spans, forms)
    expansions = {long: short for short, long in acronyms.items()}
    groups: list[tuple[str, ...]] = []
    for i, form in enumerate(forms):
        # "Democratic Syrian Forces (SDF)": the long form takes the known acronym's table entry.
        entry = table.lookup(form) or (table.lookup(expansions[i]) if i in expansions else None)
        if entry is None and alias_form(form) in acronyms:
            long = acronyms[alias_form(form)]
            forms[i], labels[i], entry = forms[long], labels[long], table.lookup(forms[long])
        if entry is not None:
            forms[i], labels[i] = entry.canonical, entry.label
        groups.append(("alias", entry.canonical) if entry else ())
    fixed = [bool(g) for g in groups]
    parts = [
        frozenset(t for t in name_tokens(f) if t not in NAME_PARTICLES) or frozenset(name_tokens(f)) for f in forms
    ]
    for i in range(len(spans)):
        if not fixed[i]:
            j = container_of(i, parts, labels, spans, forms, fixed)
            family = "place" if label_family(labels[j]) == "place" else "agent"
            groups[i] = (family, *sorted(parts[j]))
    return keys_and_labels(groups, parts, forms, labels)


def keys_and_labels(
    groups: list[tuple[str, ...]], parts: list[frozenset[str]], forms: list[str], labels: list[str]
) -> tuple[list[str], list[str]]:
    members: dict[tuple[str, ...], list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    for group in [g for g in members if g[:1] == ("agent",) and ("place", *g[1:]) in members]:
        # "Hajin" tagged ORG once and GPE elsewhere: the ORG reading is NER noise, not a second entity.
        if not any(labels[m] == "PERSON" or looks_like_org(forms[m]) for m in members[group]):
            for m in members.pop(group):
                groups[m] = ("place", *group[1:])
                members[groups[m]].append(m)
    key_of: dict[tuple[str, ...], str] = {}
    label_of: dict[tuple[str, ...], str] = {}
    for group, indices in members.items():
        widest = max(len(parts[m]) for m in indices)
        key_of[group] = most_common_form(forms[m] for m in indices if len(parts[m]) == widest)
        label_of[group] = group_label(group, indices, labels, forms)
    return [key_of[g] for g in groups], [label_of[g] for g in groups]


def speech_subject(span: Span) -> bool:
    """The span heads the subject of "said"/"added"…: evidence that it names a person."""
    root = span.root
    return root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ in SPEECH_VERBS


def most_common_form(forms: Iterable[str]) -> str:
    """The most frequent form; ties go to the one seen first."""
    counts = Counter(forms)
    order = {form: i for i, form in enumerate(counts)}
    return max(counts, key=lambda f: (counts[f], -order[f]))
