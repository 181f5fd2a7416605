"""`storyline eval coref PATH`: document clustering and cross-document coreference on ECB+.

Input: the ECB+ release folder (``ECB+/<topic>/*.xml`` and ``ECBplus_coreference_sentences.csv``). Gold
mentions are the markables inside validated sentences; chains come from CROSS_DOC_COREF (note = chain id)
and INTRA_DOC_COREF, every other mention is a singleton (singletons are scored, as in Cybulska & Vossen /
Barhom et al. practice). Output: sub-topic clustering B³/pairwise P/R/F1 over all documents pooled (no gold
topic given), and event / entity MUC, B³, CEAF-e, CoNLL F1 of storyline.crossdoc.coref on gold mentions.
"""

from __future__ import annotations

import csv
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from storyline.crossdoc.coref import MentionFeatures, cluster_document_levels, cluster_mentions, mention_features
from storyline.errors import ConfigError, InputError
from storyline.evaluate.metrics import prf_dict

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_PATH = Path("/work/shared/benchmarks/ecbplus")
FILE_NAME = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")
EVENT_PREFIXES = ("ACTION_", "NEG_ACTION_")
ENTITY_PREFIXES = ("HUMAN_PART", "NON_HUMAN_PART", "LOC_", "TIME_")

Clusters = Mapping[Hashable, Hashable]  # mention key → cluster id

