"""Read one attribution off the dependency parse around a cue verb: source, cue and content spans.

Input: a cue verb, the article's quotations and the lexicon. Output: an ``Attribution`` following
PolNeAR's conventions learned from its train split: content keeps its "that" and its quote marks, cues
are the verb with its auxiliaries, adverbs and what stands between it and the content ("has said in a statement").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.nlp.attribution_bounds import (
    aspectual_head,
    aspectual_inner,
    continued_clause,
    experiencer_roles,
    object_with_quote,
    split_noun_object,
    without_trailing_relative,
)
from storyline.nlp.attribution_content_ends import clause_without_second_statement, without_dangling_conjunction
from storyline.nlp.attribution_cues import AttributionLexicon, cue_classifier
from storyline.nlp.attribution_gaps import content_before_cue, next_paragraph_content, passive_experiencer_roles
from storyline.nlp.attribution_sources import (
    SUBJECT_DEPS,
    find_subject,
    source_bounds,
    speaker_core_bounds,
)
from storyline.nlp.attribution_spans import (
    EXPLETIVES,
    QUOTE_MARK_TOKENS,
    Attribution,
    char_span,
    grow_to_quotes,
    is_direct,
    same_paragraph,
    trim_span,
    within_paragraph,
)
from storyline.nlp.claim_token_table import TokenTable, token_table
from storyline.nlp.doc_index import doc_text, sentence_of
from storyline.nlp.quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

CUE_PREFIX_DEPS = ("aux", "auxpass", "neg")
CUE_PREFIX_WORDS = frozenset({"also", "later", "then", "previously", "repeatedly", "again", "first"})
# Children that end a verb phrase's content: a coordinated clause is its own statement.
CONTENT_STOP_DEPS = frozenset({"cc", "conj", "punct", "mark", "advcl", "dative", "npadvmod", "agent"})
# Tokens a cue may run over up to its content ("said in a statement", "pointed out", "called for").
CUE_GAP_DEPS = frozenset(
    {
        "prt",
        "prep",
        "pobj",
        "det",
        "amod",
        "compound",
        "advmod",
        "npadvmod",
        "pcomp",
        "poss",
        "nummod",
        "punct",
        "case",
    }
)
MAX_CUE_GAP_TOKENS = 12
MAX_WORDS_BEFORE_QUOTE = 4
# Clause-taking verbs that attribute when their subject is a person or group (see ``reports_clause``).
CLAUSE_DEPS = frozenset({"ccomp"})
# Verbs of impression whose subject PolNeAR puts in the content, with no source ("X seems to agree").
PERCEPTION_LEMMAS = frozenset({"seem", "appear"})
# Complements that are a cue's own content, so an "as" clause around it does not report its head clause.
OWN_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj"})
HUMAN_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
HUMAN_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Prepositions after a by-phrase's noun that belong to the passive verb, not to the speaker.
CLAUSE_PREPOSITIONS = frozenset({"as", "for", "about", "over", "with", "on", "in", "at"})
# Verbs whose clause is an event or a causation, not something held or said ("made sure it ran").
NON_REPORTING_CLAUSE_LEMMAS = frozenset({"make", "let", "have", "get", "go", "do", "be", "help", "become"})


def _cue_span(cue: Token) -> tuple[int, int]:
    tokens = [cue]
    for child in sorted(cue.children, key=lambda t: -t.i):
        if (
            child.i < cue.i
            and child.i == min(t.i for t in tokens) - 1
            and (child.dep_ in CUE_PREFIX_DEPS or child.dep_ == "advmod" or child.lower_ in CUE_PREFIX_WORDS)
        ):
            tokens.append(child)
    for child in cue.children:
        if child.dep_ == "agent" and child.i == cue.i + 1:
            tokens.append(child)
    return char_span(tokens)


def _clausal(cue: Token) -> bool:
    return any(c.dep_ in ("ccomp", "xcomp") and same_paragraph(c, cue) for c in cue.children)


def _content_tokens(cue: Token, subject: Token | None) -> list[Token]:
    """The cue's complement: a that-clause, an infinitive, or its object phrase."""
    for child in cue.children:
        # A clause across a paragraph break is another sentence the parser glued on, not the content.
        if child.dep_ == "ccomp" and (subject is None or child.i != subject.i) and same_paragraph(child, cue):
            clause = list(child.subtree)
            kept = clause_without_second_statement(child, clause)
            return (
                kept if len(kept) < len(clause) else without_dangling_conjunction(clause) + continued_clause(cue, child)
            )
    for child in cue.children:
        if child.dep_ == "xcomp" and child.i > cue.i:
            # "urged the city to release it": the object the infinitive is about is part of the content
            objects = [c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < child.i]
            return [
                *(objects[0].subtree if objects else ()),
                *clause_without_second_statement(child, list(child.subtree)),
            ]
    # An inverted subject ("…, said Ann Lee") is the source, never part of the content.
    subject_i = subject.i if subject is not None else -1  # spaCy makes a new Token per access: compare indices
    right = [c for c in cue.children if c.i > cue.i and c.dep_ not in SUBJECT_DEPS and c.i != subject_i]
    tokens: list[Token] = []
    for child in sorted(right, key=lambda t: t.i):
        if child.dep_ in CONTENT_STOP_DEPS or (child.dep_ == "prt" and not tokens):
            if tokens:
                break
            continue  # a particle before the content is the cue's ("pointed out", "lays out")
        objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
        if child.dep_ == "prep" and not tokens and objects:
            tokens.extend(objects[0].subtree)  # "called for X": the preposition belongs to the cue
            continue
        tokens.extend(child.subtree)
    return tokens


