"""Place resolution in article context: counties, the article focus, strays, part-names and short forms.

Every occurrence of each listed name in a sentence is resolved together (the resolver alone, no spaCy).
"""

from __future__ import annotations

import re

from storyline.nlp.gazetteer import distance_km
from storyline.nlp.places import Toponym, default_resolver, resolve_toponyms
from storyline.pipeline import Context, analyze_articles, stage_named
from storyline.records import Article, GeoPrecision, PlaceRef


def resolve_all(text: str, *names: str) -> list[PlaceRef]:
    """Every (non-overlapping) occurrence of each name, in text order, resolved as one article."""
    toponyms: list[Toponym] = []
    for name in names:
        for match in re.finditer(re.escape(name) + r"\b", text):
            if not any(t.start <= match.start() < t.end for t in toponyms):
                toponyms.append(Toponym(match.start(), match.end(), name, name))
    toponyms.sort(key=lambda t: t.start)
    return list(resolve_toponyms(text, "t", toponyms, default_resolver()))


def by_text(refs: list[PlaceRef]) -> dict[str, PlaceRef]:
    return {r.text: r for r in refs}


def km(a: PlaceRef, b: PlaceRef) -> float:
    assert a.latitude is not None and a.longitude is not None and b.latitude is not None and b.longitude is not None
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


def test_county_takes_the_state_of_the_towns_around_it_and_its_bare_name_follows() -> None:
    text = "Suffolk County police said Riverhead stations stayed open; Suffolk officials agreed."
    refs = resolve_all(text, "Suffolk County", "Riverhead", "Suffolk")
    found = by_text(refs)
    county, riverhead, bare = found["Suffolk County"], found["Riverhead"], found["Suffolk"]
    assert (county.feature_code, county.admin1) == ("A.ADM2", "New York")
    assert bare.geonames_id == county.geonames_id  # not the town of Suffolk, Virginia
    # New York's Suffolk County has no namesake town: it is placed at the story's own town in that state.
    assert km(county, riverhead) < 1.0
    assert county.precision is GeoPrecision.REGION


def test_same_county_name_in_two_states_is_told_apart_by_the_towns() -> None:
    west = by_text(
        resolve_all("Orange County supervisors met in Anaheim and Irvine.", "Orange County", "Anaheim", "Irvine")
    )
    east = by_text(
        resolve_all("Orange County deputies patrolled Orlando and Kissimmee.", "Orange County", "Orlando", "Kissimmee")
    )
    assert west["Orange County"].admin1 == "California" and km(west["Orange County"], west["Anaheim"]) < 60
    assert east["Orange County"].admin1 == "Florida" and km(east["Orange County"], east["Orlando"]) < 100


def test_saint_and_st_spellings_of_a_county_are_one_name() -> None:
    found = by_text(
        resolve_all("St. Louis County and Saint Louis County are one place.", "St. Louis County", "Saint Louis County")
    )
    assert found["St. Louis County"].geonames_id is not None
    assert {r.admin1 for r in found.values()} <= {"Missouri", "Minnesota"}


def test_unknown_site_goes_to_the_town_cluster_not_to_a_lone_faraway_town() -> None:
    text = (
        "A spokesman in Denver said Harbor Point Marina burned; crews came from Galveston, Texas City and League City."
    )
    found = by_text(resolve_all(text, "Denver", "Harbor Point Marina", "Galveston", "Texas City", "League City"))
    marina = found["Harbor Point Marina"]
    # "Marina" is only an alternate name of a Moscow district: no part of the name is taken as the place.
    assert marina.geonames_id is None and marina.precision is GeoPrecision.NEAR
    assert km(marina, found["Galveston"]) < 60  # the Texas cluster, not Denver (ties broken by neighbours)


def test_mid_sized_namesake_abroad_yields_to_a_one_country_story() -> None:
    # A Cape Town suburb the gazetteer lacks shares its name with a small English town (twice named here).
    text = (
        "Residents of Kenilworth marched in Cape Town, Stellenbosch and Paarl, in the Western Cape, "
        "while Kenilworth shops shut."
    )
    refs = resolve_all(text, "Kenilworth", "Cape Town", "Stellenbosch", "Paarl", "Western Cape")
    suburbs = [r for r in refs if r.text == "Kenilworth"]
    assert len(suburbs) == 2
    assert all(r.country_code == "ZA" and r.geonames_id is None for r in suburbs)  # repeats do not self-confirm
    assert km(suburbs[0], by_text(refs)["Cape Town"]) < 60


