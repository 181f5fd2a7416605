"""Who is the speaker: classify a cue's subject and resolve it to an entity key (light coreference).

Inputs: the spaCy doc, the article's entity mentions (or the doc's own entities when the entity stage
produced none) and a subject span. Output: a ``Speaker`` (surface text, kind, entity key or None).
Pronouns go to the last speaker or the most recent gender-compatible PERSON, a recent clause subject
first (genders learnt from titles and from pronouns already resolved); nominals ("the commander") go to
the person in apposition with them, else the most recent person seen with that role word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.nlp.attribution_cues import AttributionLexicon
from storyline.nlp.attribution_sources import speaker_core_bounds
from storyline.nlp.doc_index import doc_text, sentence_of
from storyline.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PERSONAL_PRONOUNS = frozenset({"he", "she", "i", "we", "they", "it", "you", "him", "her", "them", "us"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
GROUP_LABELS = frozenset({"ORG", "NORP", "GPE", "GROUP"})
# How many tokens before a PERSON mention may hold its title ("SDF commander Havel Ronnie Walat").
TITLE_WINDOW = 6
# A pronoun subject this close after a resolved speaker refers back to that speaker.
SPEAKER_CONTINUITY_CHARS = 600
TITLE_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM", "PUNCT"})
# An apposition the parser missed ("Ahmed Farouk, the commander of the brigade, said"): at most this
# many words after the name's comma, made of these parts of speech.
LOOSE_APPOSITION_WINDOW = 8
APPOSITION_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "ADP", "NUM"})
# Links from a name up to the phrase whose role in the clause it shares.
NAME_LINK_DEPS = frozenset({"compound", "appos", "conj", "flat"})
SUBJECT_ROLE_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: ``text`` as written (or its antecedent), ``kind`` and entity key if known."""

    text: str | None
    kind: str  # named | pronoun | nominal | anonymous
    key: str | None = None


@dataclass(slots=True)
class PersonRecord:
    start: int  # character offset of the mention
    key: str
    label: str
    gender: str | None = None  # "f" | "m" | None when unknown
    roles: set[str] = field(default_factory=set)
    subject: bool = False  # the mention is (in) a clause subject: the salient candidate for a pronoun


def _gender_of(words: list[str], lexicon: AttributionLexicon) -> str | None:
    if any(w in lexicon.female_words for w in words):
        return "f"
    if any(w in lexicon.male_words for w in words):
        return "m"
    return None


def _title_words(doc: Doc, mention_start_token: int, mention_root: Token) -> list[str]:
    """Lower-cased words of the title before a name and of its appositions ("Walat, the commander")."""
    words: list[str] = []
    first = max(sentence_of(mention_root).start, mention_start_token - TITLE_WINDOW)
    for token in reversed(doc[first:mention_start_token]):
        if (token.is_punct and token.text not in ("-", "–")) or token.pos_ not in TITLE_POS:
            break
        words.extend(token.lower_.split("-"))
    for child in mention_root.children:
        if child.dep_ == "appos":
            words.extend(t.lower_ for t in child.subtree)
    if mention_root.dep_ == "appos":
        words.extend(t.lower_ for t in mention_root.head.subtree if t.i < mention_start_token)
    return words + _loose_apposition_words(doc, mention_root.i + 1)


def _loose_apposition_words(doc: Doc, after: int) -> list[str]:
    """Words of "…, the commander of the brigade," right after a name, however the parser attached them."""
    if after >= len(doc) or doc[after].text != ",":
        return []
    words: list[str] = []
    for token in doc[after + 1 : after + 1 + LOOSE_APPOSITION_WINDOW]:
        if token.text == "," or token.pos_ not in APPOSITION_POS:
            break
        words.extend(token.lower_.split("-"))
    return words


def _in_subject(root: Token) -> bool:
    """A name that is a clause's subject, directly or inside it ("Gen. Ana Ruiz, the commander, …")."""
    token = root
    while token.dep_ in NAME_LINK_DEPS and token.head.i != token.i:
        token = token.head
    return token.dep_ in SUBJECT_ROLE_DEPS


