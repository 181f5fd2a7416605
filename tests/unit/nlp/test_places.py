"""places.v1: toponyms, demonyms and relative locations in sentences, resolved with article context."""

from __future__ import annotations

import pytest

from storyline.nlp.gazetteer import normalize_name
from storyline.nlp.places import Toponym, default_resolver, relation_before, resolve_toponyms
from storyline.pipeline import Context, analyze_articles, stage_named
from storyline.records import Article, GeoPrecision, PlaceRef


def places_of(text: str, ctx: Context) -> dict[str, PlaceRef]:
    stages = [stage_named("entities"), stage_named("places")]
    analysis = next(analyze_articles([Article.from_text(text)], ctx, stages=stages))
    assert analysis.rejections == ()
    return {p.text: p for p in analysis.places}


def test_paris_in_texas_by_its_neighbours(ctx: Context) -> None:
    found = places_of("A tornado tore through Paris, Texas, and crews came from Dallas and Tyler.", ctx)
    assert found["Paris"].country_code == "US"
    assert found["Paris"].admin1 == "Texas"
    assert found["Texas"].feature_code == "A.ADM1"
    assert found["Texas"].precision is GeoPrecision.REGION


def test_paris_in_france_by_default_and_by_neighbours(ctx: Context) -> None:
    found = places_of("Protesters marched through Paris while police in Lyon and Marseille waited.", ctx)
    assert found["Paris"].country_code == "FR"
    assert found["Paris"].precision is GeoPrecision.EXACT
    assert found["Lyon"].latitude == pytest.approx(45.75, abs=0.2)


def test_curated_feature_beats_small_towns_of_the_same_name() -> None:
    text = "Patrols searched the Badia for cells."
    refs = resolve_toponyms(text, "t", [Toponym(21, 26, "Badia", "Badia")], default_resolver())
    assert refs[0].name == "Syrian Desert" and refs[0].precision is GeoPrecision.REGION


def test_country_wins_over_same_named_towns(ctx: Context) -> None:
    found = places_of("Aid convoys crossed from Jordan after talks in Amman.", ctx)
    assert found["Jordan"].feature_code == "A.PCLI"
    assert found["Jordan"].country_code == "JO"


def test_demonyms_become_their_country_or_region(ctx: Context) -> None:
    found = places_of("Syrian and Iraqi troops met Kurdish fighters on the frontier.", ctx)
    assert found["Syrian"].is_demonym and found["Syrian"].country_code == "SY"
    assert found["Iraqi"].country_code == "IQ"
    assert found["Kurdish"].name == "Kurdistan"
    assert all(p.precision is GeoPrecision.REGION for p in found.values())


def test_relative_locations_keep_anchor_relation_and_distance(ctx: Context) -> None:
    found = places_of("Shelling hit farms 50 km west of Raqqa; a convoy stopped 15 miles north of Homs.", ctx)
    raqqa, homs = found["Raqqa"], found["Homs"]
    assert (raqqa.relation, raqqa.distance_km, raqqa.country_code) == ("west of", 50.0, "SY")
    assert raqqa.precision is GeoPrecision.NEAR
    assert homs.relation == "north of" and homs.distance_km == pytest.approx(24.14, abs=0.01)


@pytest.mark.parametrize(
    ("before", "relation", "distance"),
    [
        ("a village near ", "near", None),
        ("fighting east of the ", "east of", None),
        ("positions 12km south-east of ", "southeast of", 12.0),
        ("on the outskirts of ", "near", None),
        ("the road from ", None, None),
        ("talks in ", None, None),
    ],
)
def test_relation_patterns(before: str, relation: str | None, distance: float | None) -> None:
    assert relation_before(before + "X", len(before)) == (relation, distance)


def test_organisation_name_is_not_a_place_but_its_country_is_marked(ctx: Context) -> None:
    found = places_of("The Syrian Observatory for Human Rights said 12 people died in Idlib.", ctx)
    assert "Syrian Observatory for Human Rights" not in found
    assert found["Syrian"].relation == "in name"  # kept for geotagging, flagged so events skip it
    assert found["Idlib"].country_code == "SY"