def _content_span(
    cue: Token,
    subject: Token | None,
    quotes: list[QuoteSpan],
    cue_chars: tuple[int, int],
    lexicon: AttributionLexicon,
    strong: bool,
) -> tuple[int, int] | None:
    content_tokens = _content_tokens(cue, subject)
    if content_tokens and not _clausal(cue) and not (strong or lexicon.strong_cue(cue)):
        return None  # weak cue verbs ("backed", "spoke") count only with a clause or a quotation
    passive_subject = next((c for c in cue.children if c.dep_ == "nsubjpass" and c.lower_ not in EXPLETIVES), None)
    if passive_subject is not None and subject is not None and passive_subject.i == subject.i:
        passive_subject = None  # a passive of feeling: its subject is the source ("are pumped to …")
    if passive_subject is not None and content_tokens and not any(c.dep_ == "ccomp" for c in cue.children):
        # "X is said to have …", "Twitter is seen as a news site": what the passive is about belongs in it
        # (train: the passive subject opens the content 126 times in 154 without a that-clause)
        content_tokens = [*passive_subject.subtree, *content_tokens]
    # Without a clause, a quotation in the sentence is what was said ("“…,” X told the paper").
    quote = None if _clausal(cue) else _quote_in_sentence(quotes, sentence_of(cue), cue_chars, subject)
    if quote is not None:
        start, end = object_with_quote(content_tokens, quote, cue_chars)
    elif content_tokens:
        start, end = within_paragraph(doc_text(cue.doc), cue.idx, *char_span(content_tokens))
    else:
        return None
    text = doc_text(cue.doc)
    start, end = grow_to_quotes(text, quotes, start, end, cue_chars)
    start, end = trim_span(text, start, end)
    return (start, end) if end > start else None


def _parenthetical_content(
    cue: Token, subject: Token | None, quotes: list[QuoteSpan], cue_chars: tuple[int, int]
) -> tuple[int, int] | None:
    """ "Many of them, he said, have closed": a cue inserted into the clause it reports. PolNeAR marks the
    whole clause as content, the inserted source and cue included, so the content is the head's extent."""
    if cue.dep_ != "parataxis" or subject is None:
        return None
    if any(c.i > cue.i and not c.is_punct for c in cue.children):
        return None  # "he said on Monday …" with its own material is not a bare insertion
    head = cue.head
    sentence = sentence_of(cue)
    first = max(head.left_edge.i, sentence.start)
    last = min(head.right_edge.i, sentence.end - 1)
    text = doc_text(cue.doc)
    start, end = cue.doc[first].idx, cue.doc[last].idx + len(cue.doc[last])
    start, end = within_paragraph(text, cue.idx, start, end)
    start, end = grow_to_quotes(text, quotes, start, end, (start, start))
    start, end = trim_span(text, start, end)
    return (start, end) if end > start else None