SHORT_KEYS = ("p", "r", "f1")  # coreference scores use the short names of the CoNLL scorer


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One annotated markable: token indices (0-based, into EcbDocument.tokens) and its gold chain."""

    mention_id: str  # "<doc name>:<m_id>", unique over the corpus
    tag: str  # ACTION_OCCURRENCE, HUMAN_PART_PER …
    token_ids: tuple[int, ...]
    chain: str  # chain id; singletons get their own mention_id

    @property
    def is_event(self) -> bool:
        return self.tag.startswith(EVENT_PREFIXES)


@dataclass(frozen=True, slots=True)
class EcbDocument:
    name: str  # "1_10ecbplus"
    topic: str
    subtopic: str  # "1_ecbplus"
    tokens: tuple[str, ...]
    sentences: tuple[int, ...]  # sentence number of every token
    mentions: tuple[GoldMention, ...]  # validated sentences only


def read_validated_sentences(csv_path: Path) -> dict[str, set[int]]:
    """Document name ("1_10ecbplus") → the sentence numbers annotated for coreference."""
    if not csv_path.is_file():
        raise InputError(str(csv_path), "ECB+ validated-sentence list not found")
    validated: dict[str, set[int]] = defaultdict(set)
    with csv_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            validated[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    return validated


def _mention_chains(root: ET.Element, doc_name: str) -> dict[str, str]:
    """m_id → chain id from the cross- and within-document relations."""
    chains: dict[str, str] = {}
    for relation in root.iter("CROSS_DOC_COREF"):
        chain = relation.get("note") or f"{doc_name}:x{relation.get('r_id')}"
        for source in relation.iter("source"):
            chains.setdefault(source.get("m_id", ""), chain)
    for relation in root.iter("INTRA_DOC_COREF"):
        chain = f"{doc_name}:intra{relation.get('r_id')}"
        for source in relation.iter("source"):
            chains.setdefault(source.get("m_id", ""), chain)
    return chains


def read_document(xml_path: Path, validated: Mapping[str, set[int]]) -> EcbDocument:
    """Parse one ECB+ XML file; mentions outside the validated sentences are dropped."""
    match = FILE_NAME.match(xml_path.name)
    if match is None:
        raise InputError(str(xml_path), "not an ECB+ file name (expected <topic>_<n>ecb[plus].xml)")
    topic, _, kind = match.groups()
    name = xml_path.name[: -len(".xml")]
    try:
        root = ET.parse(xml_path).getroot()
    except ET.ParseError as exc:
        raise InputError(str(xml_path), f"invalid XML: {exc}") from exc
    position: dict[str, int] = {}
    tokens: list[str] = []
    sentences: list[int] = []
    for token in root.iter("token"):
        position[token.get("t_id", "")] = len(tokens)
        tokens.append(token.text or "")
        sentences.append(int(token.get("sentence", "0")))
    chains = _mention_chains(root, name)
    keep = validated.get(name, set())
    mentions = []
    markables = root.find("Markables")
    for markable in markables if markables is not None else ():
        anchors = [position[a.get("t_id", "")] for a in markable.iter("token_anchor") if a.get("t_id", "") in position]
        if not anchors or sentences[anchors[0]] not in keep:
            continue  # instance descriptors have no anchors; unvalidated sentences are not gold
        mention_id = f"{name}:{markable.get('m_id')}"
        chain = chains.get(markable.get("m_id", ""), mention_id)
        mentions.append(GoldMention(mention_id, markable.tag, tuple(sorted(anchors)), chain))
    return EcbDocument(name, topic, f"{topic}_{kind}", tuple(tokens), tuple(sentences), tuple(mentions))


def read_corpus(path: Path, limit: int | None = None) -> list[EcbDocument]:
    """All documents under ``path/ECB+`` in topic order; ``limit`` keeps the first N documents."""
    corpus_dir = path / "ECB+"
    if not corpus_dir.is_dir():
        raise ConfigError(f"{path} has no ECB+ folder (expected the ECB+ 1.0 release layout)")
    validated = read_validated_sentences(path / "ECBplus_coreference_sentences.csv")
    topic_dirs = sorted((d for d in corpus_dir.iterdir() if d.is_dir() and d.name.isdigit()), key=lambda d: int(d.name))
    files = [f for d in topic_dirs for f in sorted(d.glob("*.xml"))]
    return [read_document(f, validated) for f in files[:limit]]


# --- Coreference metrics (each takes key and response as mention → cluster id over the same mentions) ---


def _groups(clusters: Clusters) -> list[set[Hashable]]:
    grouped: dict[Hashable, set[Hashable]] = defaultdict(set)
    for mention, cluster in clusters.items():
        grouped[cluster].add(mention)
    return list(grouped.values())


def _muc_side(key: Clusters, response: Clusters) -> tuple[int, int]:
    """MUC recall numerator/denominator of ``key`` against ``response`` (swap them for precision)."""
    numerator = denominator = 0
    for chain in _groups(key):
        partitions = {response.get(m, ("missing", m)) for m in chain}
        numerator += len(chain) - len(partitions)
        denominator += len(chain) - 1
    return numerator, denominator


def muc(key: Clusters, response: Clusters) -> dict[str, float]:
    """Vilain et al. (1995) link-based MUC."""
    r_num, r_den = _muc_side(key, response)
    p_num, p_den = _muc_side(response, key)
    return prf_dict(p_num, p_den, r_num, r_den, keys=SHORT_KEYS)


def b_cubed(key: Clusters, response: Clusters) -> dict[str, float]:
    """Bagga & Baldwin (1998) B³, averaged over mentions (singletons included)."""
    key_sizes, response_sizes = Counter(key.values()), Counter(response.values())
    overlap: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for mention, cluster in key.items():
        if mention in response:
            overlap[(cluster, response[mention])] += 1
    recall = sum(n * n / key_sizes[k] for (k, _), n in overlap.items())
    precision = sum(n * n / response_sizes[r] for (_, r), n in overlap.items())
    return prf_dict(precision, len(response), recall, len(key), keys=SHORT_KEYS)


def ceaf_e(key: Clusters, response: Clusters) -> dict[str, float]:
    """Luo (2005) entity-based CEAF with φ4 = 2|K∩R|/(|K|+|R|), optimal one-to-one alignment."""
    key_groups, response_groups = _groups(key), _groups(response)
    owner = {m: i for i, g in enumerate(response_groups) for m in g}
    # Clusters only interact through shared mentions: align each connected component on its own.
    component_of = _components(key_groups, owner, len(response_groups))
    total = 0.0
    for key_ids, response_ids in component_of:
        matrix = np.zeros((len(key_ids), len(response_ids)))
        column = {r: j for j, r in enumerate(response_ids)}
        for i, k in enumerate(key_ids):
            counts: dict[int, int] = defaultdict(int)
            for m in key_groups[k]:
                if m in owner:
                    counts[owner[m]] += 1
            for r, n in counts.items():
                matrix[i, column[r]] = 2 * n / (len(key_groups[k]) + len(response_groups[r]))
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        total += float(matrix[rows, cols].sum())
    return prf_dict(total, len(response_groups), total, len(key_groups), keys=SHORT_KEYS)


def _components(
    key_groups: list[set[Hashable]], owner: Mapping[Hashable, int], n_response: int
) -> list[tuple[list[int], list[int]]]:
    """Connected components of the key/response overlap graph as (key indices, response indices)."""
    parent = list(range(len(key_groups) + n_response))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for k, group in enumerate(key_groups):
        for m in group:
            if m in owner:
                parent[find(k)] = find(len(key_groups) + owner[m])
    members: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in range(len(parent)):
        side = 0 if i < len(key_groups) else 1
        members[find(i)][side].append(i if side == 0 else i - len(key_groups))
    return [(k, r) for k, r in members.values() if k and r]


def coref_scores(key: Clusters, response: Clusters) -> dict[str, Any]:
    scores: dict[str, Any] = {"muc": muc(key, response), "b3": b_cubed(key, response), "ceafe": ceaf_e(key, response)}
    scores["conll_f1"] = round(sum(scores[m]["f1"] for m in ("muc", "b3", "ceafe")) / 3, 4)
    return scores


def without_singletons(clusters: Clusters) -> dict[Hashable, Hashable]:
    """The clustering with every one-mention cluster dropped (the "no singletons" setting of Cattan et al.)."""
    sizes = Counter(clusters.values())
    return {m: c for m, c in clusters.items() if sizes[c] > 1}


def pairwise(key: Clusters, response: Clusters) -> dict[str, float]:
    """Pairwise (link) P/R/F1 of a clustering: pairs put together that belong together."""

    def pairs(clusters: Clusters) -> set[frozenset[Hashable]]:
        return {frozenset((a, b)) for g in _groups(clusters) for a in g for b in g if a != b}

    gold, predicted = pairs(key), pairs(response)
    both = len(gold & predicted)
    return prf_dict(both, len(predicted), both, len(gold), keys=SHORT_KEYS)


def _as_key(mentions: Iterable[GoldMention]) -> dict[Hashable, Hashable]:
    return {m.mention_id: m.chain for m in mentions}


def _validated_doc(nlp: Language, document: EcbDocument) -> tuple[Doc, dict[int, int]]:
    """A spaCy Doc of the document's mention-bearing sentences (gold tokenisation), and the index map."""
    from spacy.tokens import Doc

    keep = sorted({document.sentences[t] for m in document.mentions for t in m.token_ids})
    kept = [i for i, s in enumerate(document.sentences) if s in keep]
    doc = Doc(nlp.vocab, words=[document.tokens[i] or "_" for i in kept])
    for j, i in enumerate(kept):
        doc[j].is_sent_start = j == 0 or document.sentences[i] != document.sentences[kept[j - 1]]
    return doc, {i: j for j, i in enumerate(kept)}