def test_unknown_one_word_gpe_is_dropped_but_longer_unknown_name_kept() -> None:
    resolver = default_resolver()
    text = "Brontavia and Qwerzy Heights were quiet."
    refs = resolve_toponyms(
        text,
        "t",
        [Toponym(0, 9, "Brontavia", "Brontavia"), Toponym(14, 27, "Qwerzy Heights", "Qwerzy Heights")],
        resolver,
    )
    assert [r.geonames_id for r in refs] == [None, None]  # the resolver never invents a place


def test_misspelling_resolved_only_with_country_context() -> None:
    resolver = default_resolver()
    text = "Troops left Aleppo and Manbij for Jarabulous."
    toponyms = [
        Toponym(12, 18, "Aleppo", "Aleppo"),
        Toponym(23, 29, "Manbij", "Manbij"),
        Toponym(34, 44, "Jarabulous", "Jarabulous"),
    ]
    with_context = resolve_toponyms(text, "t", toponyms, resolver)
    assert normalize_name(with_context[2].name or "") == "jarabulus"
    alone = resolve_toponyms(text, "t", toponyms[2:], resolver)
    assert alone[0].geonames_id is None


def test_spans_index_the_article_text(ctx: Context) -> None:
    text = "Rockets fell on Kirkuk. Later, Baghdad condemned the attack."
    stages = [stage_named("entities"), stage_named("places")]
    analysis = next(analyze_articles([Article.from_text(text)], ctx, stages=stages))
    for place in analysis.places:
        assert text[place.evidence.start : place.evidence.end] == place.text
    assert {p.text for p in analysis.places} >= {"Kirkuk", "Baghdad"}


def resolve_names(text: str, *names: str) -> dict[str, PlaceRef]:
    """The resolver alone on the given names (first occurrence of each in ``text``)."""
    toponyms = []
    for name in names:
        start = text.index(name)
        toponyms.append(Toponym(start, start + len(name), name, name))
    return {r.text: r for r in resolve_toponyms(text, "t", toponyms, default_resolver())}


def test_washington_is_the_state_when_the_article_names_its_towns() -> None:
    found = resolve_names(
        "Wildfires spread across Washington; Spokane and Yakima opened shelters.", "Washington", "Spokane", "Yakima"
    )
    assert found["Washington"].feature_code == "A.ADM1"
    assert found["Spokane"].admin1 == "Washington"


def test_washington_alone_is_the_capital() -> None:
    found = resolve_names("Diplomats in Washington rejected the offer.", "Washington")
    assert found["Washington"].feature_code == "P.PPLC"
    assert found["Washington"].admin1 == "District of Columbia"


def test_town_and_state_do_not_confirm_each_other() -> None:
    # Parkland is bigger in Washington state, but the article names Florida; "Washington" must then stay
    # the capital instead of being pulled to the state by the wrong Parkland (and pulling it back).
    found = resolve_names(
        "Students from Parkland, Florida, took their march to Washington.", "Parkland", "Florida", "Washington"
    )
    assert found["Parkland"].admin1 == "Florida"
    assert found["Washington"].feature_code == "P.PPLC"


def test_new_york_city_does_not_make_new_york_the_state() -> None:
    # Towns of New York state say nothing about state vs city when the city itself is in that state.
    found = resolve_names("Commuters from Yonkers and Albany poured into New York.", "Yonkers", "Albany", "New York")
    assert found["Albany"].admin1 == "New York"
    assert found["New York"].country_code == "US"


def test_unknown_county_is_placed_at_the_article_focus_not_at_a_namesake_town() -> None:
    text = "Larimer Township deputies said roads from Denver to Aurora and Denver suburbs were closed."
    found = resolve_names(text, "Larimer Township", "Denver", "Aurora")
    unknown, denver = found["Larimer Township"], found["Denver"]
    assert unknown.geonames_id is None and unknown.name is None  # no gazetteer entry is invented
    assert unknown.precision is GeoPrecision.NEAR
    assert (unknown.latitude, unknown.longitude) == (denver.latitude, denver.longitude)


