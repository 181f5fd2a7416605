"""Event mention coreference inside predicted sub-topics: which event mentions name the same happening.

Input: ``MentionFeatures`` (coref_features) and a document → sub-topic map; output: mention key → cluster
id. Events join when their lexical class agrees inside one sub-topic and their dates do not conflict;
reporting acts join only with the same speaker; event pronouns take the preceding event of their report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence

from storyline.crossdoc.coref_entities import cluster_entity_mentions
from storyline.crossdoc.coref_features import MentionFeatures, mention_features
from storyline.crossdoc.coref_lexicon import GENERAL_EVENT_NOUNS, LIGHT_VERBS, REPORTING_LEMMAS, SYNONYM_OF, stem

__all__ = ["MentionFeatures", "arguments_conflict", "cluster_mentions", "mention_features"]

# General event noun → the classes (synonym-group keys) of the specific happenings it can refer back to.
_GENERAL_TO_CLASSES: dict[str, frozenset[str]] = {
    noun: frozenset(SYNONYM_OF.get(stem(word), stem(word)) for word in words)
    for noun, words in GENERAL_EVENT_NOUNS.items()
}
MIN_TYPO_LENGTH = 5  # shorter words one letter apart are often different words ("fire"/"fir", "bore"/"bre")


def arguments_conflict(a: MentionFeatures, b: MentionFeatures) -> bool:
    """Both mentions are dated to a year by their own words and the years differ: two different events.

    Named participants were tried as a conflict too ("Rait fell" / "Buckley fell") and cost 0.012 CoNLL F1
    on ECB+ dev: reports name one actor differently ("the Indian Navy" / "INS Mysore") too often.
    """
    return bool(a.years and b.years and not a.years & b.years)


def _split_by_arguments(members: Sequence[MentionFeatures]) -> list[list[MentionFeatures]]:
    """Complete-link grouping: a mention joins the biggest group none of whose members it conflicts with.

    Dated mentions go first so that bare ones ("the quake") join the best-attested event. Groups are
    compared through their distinct year sets, so a block of n mentions costs O(n × distinct dates).
    """
    groups: list[list[MentionFeatures]] = []
    group_years: list[set[frozenset[str]]] = []
    for mention in sorted(members, key=lambda m: not m.years):
        fitting = [
            i
            for i, seen in enumerate(group_years)
            if not (mention.years and any(y and not y & mention.years for y in seen))
        ]
        if fitting:
            best = max(fitting, key=lambda i: len(groups[i]))
            groups[best].append(mention)
            group_years[best].add(mention.years)
        else:
            groups.append([mention])
            group_years.append({mention.years})
    return groups


def _block_of(
    mention: MentionFeatures, subtopic: Hashable, renamed: Mapping[tuple[Hashable, str], str]
) -> tuple[Hashable, str]:
    """(sub-topic, class) after the per-mention (general noun) and per-sub-topic (typo) renamings."""
    lexical_class = mention.lexical_class
    lexical_class = renamed.get((mention.key, lexical_class), renamed.get((subtopic, lexical_class), lexical_class))
    return subtopic, lexical_class


def cluster_mentions(
    mentions: Sequence[MentionFeatures],
    subtopic_of: Mapping[Hashable, Hashable],
    *,
    events: bool = True,
    topic_of: Mapping[Hashable, Hashable] | None = None,
) -> dict[Hashable, Hashable]:
    """Mention key → cluster id: same lexical class inside one predicted sub-topic unless the arguments
    conflict; reporting acts join only with the same speaker; event pronouns take the preceding event."""
    if not events:
        return cluster_entity_mentions(mentions, subtopic_of, topic_of)
    clusters: dict[Hashable, Hashable] = {}
    blocks: dict[tuple[Hashable, str], list[MentionFeatures]] = defaultdict(list)
    renamed = _spelling_variants(mentions, subtopic_of) | _general_nouns(mentions)
    for mention in mentions:
        subtopic = subtopic_of.get(mention.document, mention.document)
        if mention.head_pos == "PRON":
            clusters[mention.key] = ("alone", mention.key)
        elif mention.head_lemma in LIGHT_VERBS and mention.lexical_class == stem(mention.head_lemma):
            clusters[mention.key] = ("light", mention.document, mention.lexical_class)  # not "give up", "go out"
        elif mention.head_lemma in REPORTING_LEMMAS:
            # "Police said" in two reports of one story is mostly the same statement; "he said" is left
            # in: its antecedent is usually the story's protagonist, which scored better than per document.
            home = (subtopic, mention.speaker) if mention.speaker else mention.document
            clusters[mention.key] = ("said", home, mention.lexical_class)
        else:
            blocks[_block_of(mention, subtopic, renamed)].append(mention)
    for (subtopic, lexical_class), members in blocks.items():
        for n, group in enumerate(_split_by_arguments(members)):
            for mention in group:
                clusters[mention.key] = (subtopic, lexical_class, n)
    _link_pronouns(mentions, clusters)
    return clusters


def _spelling_variants(
    mentions: Sequence[MentionFeatures], subtopic_of: Mapping[Hashable, Hashable]
) -> dict[tuple[Hashable, str], str]:
    """(sub-topic, class) → the more frequent class one typo away ("arested" → "arrest") in that sub-topic."""
    counts: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        counts[subtopic_of.get(mention.document, mention.document)][mention.lexical_class] += 1
    variants: dict[tuple[Hashable, str], str] = {}
    for subtopic, classes in counts.items():
        ranked = [c for c, _ in classes.most_common() if len(c) >= MIN_TYPO_LENGTH and c.isalpha()]
        for i, rare in enumerate(ranked):
            common = next((c for c in ranked[:i] if _one_letter_apart(rare, c)), None)
            if common is not None:
                variants[(subtopic, rare)] = variants.get((subtopic, common), common)
    return variants


def _general_nouns(mentions: Sequence[MentionFeatures]) -> dict[tuple[Hashable, str], str]:
    """(mention key, class) → the specific class a general noun ("the attack") refers back to in its
    document: the most mentioned of the classes it can stand for ("bomb", "shoot" …), if any."""
    by_document: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        by_document[mention.document][mention.lexical_class] += 1
    renamed: dict[tuple[Hashable, str], str] = {}
    for mention in mentions:
        specific = _GENERAL_TO_CLASSES.get(mention.head_lemma)
        if specific and mention.head_pos == "NOUN":
            found = [(n, c) for c, n in by_document[mention.document].items() if c in specific]
            if found:
                renamed[(mention.key, mention.lexical_class)] = max(found)[1]
    return renamed


def _one_letter_apart(a: str, b: str) -> bool:
    """One word is the other with one letter dropped ("arest"/"arrest"); substitutions are left out because
    they mostly make real words ("reach"/"react", "charge"/"change")."""
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _link_pronouns(mentions: Sequence[MentionFeatures], clusters: dict[Hashable, Hashable]) -> None:
    """An event pronoun ("it", "that") joins the nearest preceding non-reporting event of its document."""
    by_document: dict[Hashable, list[MentionFeatures]] = defaultdict(list)
    for mention in mentions:
        by_document[mention.document].append(mention)
    for members in by_document.values():
        members.sort(key=lambda m: m.position)
        previous: MentionFeatures | None = None
        for mention in members:
            if mention.head_pos == "PRON" and previous is not None:
                clusters[mention.key] = clusters[previous.key]
            elif mention.head_pos != "PRON" and mention.head_lemma not in REPORTING_LEMMAS:
                previous = mention