def parse_documents(nlp: Language, documents: list[EcbDocument]) -> list[tuple[Doc, dict[int, int]]]:
    """Tag, parse and lemmatise only the sentences holding gold mentions (NER is not needed)."""
    prepared = [_validated_doc(nlp, d) for d in documents]
    from storyline.nlp.model import SELECTIVE_NER_COMPONENT

    with nlp.select_pipes(disable=[p for p in ("ner", SELECTIVE_NER_COMPONENT) if p in nlp.pipe_names]):
        parsed = list(nlp.pipe((doc for doc, _ in prepared), batch_size=64))
    return [(doc, index) for doc, (_, index) in zip(parsed, prepared, strict=True)]


def _mention_features(
    documents: list[EcbDocument], parsed: list[tuple[Doc, dict[int, int]]], events: bool
) -> list[MentionFeatures]:
    features = []
    for document, (doc, index) in zip(documents, parsed, strict=True):
        for m in document.mentions:
            if m.is_event == events:
                start, end = index[m.token_ids[0]], index[m.token_ids[-1]] + 1
                features.append(mention_features(doc, start, end, m.mention_id, document.name))
    return features


def evaluate(path: Path | None, *, limit: int | None = None, **_options: Any) -> dict[str, Any]:
    """Score sub-topic clustering and gold-mention event/entity coreference on ECB+ (first ``limit`` docs)."""
    from storyline.pipeline import Context

    started = time.perf_counter()
    documents = read_corpus(path or DEFAULT_PATH, limit)
    if not documents:
        raise ConfigError(f"no ECB+ documents found under {path or DEFAULT_PATH}")
    print(f"coref: {len(documents)} documents read", file=sys.stderr)
    levels = cluster_document_levels([" ".join(d.tokens) for d in documents])
    labels = [subtopic for _, subtopic in levels]
    subtopic_of: dict[Hashable, Hashable] = {d.name: label for d, label in zip(documents, labels, strict=True)}
    # Entities (people, places) outlive one story, so they are linked inside the coarser topics.
    topic_of: dict[Hashable, Hashable] = {d.name: topic for d, (topic, _) in zip(documents, levels, strict=True)}
    gold_subtopics: dict[Hashable, Hashable] = {d.name: d.subtopic for d in documents}
    parsed = parse_documents(Context().nlp, documents)
    print(f"coref: parsed in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    result: dict[str, Any] = {
        "doc_clustering": {
            "b3": b_cubed(gold_subtopics, subtopic_of),
            "pairwise": pairwise(gold_subtopics, subtopic_of),
            "n_predicted": len(set(labels)),
            "n_gold": len(set(gold_subtopics.values())),
            "n_predicted_topics": len(set(topic_of.values())),
        }
    }
    result["doc_clustering"]["b3_f1"] = result["doc_clustering"]["b3"]["f1"]
    result["doc_clustering"]["pairwise_f1"] = result["doc_clustering"]["pairwise"]["f1"]
    for name, events in (("events", True), ("entities", False)):
        key = _as_key(m for d in documents for m in d.mentions if m.is_event == events)
        features = _mention_features(documents, parsed, events)
        response = cluster_mentions(features, subtopic_of, events=events, topic_of=topic_of)
        no_singletons = coref_scores(without_singletons(key), without_singletons(response))["conll_f1"]
        result[name] = coref_scores(key, response) | {
            "conll_f1_without_singletons": no_singletons,
            "n_mentions": len(key),
            "n_gold_clusters": len(set(key.values())),
        }
    seconds = time.perf_counter() - started
    result |= {
        "n_docs": len(documents),
        "n_topics": len({d.topic for d in documents}),
        "singletons": "included",
        "seconds": round(seconds, 1),
        "docs_per_s": round(len(documents) / seconds, 2),
    }
    return result
