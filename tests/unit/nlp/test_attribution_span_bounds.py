"""Source and content boundaries of attributions (PolNeAR conventions) on hand-written sentences.

Each test names the convention it checks; the expected spans are what PolNeAR's guidelines and its
train split mark, written out by hand, not copied from the system's output.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from storyline.nlp.attribution_sources import find_subject
from storyline.nlp.quotes import ClaimOptions, claims_from_doc
from storyline.records import Article, ArticleAnalysis, Claim


def claims_of(nlp, text: str) -> list[Claim]:
    analysis = ArticleAnalysis(article=Article.from_text(text))
    return list(claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=False)))


def claim_with(claims: list[Claim], word: str) -> Claim:
    matching = [c for c in claims if word in c.content]
    assert len(matching) == 1, [(c.content, c.cue) for c in claims]
    return matching[0]


def source_of(text: str, claim: Claim) -> str | None:
    return text[claim.speaker_span[0] : claim.speaker_span[1]] if claim.speaker_span else None


def content_of(text: str, claim: Claim) -> str:
    return text[claim.evidence.start : claim.evidence.end]


# --- sources -----------------------------------------------------------------------------------------


def test_subject_inside_the_quotation_gives_way_to_the_speaker_after_it(nlp) -> None:
    # The parse PolNeAR text often gets: the quoted clause's subject hung on "said" as a second subject.
    words = ["“", "[", "Moreno", "]", "can", "be", "stubborn", ",", "”", "Ellis", "said", "."]
    heads = [10, 2, 10, 2, 5, 10, 5, 10, 10, 10, 10, 10]
    deps = ["punct", "punct", "nsubj", "punct", "aux", "ccomp", "acomp", "punct", "punct", "nsubj", "ROOT", "punct"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    subject = find_subject(doc[10])
    assert subject is not None and subject.text == "Ellis"


# (convention, text, a word of the content, the source PolNeAR marks)
SOURCE_CASES = [
    (
        "it said names a report",
        "The agency released its figures on Monday. It said that 40 wells had run dry.",
        "wells",
        "It",
    ),
    (
        "inverted after a quotation",
        "“The levee will hold for now,” added a senior engineer.",
        "levee",
        "a senior engineer",
    ),
    (
        "object of led to",
        "The flooding led local officials to warn that more rain was coming.",
        "rain",
        "local officials",
    ),
    (
        "focus adverb out",
        "Even the governor's closest allies said the budget was too small.",
        "budget",
        "the governor's closest allies",
    ),
    (
        "relative clause after a bare surname out",
        "Okafor, who visited the camp on Friday, said the tents were full.",
        "tents",
        "Okafor",
    ),
    (
        "relative clause after a described person in",
        "The engineer Ruth Okafor, who visited the camp on Friday, said the tents were full.",
        "tents",
        "The engineer Ruth Okafor, who visited the camp on Friday,",
    ),
    ("hyphenated name", "The AFL-CIO said it would back the strike.", "strike", "The AFL-CIO"),
    (
        "dateline before the source",
        "KAMPALA, March 3 (Reuters) - Police spokesman Fred Enanga said 12 people were arrested.",
        "arrested",
        "Police spokesman Fred Enanga",
    ),
]


@pytest.mark.parametrize(("text", "word", "source"), [c[1:] for c in SOURCE_CASES], ids=[c[0] for c in SOURCE_CASES])
def test_source_bounds(nlp, text: str, word: str, source: str) -> None:
    assert source_of(text, claim_with(claims_of(nlp, text), word)) == source


def test_it_seems_has_no_source(nlp) -> None:
    assert all(c.speaker_span is None for c in claims_of(nlp, "It seems that the wells are running dry."))


def test_asked_participle_has_no_source_but_the_answer_has(nlp) -> None:
    text = "Asked about the levy, the mayor said the vote would go ahead."
    claims = claims_of(nlp, text)
    assert source_of(text, claim_with(claims, "levy")) is None
    assert source_of(text, claim_with(claims, "vote")) == "the mayor"


def test_object_experiencer_verb_swaps_source_and_content(nlp) -> None:
    text = "The decision to close the dam angered many farmers."
    claim = claim_with(claims_of(nlp, text), "decision")
    assert source_of(text, claim) == "many farmers"
    assert content_of(text, claim) == "The decision to close the dam"


def test_speaker_of_a_long_source_is_its_core_name(nlp) -> None:
    text = "The engineer Ruth Okafor, who visited the camp on Friday, said the tents were full."
    assert claim_with(claims_of(nlp, text), "tents").speaker == "Ruth Okafor"
    text = "The AFL-CIO said it would back the strike."
    assert claim_with(claims_of(nlp, text), "strike").speaker == "The AFL-CIO"


# --- contents and cues -------------------------------------------------------------------------------

# (convention, text, a word of the content, the content and the cue PolNeAR marks)
CONTENT_CASES = [
    (
        "object framing a quotation",
        "The mayor called the plan “a disaster for the river.”",
        "disaster",
        "the plan “a disaster for the river.”",
        "called",
    ),
    (
        "object of an infinitive cue",
        "The council urged residents to boil their drinking water.",
        "boil",
        "residents to boil their drinking water",
        "urged",
    ),
    (
        "aspectual verb joins the cue",
        "The minister continued to insist that the dam was safe.",
        "safe",
        "that the dam was safe",
        "continued to insist",
    ),
    (
        "particle joins the cue",
        "The senator laid out a plan for new levees along the river.",
        "levees",
        "a plan for new levees along the river",
        "laid out",
    ),
    (
        "trailing relative clause glossing a name",
        "She said the money went to the Delta Fund, which manages the dams.",
        "money",
        "the money went to the Delta Fund",
        "said",
    ),
    (
        "relative clause inside a quotation kept",
        "She said the money went to “the Delta Fund, which manages the dams.”",
        "money",
        "the money went to “the Delta Fund, which manages the dams.”",
        "said",
    ),
    (
        "passive subject opens the content",
        "The new bridge is widely seen as a symbol of the recovery.",
        "symbol",
        "The new bridge is widely seen as a symbol of the recovery",
        "is widely seen",
    ),
    (
        "adjective of attitude joins the cue",
        "Many voters remain reluctant to back the new levy.",
        "levy",
        "to back the new levy",
        "remain reluctant",
    ),
    (
        "speech noun object joins the cue",
        "The union voiced strong support for the striking nurses.",
        "nurses",
        "the striking nurses",
        "voiced strong support for",
    ),
]


@pytest.mark.parametrize(
    ("text", "word", "content", "cue"), [c[1:] for c in CONTENT_CASES], ids=[c[0] for c in CONTENT_CASES]
)
def test_content_and_cue_bounds(nlp, text: str, word: str, content: str, cue: str) -> None:
    claim = claim_with(claims_of(nlp, text), word)
    assert (content_of(text, claim), claim.cue) == (content, cue)


def test_nested_attribution_is_one_outer_claim(nlp) -> None:
    text = "Ruiz said that Hale had told her the dam would fail."
    claims = claims_of(nlp, text)
    assert len(claims) == 1
    assert source_of(text, claims[0]) == "Ruiz"
    assert content_of(text, claims[0]) == "that Hale had told her the dam would fail"


# --- speakers the parser left without a subject, titles in sources, contents before the cue, passives,
# gerunds and noun cues ------------------------------------------------------------------------------------


def test_quotation_after_an_inverted_speaker_is_no_title(nlp) -> None:
    # The second half of a split quote follows the name: it is what was said, not part of the source.
    text = "“We will win,” said Tom Reyes, “no matter what.”"
    claim = claim_with(claims_of(nlp, text), "win")
    assert source_of(text, claim) == "Tom Reyes"


def test_reduced_relative_with_a_main_verb_keeps_its_subject(nlp) -> None:
    # "released by the state" modifies the subject; "showed" has its own subject, so nothing is repaired.
    text = "A survey released by the state showed that rents rose."
    claim = claim_with(claims_of(nlp, text), "rents")
    assert source_of(text, claim) == "A survey released by the state"


def test_fronted_phrase_alone_is_no_speaker(nlp) -> None:
    # A date set off by commas ("Monday, March 4,") says when, never who: the subjectless verb stays so.
    text = "In a 2019 memo to the mayor on Monday, March 4, recounted that the pipes had failed."
    cue = next(t for t in nlp(text) if t.lower_ == "recounted")
    assert find_subject(cue) is None


ROLE_CASES = [
    # (id, text, cue, source, content)
    (
        "root noun with the cue as its modifier",
        "A Marist University poll found last week that the mayor leads by nine points.",
        "found last week",
        "A Marist University poll",
        "that the mayor leads by nine points",
    ),
    (
        "name set off by commas after a fronted phrase",
        "In a 2019 memo to the mayor, Okafor, head of the Water Board, recounted that the pipes had failed.",
        "recounted",
        "Okafor, head of the Water Board,",
        "that the pipes had failed",
    ),
    (
        "title in quote marks whose closing mark the parser hung on the verb",
        "Mark Olsen, the host of “Morning Edition,” said the show would end in May.",
        "said",
        "Mark Olsen, the host of “Morning Edition,”",
        "the show would end in May",
    ),
    (
        "book title after 'of'",
        "Jo Park, a co-author of “The Quiet Years,” said the figures were wrong.",
        "said",
        "Jo Park, a co-author of “The Quiet Years,”",
        "the figures were wrong",
    ),
    (
        "object-gap relative: the relative pronoun is the content",
        "The senator defended the tax plan, which Ms. Ortiz strongly opposed.",
        "strongly opposed",
        "Ms. Ortiz",
        "which",
    ),
    ("object-gap relative without a pronoun", "It is a deal she once supported.", "once supported", "she", "a deal"),
    (
        "passive with a by-phrase: the passive subject is the content",
        "The ruling was criticized by civil rights groups.",
        "was criticized by",
        "civil rights groups",
        "The ruling",
    ),
    (
        "passive of an experiencer verb: the subject feels, the by-phrase is what about",
        "Local officials were angered by the decision.",
        "were angered by",
        "Local officials",
        "the decision",
    ),
    (
        "a by-phrase speaker without its relative clause",
        "The merger was criticized by Ann Ruiz, who leads the union.",
        "was criticized by",
        "Ann Ruiz",
        "The merger",
    ),
    (
        "gerund after a preposition borrows the subject through an adjective",
        "He is likely to win over donors by citing his record.",
        "citing",
        "He",
        "his record",
    ),
    (
        "gerund on a passive clause: the passive subject did the saying",
        "Romer was sidelined after arguing that the package was too small.",
        "arguing",
        "Romer",
        "that the package was too small",
    ),
    (
        "passive of feeling: its subject holds the view",
        "Most voters are convinced that the race is over.",
        "convinced",
        "Most voters",
        "that the race is over",
    ),
    (
        "noun cue after a copula: the copula's subject",
        "She has been an outspoken critic of the mayor's budget.",
        "an outspoken critic of",
        "She",
        "the mayor's budget",
    ),
    (
        "noun cue in a manner phrase: the verb's subject",
        "Longtime friends still speak with admiration of her work.",
        "admiration of",
        "Longtime friends",
        "her work",
    ),
]


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"), [c[1:] for c in ROLE_CASES], ids=[c[0] for c in ROLE_CASES]
)
def test_roles_of_unusual_cues(nlp, text: str, cue: str, source: str, content: str) -> None:
    claims = [c for c in claims_of(nlp, text) if c.cue == cue]
    assert [(source_of(text, c), content_of(text, c)) for c in claims] == [(source, content)]


def test_passive_of_asking_has_no_content_before_it(nlp) -> None:
    # "was asked by": the passive subject is who was addressed, never what was said.
    text = "She was asked by a reporter about the vote."
    assert not [c for c in claims_of(nlp, text) if content_of(text, c) == "She"]


def test_subject_relative_reads_its_content_after_the_verb(nlp) -> None:
    # "who opposed the plan": no gap, the object after the verb is the content and "the aide" no content.
    text = "The mayor fired the aide who opposed the plan."
    assert "the aide" not in [content_of(text, c) for c in claims_of(nlp, text)]
