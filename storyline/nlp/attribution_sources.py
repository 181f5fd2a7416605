"""Source spans of attributions: find a cue's subject and mark its noun phrase as PolNeAR does.

Input: a cue token. Output: the subject token (repairing two parser misses: a finite cue left without a
subject, a root noun with the cue as its modifier), and token bounds of its phrase as a source (PolNeAR's
conventions, learned from its train split) or of the speaker's core name (for speaker resolution).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_content_ends import outer_cue
from storyline.nlp.attribution_spans import EXPLETIVES, QUOTE_MARK_TOKENS, same_paragraph
from storyline.nlp.doc_index import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A passive's grammatical subject is what was said, not who said it ("X is believed to …").
SUBJECT_DEPS = ("nsubj", "csubj")
DATELINE_DASHES = frozenset({"–", "—", "--", "-"})
PHRASE_BREAKS = frozenset({",", "(", "—", "–", ":", ";", "“", "”", '"'})
LEADING_SOURCE_DEPS = frozenset({"advmod", "cc", "preconj", "punct"})
# PolNeAR keeps a source's own quantifying adverbs ("Nearly half of voters", "Both parties").
SOURCE_LEADING_DEPS = frozenset({"cc", "punct"})
TRAILING_SOURCE_WORDS = frozenset({"both", "all", "alone"})
# Focus adverbs PolNeAR leaves out of a source ("Even Republicans say"; "even": out 22 times of 28 on train).
# "Only" stays: it counts the speakers ("Only three senators said"; in 9 times of 13 on train).
LEADING_FOCUS_ADVERBS = frozenset({"even", "just"})
# Clauses modifying a source that PolNeAR leaves out of it when set off by a comma ("X, speaking at …,");
# relative clauses are in as often as out on train (annotators differ), except after a bare name.
SOURCE_CLAUSE_DEPS = frozenset({"acl"})
CLAUSE_OPENERS = frozenset({",", "-", "—", "–"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON"})
# Where or how something was said ("Trump in his speech said", "her lawyers in a court filing argued"): a
# prepositional phrase on the subject naming one belongs to the saying, not the speaker, as a date does
# (PolNeAR train: source exact F1 0.7898 -> 0.7903; "Officials in the state" keeps its place).
MEDIUM_NOUNS = frozenset(
    """speech statement interview post email e-mail letter tweet filing op-ed editorial memo remarks testimony
    podcast""".split()
)
MEDIUM_PREPOSITIONS = frozenset({"in", "on", "during", "via"})
# Verbs whose "it" subject is a placeholder for the clause ("it seems that …"), not a speaker.
EXPLETIVE_IT_LEMMAS = frozenset({"seem", "appear", "be", "emerge", "remain", "happen", "turn", "matter", "follow"})
# Longest title in quote marks a source may hold ("host of “Morning Joe”").
MAX_TITLE_TOKENS = 12
# Object-experiencer verbs: their object holds the attitude (the source), their subject is its topic.
EXPERIENCER_OBJECT_LEMMAS = frozenset(
    """anger rankle mystify rattle scare frighten worry alarm trouble bother upset annoy frustrate irritate
    infuriate outrage enrage dismay disappoint disturb puzzle baffle confuse surprise shock stun amaze
    astonish impress please delight thrill excite reassure offend embarrass spook unnerve terrify horrify
    appall disgust irk intrigue fascinate concern interest""".split()
)
# Passives of feeling whose subject holds the attitude ("voters are convinced that …", "are split on …").
FELT_PASSIVE_LEMMAS = EXPERIENCER_OBJECT_LEMMAS | frozenset(
    """convince persuade pump split divide satisfy dissatisfy energize inspire motivate determine""".split()
)
# A cue with any of these has a subject the parser saw (or a placeholder one): no misparse to repair.
SUBJECTLESS_BLOCKING_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# Finite verb tags: a past or present verb at the root needs a subject ("VB" may be an imperative).
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# Nouns set off by commas that name when or how much, never who: "On Monday, March 3, …".
UNSPEAKING_ENTITY_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
# Verb heads an attribution may borrow its subject from ("…, saying that …", "and added that …").
# An adjective or a noun after a copula passes its subject on ("is likely to remind voters … by mentioning",
# "has been the most aggressive in denouncing").
SUBJECT_INHERITING_DEPS = ("advcl", "xcomp", "conj", "ccomp", "pcomp", "prep", "acomp", "attr")
# Verbs a cue may climb through to its subject ("is likely to remind … by mentioning": four).
MAX_SUBJECT_HOPS = 6


def _breaks_phrase(token: Token) -> bool:
    # A space token without a line break (a non-breaking or doubled space: "spokesman\xa0Brian Fallon")
    # is inside a name; only a line break ends the phrase.
    return "\n" in token.text or token.text in PHRASE_BREAKS


def _inner_hyphen(token: Token) -> bool:
    """A hyphen with no space on either side joins one name ("AFL-CIO", "Al-Shabaab")."""
    return token.text == "-" and not token.whitespace_ and token.i > 0 and not token.doc[token.i - 1].whitespace_


def speaker_core_bounds(subject: Token) -> tuple[int, int]:
    """Token bounds of the speaker's name or description alone, without what follows a comma (ages,
    appositions), relative clauses or participles: "Anna Berg" in "Anna Berg, who leads …, said"."""
    doc = subject.doc
    excluded = {t.i for child in subject.children if child.dep_ in ("relcl", "acl") for t in child.subtree}
    end = subject.i + 1
    for token in doc[subject.i + 1 : subject.right_edge.i + 1]:
        if _breaks_phrase(token) or token.i in excluded:
            break
        end = token.i + 1
    start = subject.i
    for token in reversed(doc[subject.left_edge.i : subject.i]):
        if (_breaks_phrase(token) or token.dep_ in LEADING_SOURCE_DEPS) and not _inner_hyphen(token):
            break
        start = token.i
    while end - 1 > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def source_bounds(subject: Token) -> tuple[int, int]:
    """Token bounds of a subject's whole noun phrase, as PolNeAR marks sources: determiners, titles,
    appositions, parentheses and relative clauses in ("Sen. X (R-Texas), also a hopeful,"); sentence
    adverbs ("Meanwhile", "Only") and anything across a line break out."""
    doc = subject.doc
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    for token in doc[start : subject.i]:
        if "\n" in token.text_with_ws:
            start = token.i + 1
    start = _after_dateline(doc, start, end)
    start = _split_off_name(subject, start)
    end = _phrase_end(subject, start, end)
    while start < subject.i and (
        doc[start].dep_ in SOURCE_LEADING_DEPS
        or doc[start].is_punct
        or doc[start].is_space
        or doc[start].lower_ in LEADING_FOCUS_ADVERBS
    ):
        start += 1
    inner_commas = sum(1 for t in doc[start : end - 1] if t.text == ",")
    while end - 1 > subject.i and doc[end - 1].is_space:
        end -= 1
    while (
        end - 1 > subject.i
        and doc[end - 1].is_punct
        and doc[end - 1].text != ")"
        and not _closes_title(doc, start, end)
    ):
        if doc[end - 1].text == "," and inner_commas:
            break  # an apposition closed by a comma: PolNeAR keeps that comma
        end -= 1
    while end - 1 > subject.i and doc[end - 1].lower_ in TRAILING_SOURCE_WORDS:
        end -= 1
    if inner_commas and end < len(doc) and doc[end].text == "," and doc[end - 1].text != ",":
        end += 1  # the comma closing an apposition belongs to the source even when parsed onto the verb
    dashes = sum(1 for t in doc[start:end] if t.text in DATELINE_DASHES)
    if dashes % 2 == 1 and end < len(doc) and doc[end].text in DATELINE_DASHES:
        end += 1  # so does the dash closing an aside ("X — a former aide —")
    return start, end


def _phrase_end(subject: Token, start: int, end: int) -> int:
    """Where the subject's phrase stops being the source: at a line break or an unpaired quote mark, a
    date ("the campaign on Monday said") or a clause PolNeAR leaves out; a title in quote marks is
    taken whole ("host of “Morning Joe,”")."""
    doc = subject.doc
    title_end = 0
    for token in doc[subject.i + 1 : end]:
        if token.i < title_end:
            continue  # inside a title already taken in whole
        title_end = _title_end(token, start, end) if token.text in QUOTE_MARK_TOKENS else 0
        if title_end:
            end = max(end, title_end)
            continue
        if "\n" in token.text or _unbalanced_quote(token, start, end):
            return token.i
        if token.dep_ == "prep" and token.head.i == subject.i and (_dated(token) or _names_medium(token)):
            return token.i  # "the campaign on Monday said": the date belongs to the saying, not the source
        if token.head.i == subject.i and _clause_left_out(token, subject):
            return token.left_edge.i  # PolNeAR leaves a participle set off by a comma out of the source
    return end


def _split_off_name(subject: Token, start: int) -> int:
    """ "Ahmed Farouk, the commander, said": the parser may hang the name on the verb and make the
    apposition the subject; the name opens the source."""
    doc = subject.doc
    if start < 2 or doc[start - 1].text != ",":
        return start
    name = doc[start - 2]
    if name.ent_type_ != "PERSON" or name.dep_ != "npadvmod" or name.head.i != subject.head.i:
        return start
    return name.left_edge.i


def _clause_left_out(clause: Token, subject: Token) -> bool:
    """A clause on the subject that PolNeAR leaves out of the source: a participle set off by a comma
    ("X, speaking on Monday, said"), or a relative clause after a bare one-word name ("Okafor, who …,
    said": out 16 times of 25 on train, while after a longer name or description it is in as often as out)."""
    if not _set_off(clause):
        return False
    return clause.dep_ in SOURCE_CLAUSE_DEPS or clause.dep_ == "relcl" and subject.left_edge.i == subject.i


def _title_end(mark: Token, start: int, end: int) -> int:
    """The token index after a title's closing mark when ``mark`` opens a short title inside the source
    ("host of “Morning Joe,”", "a co-author of ''The Art of the Deal''"; PolNeAR keeps the title and its
    marks, train: 20 sources cut short at such a mark), else 0. An opening mark follows a word and a space."""
    doc = mark.doc
    if (
        _quote_marks(doc, start, mark.i) % 2 == 1
        or mark.i == 0
        or doc[mark.i - 1].is_punct
        or not doc[mark.i - 1].whitespace_
    ):
        return 0
    window = doc[mark.i + 1 : min(mark.i + 1 + MAX_TITLE_TOKENS, sentence_of(mark).end)]
    close = next((t for t in window if t.text in QUOTE_MARK_TOKENS or "\n" in t.text), None)
    if close is None or "\n" in close.text or close.i == mark.i + 1:
        return 0
    return close.i + 1


def _closes_title(doc: Doc, start: int, end: int) -> bool:
    """The source's last token is a quote mark closing a title opened inside it: it stays."""
    return doc[end - 1].text in QUOTE_MARK_TOKENS and _quote_marks(doc, start, end - 1) % 2 == 1


def _quote_marks(doc: Doc, start: int, end: int) -> int:
    return sum(1 for t in doc[start:end] if t.text in QUOTE_MARK_TOKENS)


def _unbalanced_quote(token: Token, start: int, end: int) -> bool:
    """A quote mark in a source ends it unless the marks pair up inside it (a title: author of “X”)."""
    if token.text not in QUOTE_MARK_TOKENS:
        return False
    before = sum(1 for t in token.doc[start : token.i] if t.text in QUOTE_MARK_TOKENS)
    if before % 2 == 1:
        return False  # it closes a title opened inside the source
    return not any(t.text in QUOTE_MARK_TOKENS for t in token.doc[token.i + 1 : end])


def _dated(prep: Token) -> bool:
    """A prepositional phrase that is only a date or time ("on Monday", "in June")."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and objects[0].ent_type_ in ("DATE", "TIME")


def _names_medium(prep: Token) -> bool:
    """ "in an interview", "in a court filing": a phrase naming where something was said (MEDIUM_NOUNS)."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return prep.lower_ in MEDIUM_PREPOSITIONS and bool(objects) and objects[0].lemma_.lower() in MEDIUM_NOUNS


def _set_off(clause: Token) -> bool:
    """A clause opened by a comma or dash ("X, speaking on Monday, said")."""
    first = clause.left_edge.i
    return first > 0 and clause.doc[first - 1].text in CLAUSE_OPENERS


def _after_dateline(doc: Doc, start: int, end: int) -> int:
    """Skip a dateline ("CITY, July 9 (Agency) – Officials …") that the parser put into the source; a
    dash counts as a dateline's when it follows ")" or an all-caps place name."""
    for token in doc[start + 1 : end - 1]:
        before = doc[token.i - 1]
        if not before.whitespace_:
            continue  # a hyphen inside a name ("AFL-CIO") is no dateline dash
        if token.text in DATELINE_DASHES and (before.text == ")" or before.text.isupper() and len(before) > 1):
            start = token.i + 1
    return start


def outside_quote(subject: Token, cue: Token) -> Token | None:
    """The subject, unless a quote mark left open between it and the cue puts it inside the quotation
    ("… the same story: no water, no food," a spokeswoman said — the parser may make "water" the subject);
    then the apposition outside the quote ("a spokeswoman"), if the parser attached one."""
    if not quote_between(subject, cue):
        return subject
    return next((c for c in subject.children if c.dep_ == "appos" and not quote_between(c, cue)), None)


def quote_between(token: Token, cue: Token) -> bool:
    """An odd number of quote marks between the two tokens: one is inside a quotation, the other not."""
    low, high = sorted((token.i, cue.i))
    return sum(t.text in QUOTE_MARK_TOKENS for t in token.doc[low + 1 : high]) % 2 == 1


def find_subject(cue: Token) -> Token | None:
    """The cue's speaker: its subject (or a passive's by-phrase), borrowed from the verb it hangs on
    ("…, saying that …"); a subject inside a quotation gives way to one outside it; an inverted
    speaker the parser made an object ("“…,” added a Democrat") counts after a closing quote."""
    outer = outer_cue(cue)
    if outer is not None:
        return find_subject(outer)  # a second statement cut from the outer cue's content: its speaker's
    token: Token | None = cue
    for _ in range(MAX_SUBJECT_HOPS):
        if token is None:
            return None
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS and not _expletive(c, token)]
        if subjects:
            return _subject_outside_quote(subjects, cue)
        for child in token.children:
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return objects[0] if same_paragraph(objects[0], cue) else None
        if token.i == cue.i and _after_closing_quote(cue):
            inverted = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
            if inverted is not None and inverted.pos_ in NOMINAL_POS:
                return inverted
        if token.dep_ == "acl" and token.tag_ == "VBG" and token.head.pos_ in NOMINAL_POS:
            return token.head  # "voters saying they …": the participle's noun says it
        if token.i == cue.i:
            misparsed = _misparsed_subject(cue)
            if misparsed is not None:
                return misparsed
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        if passive and token.i != cue.i and cue.tag_ == "VBG":
            return _passive_actor(token, cue)  # "Romer was sidelined after demonstrating that …"
        if passive and token.i == cue.i and cue.lemma_.lower() in FELT_PASSIVE_LEMMAS:
            return _passive_actor(token, cue)  # "Voters are convinced that …": who feels it
        if passive or token.dep_ not in SUBJECT_INHERITING_DEPS or token.head.i == token.i:
            return None
        if token.tag_ == "VBN" and token.dep_ == "advcl":
            return None  # "Asked about it, the mayor said …": the mayor was asked; the asker is unnamed
        controller = _object_controller(token)
        if controller is not None:
            return controller
        token = token.head
    return None