def _as_clause_content(cue: Token, subject: Token | None, quotes: list[QuoteSpan]) -> tuple[int, int] | None:
    """ "As The Times reported, X …" / "X …, as she said": the clause the as-clause hangs on is the content,
    without the as-clause itself."""
    if cue.dep_ != "advcl" or subject is None or not any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
        return None
    if any(c.dep_ in OWN_CONTENT_DEPS for c in cue.children):
        return None  # "as she told reporters that …" has content of its own
    head, sentence = cue.head, sentence_of(cue)
    first, last = max(head.left_edge.i, sentence.start), min(head.right_edge.i, sentence.end - 1)
    if cue.right_edge.i < head.i:
        first = cue.right_edge.i + 1
    elif cue.left_edge.i > head.i:
        last = cue.left_edge.i - 1
    else:
        return None
    if last < first:
        return None
    doc, text = cue.doc, doc_text(cue.doc)
    start, end = within_paragraph(text, cue.idx, doc[first].idx, doc[last].idx + len(doc[last]))
    start, end = trim_span(text, *grow_to_quotes(text, quotes, start, end, (cue.idx, cue.idx + 1)))
    return (start, end) if end > start else None


def _extend_cue(cue: Token, cue_chars: tuple[int, int], content_start: int) -> tuple[int, int]:
    """PolNeAR cues run up to their content: "said in a statement", "pointed out", "called for", "said:"."""
    if content_start < cue_chars[1]:
        return cue_chars
    gap: list[Token] = []
    for t in cue.doc[cue.i + 1 : sentence_of(cue).end]:
        if t.idx >= content_start:
            break  # offsets only grow: no later token is in the gap (and no Token is made for them)
        if t.idx >= cue_chars[1]:
            gap.append(t)
            if len(gap) > MAX_CUE_GAP_TOKENS:
                return cue_chars
    if not gap:
        return cue_chars
    if any(t.dep_ not in CUE_GAP_DEPS or t.is_space or t.text in QUOTE_MARK_TOKENS for t in gap):
        return cue_chars
    while gap and gap[-1].is_punct and gap[-1].text != ":":
        gap.pop()
    return (cue_chars[0], gap[-1].idx + len(gap[-1])) if gap else cue_chars


def reports_clause(token: Token) -> bool:
    """A verb outside the lexicon that still attributes: a person or group (a pronoun or a named
    entity) whose clause-taking verb reports a stance or belief ("she doubts the plan will pass",
    "they wanted to leave"); PolNeAR counts these as attributions."""
    return reports_clause_at(token_table(token.doc), token.i)


def reports_clause_at(table: TokenTable, i: int) -> bool:
    """``reports_clause`` of token ``i``, read from the doc's token table."""
    if table.pos[i] != "VERB" or table.lemma[i] in NON_REPORTING_CLAUSE_LEMMAS:
        return False
    children = table.children(i)
    if not any(table.dep[c] in CLAUSE_DEPS and c > i for c in children):
        return False
    subject = next((c for c in children if table.dep[c] == "nsubj"), None)
    if subject is None:
        return False
    return table.lower[subject] in HUMAN_PRONOUNS or table.ent_type[subject] in HUMAN_ENTITY_LABELS


def attribution_from_cue(
    cue: Token, quotes: list[QuoteSpan], lexicon: AttributionLexicon, strong: bool = False
) -> Attribution | None:
    """The attribution around a speech verb, or None when it has no content (a non-speech use).
    ``strong``: the cue classifier is confident, so an object alone may be the content."""
    subject = find_subject(cue)
    is_passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
    if subject is None and not is_passive and cue.dep_ == "xcomp":
        return None  # "to tell the difference": an infinitive without a source is rarely an attribution
    cue_chars = _cue_span(cue)
    inner, head = aspectual_inner(cue), aspectual_head(cue)
    if inner is not None:
        cue_chars = (cue_chars[0], inner.idx + len(inner))  # "continued to insist": one cue
    elif head is not None:
        cue_chars = (_cue_span(head)[0], cue_chars[1])
    felt = passive_experiencer_roles(cue) if is_passive else None  # "were angered by the deal"
    content = (felt[0] if felt else None) or (
        _content_span(inner or cue, subject, quotes, cue_chars, lexicon, strong)
        or _as_clause_content(cue, subject, quotes)
        or _parenthetical_content(cue, subject, quotes, cue_chars)
        or content_before_cue(inner or cue, subject)
        or next_paragraph_content(inner or cue)
    )
    if content is None:
        return None
    source = _source_without_cue(subject, cue) if subject is not None else None
    if source is not None and cue.lemma_.lower() in PERCEPTION_LEMMAS:
        # "Investors seem to agree": the writer's impression; PolNeAR gives it no source and keeps the
        # subject in the content.
        content, source = (min(content[0], cue.doc[source[0]].idx), content[1]), None
    if not is_passive:
        content, source = experiencer_roles(cue, subject) or (content, source)
    elif felt is not None:
        source = felt[1]
    content, cue_chars = _conventional_bounds(cue, content, cue_chars, quotes, lexicon)
    hedges: tuple[str, ...] = ()
    if is_passive and subject is None and cue.lemma_.lower() in lexicon.passive_hedge_lemmas:
        hedges = (doc_text(cue.doc)[cue_chars[0] : cue_chars[1]].lower(),)
    return Attribution(
        content=content,
        cue=cue_chars,
        cue_lemma=cue.lemma_.lower(),
        source=source,
        direct=is_direct(quotes, *content),
        sentence_start=sentence_of(cue).start_char,
        sentence_end=sentence_of(cue).end_char,
        extra_hedges=hedges,
    )