class SpeakerResolver:
    """Resolves subjects to speakers for one article, remembering people in text order."""

    def __init__(self, doc: Doc, mentions: tuple[Mention, ...], lexicon: AttributionLexicon) -> None:
        self.doc = doc
        self.lexicon = lexicon
        # (start, end, label, key) per mention; the doc's entities stand in when the entity stage had none.
        self.mentions: list[tuple[int, int, str, str]] = (
            [(m.evidence.start, m.evidence.end, m.label, m.entity_key) for m in mentions]
            if mentions
            else [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
        )
        self.people = self._people()
        self.gender_by_key = {p.key: p.gender for p in self.people if p.gender}
        self.person_keys = {p.key for p in self.people if p.label == "PERSON"}
        self.last_speaker: tuple[int, str] | None = None  # (offset, key) of the latest resolved person

    def _people(self) -> list[PersonRecord]:
        people: list[PersonRecord] = []
        for start, end, label, key in self.mentions:
            if label != "PERSON" and label not in GROUP_LABELS:
                continue
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            words = _title_words(self.doc, span.start, span.root)
            roles = {w for w in words if w in self.lexicon.role_words}
            if "commander" in words and "chief" in words:
                roles.add("commander-in-chief")
            gender = _gender_of(words, self.lexicon)
            people.append(PersonRecord(start, key, label, gender, roles, _in_subject(span.root)))
        # "Mr. Osei" once is enough to know the gender of every mention of Victor Osei.
        gender_by_key = {p.key: p.gender for p in people if p.gender}
        for person in people:
            person.gender = person.gender or gender_by_key.get(person.key)
        return people

    def key_at(self, start: int, end: int) -> str | None:
        """Entity key of a mention overlapping ``[start, end)``, preferring people."""
        best: str | None = None
        for m_start, m_end, label, key in self.mentions:
            if m_start < end and start < m_end:
                if label == "PERSON":
                    return key
                best = best or key
        return best

    def _key_by_surname(self, name: str) -> str | None:
        """A bare surname the entity tagger missed ("Walat said") matched to a full name seen before."""
        for _, _, label, key in reversed(self.mentions):
            if label == "PERSON" and key.split()[-1:] == [name]:
                return key
        return None

    def _latest_person(self, before: int, gender: str | None, group: bool) -> PersonRecord | None:
        """The latest compatible person, unless a recent one was a subject ("Ana Ruiz visited the town.
        She met the mayor, Tom Hale. “…,” she said": Ruiz) — pronouns keep to the salient subject."""
        candidates = [
            p
            for p in reversed(self.people)
            if p.start < before
            and group == (p.label in GROUP_LABELS)
            and not (gender and p.gender and p.gender != gender)
        ]
        if not candidates:
            return None
        subject = next((p for p in candidates if p.subject), None)
        if subject is not None and before - subject.start <= SPEAKER_CONTINUITY_CHARS:
            return subject
        return candidates[0]

    def _by_role(self, words: set[str], before: int) -> PersonRecord | None:
        for person in reversed(self.people):
            if person.start < before and person.roles & words:
                return person
        return None

    def resolve(self, subject: Span) -> Speaker:
        """Classify and resolve a subject span, remembering the speaker for the pronouns that follow."""
        speaker = self._classify(subject)
        if speaker.key in self.person_keys:
            self.last_speaker = (subject.start_char, speaker.key)
        return speaker

    def _classify(self, subject: Span) -> Speaker:
        root = subject.root
        lower = root.lower_
        if lower in RELATIVE_PRONOUNS and root.head.dep_ == "relcl":
            antecedent = root.head.head
            return self._classify(self.doc[antecedent.left_edge.i : antecedent.i + 1])
        if root.pos_ == "PRON" and lower in PERSONAL_PRONOUNS:
            return self._resolve_pronoun(subject, lower)
        key = self.key_at(subject.start_char, subject.end_char)
        if root.pos_ == "PROPN" or (key and root.ent_type_):
            return Speaker(subject.text, "named", key or self._key_by_surname(root.text))
        named = self._named_apposition(subject)
        if named is not None:
            return named
        words = {t.lower_ for t in subject} | {p for t in subject for p in t.lower_.split("-")}
        if "commander" in words and "chief" in words:
            words.add("commander-in-chief")
        determiners = {t.lower_ for t in subject if t.dep_ in ("det", "nummod", "amod")}
        if root.lower_ in self.lexicon.anonymous_heads and (
            root.tag_ in ("NNS", "NNPS")
            or determiners & self.lexicon.indefinite_determiners
            or not any(t.dep_ == "det" for t in subject)
        ):
            return Speaker(subject.text, "anonymous", key)
        person = self._by_role(words & self.lexicon.role_words, subject.start_char)
        return Speaker(subject.text, "nominal", person.key if person else key)

    def _named_apposition(self, subject: Span) -> Speaker | None:
        """The person a descriptive subject is in apposition with ("A spokesman for the ministry, Lena
        Voss, said"; "Ahmed Farouk, the commander, said" when the parser split the name off)."""
        root = subject.root
        for child in root.children:
            if child.dep_ == "appos":
                first, last = speaker_core_bounds(child)
                start, end = self.doc[first].idx, self.doc[last - 1].idx + len(self.doc[last - 1])
                key = self.key_at(start, end)
                if key in self.person_keys:
                    return Speaker(doc_text(self.doc)[start:end], "named", key)
        first = subject.start
        if first >= 2 and self.doc[first - 1].text == "," and self.doc[first - 2].ent_type_ == "PERSON":
            name = self.doc[first - 2]
            key = self.key_at(name.idx, name.idx + len(name))
            if key in self.person_keys and sentence_of(name).start == sentence_of(root).start:
                return Speaker(name.text, "named", key)
        return None

    def _resolve_pronoun(self, subject: Span, lower: str) -> Speaker:
        if lower in ("i", "we", "you"):
            return Speaker(subject.text, "pronoun", None)
        gender = "f" if lower in ("she", "her") else "m" if lower in ("he", "him") else None
        group = lower in ("they", "them", "it")
        if not group and self.last_speaker is not None:
            # "He added …" right after a quote continues the last speaker, not the last name in the text.
            offset, key = self.last_speaker
            compatible = gender is None or self.gender_by_key.get(key) in (None, gender)
            if compatible and 0 <= subject.start_char - offset <= SPEAKER_CONTINUITY_CHARS:
                return Speaker(subject.text, "pronoun", key)
        person = self._latest_person(subject.start_char, gender, group)
        if person is None:
            return Speaker(subject.text, "pronoun", None)
        if gender and person.key not in self.gender_by_key:
            self._learn_gender(person.key, gender)
        return Speaker(subject.text, "pronoun", person.key)

    def _learn_gender(self, key: str, gender: str) -> None:
        """A "she" resolved to Ana Ruiz tells later pronouns that Ruiz is not a "he"."""
        self.gender_by_key[key] = gender
        for person in self.people:
            if person.key == key:
                person.gender = gender