def _passive_actor(verb: Token, cue: Token) -> Token | None:
    """The passive subject of the clause a gerund cue hangs on: who did the saying ("She was praised
    for saying …")."""
    patients = [c for c in verb.children if c.dep_ == "nsubjpass" and not _expletive(c, verb)]
    return _subject_outside_quote(patients, cue) if patients else None


def _misparsed_subject(cue: Token) -> Token | None:
    """The speaker of a finite cue the parser left without a subject: a noun the parser made the root
    with the cue as its modifier ("A Quinnipiac poll found last week that …"), or a name set off by
    commas after a fronted phrase that the parser hung on that phrase ("In a letter to the board, Ana
    Ruiz, its chair, wrote that …": "Ruiz" as an apposition of "board")."""
    if any(c.dep_ in SUBJECTLESS_BLOCKING_DEPS for c in cue.children):
        return None
    head = cue.head
    if cue.dep_ == "acl" and head.dep_ == "ROOT" and head.i < cue.i and head.pos_ in NOMINAL_POS:
        return head if same_paragraph(head, cue) else None  # a root noun: the sentence has no other verb
    if cue.dep_ != "ROOT" or cue.tag_ not in FINITE_TAGS:
        return None
    return _fronted_speaker(cue)


def _fronted_speaker(cue: Token) -> Token | None:
    """The highest noun set off by a comma on the way up from the word before the cue to the cue:
    "Ruiz" (not "chair", nor "board") in "In a letter to the board, Ana Ruiz, its chair, wrote"."""
    doc = cue.doc
    index = cue.i - 1
    while index >= 0 and doc[index].text == ",":
        index -= 1
    sentence_start = sentence_of(cue).start
    if index < sentence_start:
        return None
    node, speaker = doc[index], None
    while node.i < cue.i:
        opener = node.left_edge.i - 1
        if node.pos_ in NOMINAL_POS and opener >= sentence_start and doc[opener].text == ",":
            speaker = node if node.ent_type_ not in UNSPEAKING_ENTITY_LABELS else speaker
        if node.head.i == node.i:
            break
        node = node.head
    if speaker is None or not same_paragraph(speaker, cue):
        return None
    return _named_before(speaker) or speaker


