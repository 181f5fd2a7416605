"""Speaker resolution (issue #4 item 3): pronoun and nominal speakers resolve to the named person,
checked on short multi-sentence articles written for these tests."""

from __future__ import annotations

import re

from storyline.nlp.quotes import ClaimOptions, claims_from_doc
from storyline.records import Article, ArticleAnalysis, Claim, Evidence, Mention


def _mentions(text: str, people: tuple[str, ...], groups: tuple[str, ...] = ()) -> tuple[Mention, ...]:
    """Mentions as the entity stage would give them: each person's full name and bare surname, each
    group's name."""
    article_id = Article.from_text(text).id
    forms = [(form, name, "PERSON") for name in people for form in (name, name.split()[-1])]
    forms += [(name, name, "ORG") for name in groups]
    found: list[Mention] = []
    for form, name, label in forms:
        for match in re.finditer(rf"\b{re.escape(form)}\b", text):
            if not any(m.evidence.start <= match.start() < m.evidence.end for m in found):
                found.append(Mention(Evidence(article_id, match.start(), match.end()), form, label, name))
    return tuple(sorted(found, key=lambda m: m.evidence.start))


def claim_about(nlp, text: str, people: tuple[str, ...], word: str, groups: tuple[str, ...] = ()) -> Claim:
    analysis = ArticleAnalysis(article=Article.from_text(text), mentions=_mentions(text, people, groups))
    claims = [c for c in claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=False)) if word in c.content]
    assert len(claims) == 1, [c.content for c in claims]
    return claims[0]


def test_pronoun_keeps_to_the_recent_subject_not_a_later_object(nlp) -> None:
    text = (
        "Maria Lindqvist toured the flooded town on Monday. She met the mayor, Peter Haas, at the bridge.\n\n"
        "“We need pumps now,” she said."
    )
    claim = claim_about(nlp, text, ("Maria Lindqvist", "Peter Haas"), "pumps")
    assert claim.speaker_kind == "pronoun" and claim.speaker_key == "Maria Lindqvist"


def test_pronoun_gender_learned_from_an_earlier_pronoun(nlp) -> None:
    # Nothing in the names tells their gender; "She" said of Ruiz rules Ruiz out for "He".
    text = (
        "Ana Ruiz toured the camp on Sunday. She said the tents were full. Tom Hale stayed behind at the "
        "gate. He added that food would last a week."
    )
    tents = claim_about(nlp, text, ("Ana Ruiz", "Tom Hale"), "tents")
    food = claim_about(nlp, text, ("Ana Ruiz", "Tom Hale"), "food")
    assert tents.speaker_key == "Ana Ruiz"
    assert food.speaker == "He" and food.speaker_key == "Tom Hale"


def test_description_with_a_named_apposition_is_that_person(nlp) -> None:
    text = "A spokesman for the ministry, Lena Voss, said the figures could not be confirmed."
    claim = claim_about(nlp, text, ("Lena Voss",), "figures")
    assert claim.speaker == "Lena Voss" and claim.speaker_key == "Lena Voss"
    assert claim.speaker_kind == "named"


def test_role_from_an_apposition_resolves_a_later_nominal(nlp) -> None:
    text = (
        "Colonel Ahmed Farouk, the commander of the northern brigade, said his troops had held the line. "
        "Shelling continued overnight. The commander said reinforcements would arrive by Friday."
    )
    first = claim_about(nlp, text, ("Ahmed Farouk",), "troops")
    later = claim_about(nlp, text, ("Ahmed Farouk",), "reinforcements")
    assert first.speaker_key == "Ahmed Farouk"
    assert later.speaker_kind == "nominal" and later.speaker_key == "Ahmed Farouk"


def test_he_added_after_a_quote_stays_with_the_quoted_speaker(nlp) -> None:
    text = (
        "Interior Minister Daniel Okoro spoke to reporters in the capital. Police chief Samuel Adeyemi was "
        "also present.\n\n“The search will continue through the night,” Okoro said. He added that three "
        "villages had been evacuated."
    )
    claim = claim_about(nlp, text, ("Daniel Okoro", "Samuel Adeyemi"), "villages")
    assert claim.speaker_kind == "pronoun" and claim.speaker_key == "Daniel Okoro"


def test_they_resolves_to_an_organisation_not_a_person(nlp) -> None:
    text = (
        "The Red Cross said on Wednesday that 300 families had been displaced. Its director, Omar Said, "
        "visited the camp. They warned that clean water was running out."
    )
    claim = claim_about(nlp, text, ("Omar Said",), "water", groups=("Red Cross",))
    assert claim.speaker == "They" and claim.speaker_key == "Red Cross"