def test_county_suffix_does_not_back_off_to_a_same_named_town() -> None:
    text = "Montgomery County officials met in Rockville and Bethesda."
    found = resolve_names(text, "Montgomery County", "Rockville", "Bethesda")
    county = found["Montgomery County"]
    assert county.name != "Montgomery" and county.admin1 == "Maryland"


def test_parish_places_an_ambiguous_town_in_louisiana() -> None:
    found = resolve_names("Ouachita Parish deputies patrolled Monroe overnight.", "Ouachita Parish", "Monroe")
    assert found["Monroe"].admin1 == "Louisiana"
    parish, monroe = found["Ouachita Parish"], found["Monroe"]
    # A known parish (from the US county list) with no namesake town: placed at the story's town in its state.
    assert (parish.feature_code, parish.admin1, parish.precision) == ("A.ADM2", "Louisiana", GeoPrecision.REGION)
    assert (parish.latitude, parish.longitude) == (monroe.latitude, monroe.longitude)


def test_small_foreign_namesake_in_a_one_country_article_is_not_taken() -> None:
    # "Heathrow" in cities500 is only a small Florida town; in a British story it is not that town.
    text = "Flights from Heathrow were cut as London, Manchester and Britain braced for snow."
    found = resolve_names(text, "Heathrow", "London", "Manchester", "Britain")
    assert found["Heathrow"].country_code == "GB"


def test_continental_demonym_is_the_continent(ctx: Context) -> None:
    found = places_of("African and Asian leaders met in Geneva.", ctx)
    assert found["African"].feature_code == "L.CONT" and found["African"].name == "Africa"
    assert found["Asian"].name == "Asia"


def test_curated_counties_and_provinces_beat_small_towns() -> None:
    found = resolve_names("Storms battered Dorset, Somerset and Fife.", "Dorset", "Somerset", "Fife")
    assert {r.country_code for r in found.values()} == {"GB"}
    assert all(r.feature_code == "A.ADM2" for r in found.values())
    kenya = resolve_names("Cholera spread from Nyanza to Nairobi.", "Nyanza", "Nairobi")
    assert kenya["Nyanza"].country_code == "KE"


def test_demonym_never_resolves_to_a_town_of_the_same_name() -> None:
    text = "Arab ministers met in Birmingham, Alabama."
    toponyms = [
        Toponym(0, 4, "Arab", "Middle East", is_demonym=True),
        Toponym(22, 32, "Birmingham", "Birmingham"),
        Toponym(34, 41, "Alabama", "Alabama"),
    ]
    refs = resolve_toponyms(text, "t", toponyms, default_resolver())
    assert refs[0].feature_code == "L.RGN" and refs[0].country_code is None
    assert refs[1].admin1 == "Alabama"


def test_one_word_org_or_person_tags_that_are_towns_of_the_article_country() -> None:
    from storyline.nlp.places import toponyms_from_mentions
    from storyline.records import ArticleAnalysis, Evidence, Mention

    text = ("Troops left Kaya in Burkina Faso for Djibo. Djibo said nothing. "
            "Villagers fled near Dori. Sawadogo spoke to Nokia.")
    article = Article.from_text(text)

    def mention(fragment: str, label: str, nth: int = 0) -> Mention:
        start = -1
        for _ in range(nth + 1):
            start = text.index(fragment, start + 1)
        return Mention(Evidence(article.id, start, start + len(fragment)), fragment, label, fragment)

    mentions = (
        mention("Kaya", "GPE"), mention("Burkina Faso", "GPE"),
        mention("Djibo", "ORG"), mention("Djibo", "ORG", 1),  # an organisation tag on a town of the country
        mention("Dori", "PERSON"),  # a person tag after "near"
        mention("Sawadogo", "PERSON"),  # a surname, no locative word: stays a person
        mention("Nokia", "ORG"),  # an organisation that is no town of Burkina Faso
    )
    found = {t.text for t in toponyms_from_mentions(ArticleAnalysis(article=article, mentions=mentions),
                                                    default_resolver())}
    assert {"Kaya", "Burkina Faso", "Djibo", "Dori"} <= found
    assert "Sawadogo" not in found and "Nokia" not in found