def _named_before(apposition: Token) -> Token | None:
    """ "Ana Ruiz, its chair,": the parser may hang both on the same word; the name is the speaker."""
    comma = apposition.left_edge.i - 1
    name = apposition.doc[comma - 1] if comma > 0 else None
    if name is None or name.ent_type_ != "PERSON" or name.head.i != apposition.head.i:
        return None
    return name


def _object_controller(clause: Token) -> Token | None:
    """The object that controls an infinitive ("led Republicans to say", "forced Sanders to admit"):
    it, not the main verb's subject, does the saying."""
    if clause.dep_ != "xcomp" or clause.i < clause.head.i:
        return None
    objects = [c for c in clause.head.children if c.dep_ == "dobj" and c.i < clause.i and c.pos_ in NOMINAL_POS]
    if not objects or not same_paragraph(objects[0], clause):
        return None
    return objects[0]


def _expletive(subject: Token, verb: Token) -> bool:
    """ "There" always; "it" only with verbs of seeming or being ("it appears that …"): "it said" and
    "it showed" name a report or an organisation, which PolNeAR marks as the source."""
    if subject.lower_ not in EXPLETIVES:
        return False
    return subject.lower_ != "it" or verb.lemma_.lower() in EXPLETIVE_IT_LEMMAS


def _subject_outside_quote(subjects: list[Token], cue: Token) -> Token | None:
    """The first subject outside any quotation (the parser also hangs the quoted clause's subject on
    the cue: "“[Clinton] can be polarizing,” Kilfoyle said"), nearest the cue first."""
    for child in sorted(subjects, key=lambda s: abs(s.i - cue.i)):
        subject = outside_quote(child, cue)
        if subject is not None:
            return subject if same_paragraph(subject, cue) else None
    return None


def _after_closing_quote(cue: Token) -> bool:
    """The cue follows a quotation directly ("…,” added", "…” wrote"): a speaker after it is inverted."""
    doc = cue.doc
    before = [t for t in doc[max(0, cue.i - 2) : cue.i] if not t.is_space]
    if before and before[-1].text == ",":
        before = before[:-1]
    return bool(before) and before[-1].text in QUOTE_MARK_TOKENS
