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


def _event(article_id: str, source: str, text: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {"article_id": article_id, "source": source, "text": text, "coref_id": None,
                              "sub_event_type": "Armed clash", "actor1": None, "actor2": None,
                              "geonames_id": None, "event_date": None, "fatalities_low": None,
                              "fatalities_high": None, "background": False}
    row.update(fields)
    return row


def test_linked_events_merge_only_where_they_share_a_place_day_actor_or_toll() -> None:
    from storyline.report.summary import merged_events

    events = merged_events([
        _event("a1", "Wire", "Rebels clashed with troops in Gao", coref_id="c1", geonames_id=2457163),
        _event("a2", "Daily", "Fighting broke out in Gao on Monday", coref_id="c1", geonames_id=2457163),
        _event("a3", "Radio", "killed", coref_id="c1"),  # linked, but nothing pins it to the Gao fighting
        _event("a4", "Radio", "A convoy was attacked near Kidal", sub_event_type="Attack"),
    ])
    assert events[0]["sources"] == ["Wire", "Daily"] or events[0]["sources"] == ["Daily", "Wire"]
    assert len(events) == 3
    assert all(e["sources"] == ["Radio"] for e in events[1:])


def test_a_syndicated_quote_and_a_repeated_figure_are_one_item_each_ranked_first() -> None:
    from storyline.report.summary import merged_numbers, merged_quotes

    quote = "“We will not leave the valley,” "
    quotes = merged_quotes([
        {"article_id": "a1", "source": "Wire", "text": "“Talks resume on Friday,”", "speaker_name": "Ana Lind"},
        {"article_id": "a2", "source": "Daily", "text": quote, "speaker_name": None},
        {"article_id": "a3", "source": "Post", "text": quote.strip(), "speaker_name": "Omar Sy"},
    ])
    assert len(quotes) == 2 and sorted(quotes[0]["sources"]) == ["Daily", "Post"]
    figure = {"low": 40, "high": 40, "counted": "soldiers", "state": "killed", "affiliation": None}
    numbers = merged_numbers([
        {"article_id": "a1", "source": "Wire", "low": 3, "high": 3, "counted": "guards", "state": "wounded",
         "affiliation": None},
        {**figure, "article_id": "a2", "source": "Daily"},
        {**figure, "article_id": "a3", "source": "Post"},
    ])
    assert len(numbers) == 2 and numbers[0]["low"] == 40 and len(numbers[0]["sources"]) == 2
    unspecified = merged_numbers([{**figure, "counted": c, "article_id": f"b{i}", "source": f"S{i}"}
                                  for i, c in enumerate(("people", None, "deaths"))])
    assert len(unspecified) == 1 and len(unspecified[0]["sources"]) == 3


def test_story_dates_come_from_article_dates_and_an_estimate_is_only_a_lower_bound() -> None:
    from storyline.report.summary import StorySummary
    from storyline.report.terminal import render_story

    def article(day: int | None, source: str | None = "html:meta") -> dict[str, object]:
        return {"published": datetime(2031, 5, day) if day else None, "published_source": source, "outlet": "Wire",
                "duplicate_of": None}

    mixed = StorySummary("s", "T", [article(3), article(9, "estimated"), article(5), article(None)], None, None)
    assert "2031-05-03 → 2031-05-05 (2 undated)" in render_story(mixed, 1)
    estimated_only = StorySummary("s", "T", [article(9, "estimated"), article(None)], None, None)
    assert "undated (text mentions dates up to 2031-05-09)" in render_story(estimated_only, 1)


def test_linked_events_with_tolls_linking_calls_one_figure_merge_but_other_tolls_stay_apart() -> None:
    from storyline.report.summary import merged_events

    events = merged_events([
        _event("a1", "Wire", "more than 320 civilians were killed in air strikes", coref_id="c1", fatalities_low=321.0),
        _event("a2", "Daily", "at least 320 died in the raids", coref_id="c1", fatalities_low=320.0),
        _event("a3", "Radio", "400 were killed", coref_id="c1", fatalities_low=400.0),  # not the same figure
        _event("a4", "Post", "dozens were killed", coref_id="c1", fatalities_low=24.0, fatalities_high=143.0),
    ])
    assert sorted(events[0]["sources"]) == ["Daily", "Wire"]
    assert len(events) == 3 and all(len(e["sources"]) == 1 for e in events[1:])