def test_a_named_country_keeps_its_small_town() -> None:
    text = "The feed mill in Dinklage, Germany, supplies farms across Turkey, from Ankara to Izmir and Konya."
    found = by_text(resolve_all(text, "Dinklage", "Germany", "Turkey", "Ankara", "Izmir", "Konya"))
    assert found["Dinklage"].country_code == "DE"


def test_small_town_in_another_state_far_from_the_story_is_dropped() -> None:
    text = "Joggers circled Audubon Park in New Orleans before the parades in Metairie and Kenner."
    found = by_text(resolve_all(text, "Audubon Park", "New Orleans", "Metairie", "Kenner"))
    park = found["Audubon Park"]
    assert park.admin1 not in {"Kentucky", "New Jersey"}  # not the villages of that name 1,000 km away
    assert km(park, found["New Orleans"]) < 30


def test_part_of_a_facility_name_is_no_country_or_faraway_city() -> None:
    text = "Jazz bands paraded from Jackson Square to Congo Square in New Orleans, Louisiana."
    found = by_text(resolve_all(text, "Jackson Square", "Congo Square", "New Orleans", "Louisiana"))
    for name in ("Jackson Square", "Congo Square"):
        assert found[name].country_code == "US" and km(found[name], found["New Orleans"]) < 30
    mall = by_text(
        resolve_all(
            "Shoppers crowded the Grand Mall of Europe in Manila and Quezon City.",
            "Grand Mall of Europe",
            "Manila",
            "Quezon City",
        )
    )
    assert mall["Grand Mall of Europe"].country_code == "PH"  # not the centre of Europe
    council = by_text(
        resolve_all("Ministers from the Council of Europe met in Strasbourg.", "Council of Europe", "Strasbourg")
    )
    assert council["Council of Europe"].name == "Europe"  # a body, not a facility: its continent stands


def test_compass_part_of_a_city_is_still_that_city() -> None:
    text = "Storms hit North Houston while crews in Austin and San Antonio waited."
    found = by_text(resolve_all(text, "North Houston", "Austin", "San Antonio"))
    assert found["North Houston"].name == "Houston"


def test_state_that_shares_a_country_name_among_other_states() -> None:
    states = by_text(resolve_all("Storms hit Florida, Alabama and Georgia overnight.", "Florida", "Alabama", "Georgia"))
    assert (states["Georgia"].feature_code, states["Georgia"].country_code) == ("A.ADM1", "US")
    abroad = by_text(
        resolve_all(
            "Russia and Georgia traded accusations in Tbilisi and Moscow.", "Russia", "Georgia", "Tbilisi", "Moscow"
        )
    )
    assert abroad["Georgia"].country_code == "GE"
    # Other states alone do not turn Washington, D.C. into Washington state.
    capital = by_text(
        resolve_all(
            "Governors of Ohio, Texas and Iowa flew to Washington for talks.", "Ohio", "Texas", "Iowa", "Washington"
        )
    )
    assert capital["Washington"].feature_code == "P.PPLC"


def test_big_foreign_city_anchors_its_neighbour_across_the_border() -> None:
    found = by_text(
        resolve_all("Fans drove from Toronto to Buffalo, while others flew to Texas.", "Toronto", "Buffalo", "Texas")
    )
    assert found["Buffalo"].admin1 == "New York"  # Toronto is 100 km away; Texas alone is not enough


def test_short_form_follows_the_story() -> None:
    south_africa = by_text(
        resolve_all(
            "Load-shedding hit Johannesburg and Pretoria as SA braced for winter.", "Johannesburg", "Pretoria", "SA"
        )
    )
    assert south_africa["SA"].country_code == "ZA" and south_africa["SA"].feature_code == "A.PCLI"
    australia = by_text(
        resolve_all(
            "Bushfires near Adelaide forced SA authorities to shut roads to Mount Gambier.",
            "Adelaide",
            "SA",
            "Mount Gambier",
        )
    )
    assert australia["SA"].name == "South Australia"


def test_trailing_legal_form_of_a_company_is_not_a_country(ctx: Context) -> None:
    text = "Airbus SA and Nestle SA reported profits, the SA Police Service said in Durban."
    stages = [stage_named("entities"), stage_named("places")]
    analysis = next(analyze_articles([Article.from_text(text)], ctx, stages=stages))
    south_africa = [p for p in analysis.places if p.country_code == "ZA" and p.text == "SA"]
    assert [p.evidence.start for p in south_africa] == [text.index("SA Police")]
