"""Source bounds on hand-written sentences: a phrase naming where something was said ("in an interview")
ends the source, as a date does, while one narrowing down who speaks ("Officials in the state") stays;
"Only" counting the speakers stays, "Even" is left out."""

from __future__ import annotations

import pytest

from storyline.nlp.quotes import ClaimOptions, claims_from_doc
from storyline.records import Article, ArticleAnalysis


def sources_of(nlp, text: str) -> list[str | None]:
    analysis = ArticleAnalysis(article=Article.from_text(text))
    claims = claims_from_doc(nlp(text), analysis, ClaimOptions(outlet_claims=False))
    return [text[c.speaker_span[0] : c.speaker_span[1]] if c.speaker_span else None for c in claims]


# (sentence, the source PolNeAR marks), by convention.
SOURCES = [
    # The medium of a statement is not part of the speaker.
    ("Senate Minority Whip Dick Durbin in an interview said the bill would fail.", "Senate Minority Whip Dick Durbin"),
    ("Her lawyers in a court filing argued that the search was illegal.", "Her lawyers"),
    ("The governor in a statement said the bridge would reopen.", "The governor"),
    ("The senator in a letter to the board wrote that the plan was flawed.", "The senator"),
    # A phrase saying which people speak stays in the source.
    ("Officials in the state said the roads were closed.", "Officials in the state"),
    ("Voters in Ohio said the economy mattered most.", "Voters in Ohio"),
    # "Only" counts the speakers and stays; "even" only stresses them and is left out.
    ("Only three senators said they would vote for the bill.", "Only three senators"),
    ("Only 7 percent said the country was on the right track.", "Only 7 percent"),
    ("Even Republicans say the plan is too costly.", "Republicans"),
]


@pytest.mark.parametrize(("text", "source"), SOURCES)
def test_source_bounds(nlp, text: str, source: str) -> None:
    assert sources_of(nlp, text) == [source]
