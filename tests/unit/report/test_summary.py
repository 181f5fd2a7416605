"""The story summary's "Who" lists actors: people, groups and countries, not towns, rivers or adjectives."""

from __future__ import annotations

from datetime import datetime

from storyline.records import Article, ArticleAnalysis, Evidence, Mention, PlaceRef
from storyline.report.summary import summarize_stories
from storyline.store import Store, schema


def test_who_leaves_out_towns_rivers_and_demonyms_but_keeps_countries(tmp_path) -> None:  # noqa: ANN001
    text = "Kenyan police said Amina Odhiambo left Garissa for the Tana River as Kenya closed the border."
    article = Article.from_text(text, published=datetime(2030, 1, 2), outlet="Wire", origin="mem:w")

    def span(fragment: str) -> Evidence:
        start = text.index(fragment)
        return Evidence(article.id, start, start + len(fragment))

    mentions = tuple(Mention(span(t), t, label, t) for t, label in (
        ("Kenyan", "NORP"), ("Amina Odhiambo", "PERSON"), ("Garissa", "GPE"), ("Tana River", "LOC"),
        ("Kenya", "GPE")))
    places = (PlaceRef(span("Kenyan"), "Kenyan", name="Kenya", geonames_id=192950, feature_code="A.PCLI",
                       is_demonym=True),
              PlaceRef(span("Garissa"), "Garissa", name="Garissa", geonames_id=197745, feature_code="P.PPLA"),
              PlaceRef(span("Kenya"), "Kenya", name="Kenya", geonames_id=192950, feature_code="A.PCLI"))
    store = Store(tmp_path / "who.db")
    store.save_analysis(ArticleAnalysis(article=article, mentions=mentions, places=places))
    store.replace_rows(schema.stories, [{"id": "s1", "title": "Border", "first_published": None,
                                         "last_published": None, "profile": {}, "n_articles": 1}])
    store.replace_rows(schema.story_articles, [{"story_id": "s1", "article_id": article.id, "score": 1.0}])
    (summary,) = summarize_stories(store)
    assert {name for name, *_ in summary.entities} == {"Amina Odhiambo", "Kenya"}


def test_who_said_what_names_the_person_a_pronoun_was_resolved_to(tmp_path) -> None:  # noqa: ANN001
    from storyline.crossdoc.update import update_crossdoc
    from storyline.records import Claim
    from storyline.report.terminal import render_report

    text = 'Nadia Karimi spoke at the port. "The ferries will run again on Monday," she said. "Soon," he said.'
    article = Article.from_text(text, published=datetime(2030, 1, 2), outlet="Wire", origin="mem:w")

    def span(fragment: str) -> Evidence:
        start = text.index(fragment)
        return Evidence(article.id, start, start + len(fragment))

    resolved = Claim(span("The ferries will run again on Monday,"), "The ferries will run again on Monday,", "she",
                     "pronoun", speaker_key="Nadia Karimi", direct=True)
    unresolved = Claim(span("Soon,"), "Soon,", "he", "pronoun", direct=True)
    store = Store(tmp_path / "quotes.db")
    store.save_analysis(ArticleAnalysis(article=article, claims=(resolved, unresolved), mentions=(
        Mention(span("Nadia Karimi"), "Nadia Karimi", "PERSON", "Nadia Karimi"),)))
    update_crossdoc(store)
    rendered = render_report(summarize_stories(store))
    assert "- Nadia Karimi: “The ferries will run again on Monday,” (Wire)" in rendered
    assert "- he: “Soon,” (Wire)" in rendered  # an unresolved pronoun is shown as written, never guessed
