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
    [("a village near ", "near", None), ("fighting east of the ", "east of", None),
     ("positions 12km south-east of ", "southeast of", 12.0), ("on the outskirts of ", "near", None),
     ("the road from ", None, None), ("talks in ", None, None)],
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
    refs = resolve_toponyms(text, "t", [Toponym(0, 9, "Brontavia", "Brontavia"),
                                        Toponym(14, 27, "Qwerzy Heights", "Qwerzy Heights")], resolver)
    assert [r.geonames_id for r in refs] == [None, None]  # the resolver never invents a place


def test_misspelling_resolved_only_with_country_context() -> None:
    resolver = default_resolver()
    text = "Troops left Aleppo and Manbij for Jarabulous."
    toponyms = [Toponym(12, 18, "Aleppo", "Aleppo"), Toponym(23, 29, "Manbij", "Manbij"),
                Toponym(34, 44, "Jarabulous", "Jarabulous")]
    with_context = resolve_toponyms(text, "t", toponyms, resolver)
    assert normalize_name(with_context[2].name or "") == "jarabulus"
    alone = resolve_toponyms(text, "t", toponyms[2:], resolver)
    assert alone[0].geonames_id is None


def test_spans_index_the_article_text(ctx: Context) -> None:
    text = "Rockets fell on Kirkuk. Later, Baghdad condemned the attack."
    stages = [stage_named("entities"), stage_named("places")]
    analysis = next(analyze_articles([Article.from_text(text)], ctx, stages=stages))
    for place in analysis.places:
        assert text[place.evidence.start:place.evidence.end] == place.text
    assert {p.text for p in analysis.places} >= {"Kirkuk", "Baghdad"}