def _conventional_bounds(
    cue: Token,
    content: tuple[int, int],
    cue_chars: tuple[int, int],
    quotes: list[QuoteSpan],
    lexicon: AttributionLexicon,
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Content and cue moved to PolNeAR's borders between them: a relative clause glossing the end of
    indirect content out, a speech noun object ("voiced support for") into the cue, the cue up to its content."""
    if not is_direct(quotes, *content):
        content = without_trailing_relative(cue, content, quotes)
    split = split_noun_object(cue, content, lambda t: lexicon.is_cue_noun(t) or cue_classifier().is_noun_cue(t))
    if split is not None:
        content, cue_chars = split[0], (cue_chars[0], max(cue_chars[1], split[1]))
    return content, _extend_cue(cue, cue_chars, content[0])


def _source_without_cue(subject: Token, cue: Token) -> tuple[int, int]:
    """The subject's phrase as a source, ending before the cue when the cue modifies the subject itself
    ("a GOP field largely focused on …", "voters saying …")."""
    start, end = source_bounds(subject)
    if start <= cue.i < end:
        end = max(subject.i + 1, cue.left_edge.i)
    elif subject.dep_ == "pobj" and subject.head.dep_ == "agent":
        end = min(end, _agent_end(subject))
    else:
        return start, end
    while end - 1 > subject.i and cue.doc[end - 1].is_punct:
        end -= 1
    return start, end


def _agent_end(agent: Token) -> int:
    """Where a by-phrase's speaker ends: before what the parser hung on it that belongs to the clause
    ("seen by some as a demotion", "rebuked by opponents for his plan") or a relative clause set off by
    a comma ("by Ann Ruiz, who argued …"; PolNeAR leaves both out)."""
    for child in agent.children:
        if child.i < agent.i:
            continue
        if child.dep_ == "prep" and child.lower_ in CLAUSE_PREPOSITIONS:
            return child.left_edge.i
        if child.dep_ == "relcl" and agent.doc[child.left_edge.i - 1].text == ",":
            return child.left_edge.i
    return agent.right_edge.i + 1


def _adjacent(text: str, quote: QuoteSpan, block_start: int, block_end: int) -> bool:
    """A quotation right before the source-and-cue block ("“…,” X said") or just after it, with at
    most a few words between ("X told reporters: “…”"); a quote further away belongs to another verb."""
    if quote.end <= block_start:
        return not text[quote.end : block_start].strip(" ,;:—–\n")
    if quote.start >= block_end:
        return len(text[block_end : quote.start].split()) <= MAX_WORDS_BEFORE_QUOTE
    return False


def _quote_in_sentence(
    quotes: list[QuoteSpan], sentence: Span, cue: tuple[int, int], subject: Token | None
) -> QuoteSpan | None:
    """The quotation adjacent to the cue (and its subject) in the cue's sentence."""
    text = doc_text(sentence.doc)
    block_start, block_end = cue
    if subject is not None:
        first, last = speaker_core_bounds(subject)
        block_start = min(block_start, sentence.doc[first].idx)
        block_end = max(block_end, sentence.doc[last - 1].idx + len(sentence.doc[last - 1]))
    # The parser sometimes ends a sentence at a closing mark ("…,'' | said X"), so a quotation right
    # before the block counts even outside the cue's sentence, as long as no paragraph break separates them.
    candidates = [
        q
        for q in quotes
        if (q.start < sentence.end_char and sentence.start_char < q.end or q.end <= block_start)
        and "\n" not in text[min(q.end, block_start) : max(q.start, block_start)]
        and _adjacent(text, q, block_start, block_end)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda q: min(abs(q.end - cue[0]), abs(q.start - cue[1])))
