"""places.v1 recall and list rules: facilities, datelines, hyphenated names, enumerations, state demonyms."""

from __future__ import annotations

from storyline.nlp.gazetteer import normalize_name
from storyline.nlp.place_lists import enumerations
from storyline.nlp.place_spotting import dateline_toponyms, facility_toponyms, hyphen_core, is_facility_name
from storyline.nlp.places import (
    Toponym,
    default_resolver,
    embedded_toponyms,
    hyphenated_toponym,
    is_notable,
    missed_toponyms,
    resolve_toponyms,
)
from storyline.pipeline import Context, analyze_articles, stage_named
from storyline.records import Article, Evidence, Mention, PlaceRef


def places_of(text: str, ctx: Context) -> dict[str, PlaceRef]:
    stages = [stage_named("entities"), stage_named("places")]
    analysis = next(analyze_articles([Article.from_text(text)], ctx, stages=stages))
    assert analysis.rejections == ()
    return {p.text: p for p in analysis.places}


def toponyms_in(text: str, *names: str) -> list[Toponym]:
    found, cursor = [], 0
    for name in names:
        start = text.index(name, cursor)
        found.append(Toponym(start, start + len(name), name, name))
        cursor = start + len(name)
    return found


def mention(text: str, fragment: str, label: str) -> Mention:
    start = text.index(fragment)
    return Mention(Evidence("t", start, start + len(fragment)), fragment, label, fragment)


# --- enumerations -------------------------------------------------------------------------------------


def test_washington_among_us_states_is_the_state() -> None:
    text = "Cases were confirmed in Oregon, Utah, Washington and Wisconsin last week."
    refs = resolve_toponyms(
        text, "t", toponyms_in(text, "Oregon", "Utah", "Washington", "Wisconsin"), default_resolver()
    )
    washington = refs[2]
    assert washington.feature_code == "A.ADM1" and washington.country_code == "US"
    assert washington.longitude is not None and washington.longitude < -115  # the state, not the capital


def test_provinces_listed_with_provinces_stay_in_their_country() -> None:
    text = "Patients were found in British Columbia, Alberta, Manitoba, Ontario and New Brunswick."
    names = ("British Columbia", "Alberta", "Manitoba", "Ontario", "New Brunswick")
    refs = resolve_toponyms(text, "t", toponyms_in(text, *names), default_resolver())
    assert [r.country_code for r in refs] == ["CA"] * 5
    assert {r.feature_code for r in refs} == {"A.ADM1"}


def test_washington_alone_or_beside_one_city_is_not_pulled_to_the_state() -> None:
    text = "The envoys flew from Washington to Moscow and Kyiv on Monday."
    refs = resolve_toponyms(text, "t", toponyms_in(text, "Washington", "Moscow", "Kyiv"), default_resolver())
    assert refs[0].feature_code != "A.ADM1"  # no comma list: a sentence about travel, not a list of areas
    text = "Delegates from Washington and Ottawa met."
    refs = resolve_toponyms(text, "t", toponyms_in(text, "Washington", "Ottawa"), default_resolver())
    assert refs[0].feature_code != "A.ADM1"  # two names are too few to call a list


def test_georgia_follows_the_kind_of_its_list() -> None:
    resolver = default_resolver()
    text = "Troops moved through Armenia, Azerbaijan, Georgia and Turkey."
    refs = resolve_toponyms(text, "t", toponyms_in(text, "Armenia", "Azerbaijan", "Georgia", "Turkey"), resolver)
    assert refs[2].country_code == "GE"
    text = "Storms hit Alabama, Georgia, Tennessee and Florida overnight."
    refs = resolve_toponyms(text, "t", toponyms_in(text, "Alabama", "Georgia", "Tennessee", "Florida"), resolver)
    assert refs[1].country_code == "US" and refs[1].feature_code == "A.ADM1"


def test_enumeration_runs_stop_at_prose() -> None:
    text = "Paris, Lyon and Nice were calm, while Lille saw clashes."
    runs = enumerations(text, toponyms_in(text, "Paris", "Lyon", "Nice", "Lille"))
    assert runs == [[0, 1, 2]]


# --- facilities ---------------------------------------------------------------------------------------


def test_facility_names() -> None:
    assert is_facility_name("Colchester General Hospital")
    assert is_facility_name("University of Alberta")
    assert is_facility_name("the Royal Street")
    assert not is_facility_name("Hospital")  # a bare head word names no particular site
    assert not is_facility_name("Toronto Police")
    assert not is_facility_name("Bank of England")


def test_hospital_named_after_its_town_is_one_toponym() -> None:
    text = "He was taken to Colchester General Hospital with head injuries."
    found = facility_toponyms(mention(text, "Colchester General Hospital", "ORG"), default_resolver())
    assert found is not None and [t.text for t in found] == ["Colchester General Hospital"]
    assert found[0].relation == "in name"  # an institution: events must not take it as where things happened
    refs = resolve_toponyms(text, "t", found, default_resolver())
    assert refs[0].country_code == "GB" and normalize_name(refs[0].name or "") == "colchester"


def test_university_named_after_a_state_gives_no_place() -> None:
    text = "She studies geology at the University of Alberta in Edmonton."
    assert facility_toponyms(mention(text, "University of Alberta", "ORG"), default_resolver()) == ()
    # an organisation without a facility word keeps the old reading (None: not a facility)
    text = "The Alberta Energy Regulator issued a warning."
    assert facility_toponyms(mention(text, "Alberta Energy Regulator", "ORG"), default_resolver()) is None


# --- datelines ----------------------------------------------------------------------------------------


def test_capitalised_datelines_are_places() -> None:
    resolver = default_resolver()
    text = "Title line\nTORONTO — Police said on Monday. SAN DIEGO (AP) - The navy said."
    found = {t.text: t for t in dateline_toponyms(text, [], resolver)}
    assert set(found) == {"TORONTO", "SAN DIEGO"}
    refs = resolve_toponyms(text, "t", sorted(found.values(), key=lambda t: t.start), resolver)
    assert {r.country_code for r in refs} == {"CA", "US"}


def test_dateline_replaces_the_part_ner_found() -> None:
    text = "ST. LOUIS – Police arrested two men."
    louis = Toponym(4, 9, "LOUIS", "LOUIS")
    found = dateline_toponyms(text, [louis], default_resolver())
    assert [t.text for t in found] == ["ST. LOUIS"]


def test_capitalised_line_openers_that_are_not_datelines() -> None:
    resolver = default_resolver()
    text = "UPDATE: the road is open.\nJEWELL: We knew the family well.\nNEW RULES, old habits.\nUK - a note."
    assert dateline_toponyms(text, [], resolver) == []  # a speaker before a colon needs a big place


# --- hyphenated names ---------------------------------------------------------------------------------


def test_hyphen_core() -> None:
    text_of = {t: hyphen_core(t) for t in ("anti-Russian", "U.S.-led coalition", "Iran-backed militia")}
    assert {t: t[c[0] : c[1]] for t, c in text_of.items() if c} == {
        "anti-Russian": "Russian",
        "U.S.-led coalition": "U.S.",
        "Iran-backed militia": "Iran",
    }
    assert hyphen_core("Jean-Pierre") is None  # a double first name, no affix
    assert hyphen_core("Guinea-Bissau") is None
    assert hyphen_core("pro-government") is None  # the core must be a name


def test_hyphenated_demonym_and_place() -> None:
    resolver = default_resolver()
    text = "Critics saw an anti-Russian turn in the U.S.-led coalition."
    russian = hyphenated_toponym(resolver, mention(text, "anti-Russian", "NORP"), (5, 12))
    assert [(t.text, t.is_demonym, t.relation) for t in russian] == [("Russian", True, None)]
    coalition = mention(text, "U.S.-led coalition", "ORG")
    us = hyphenated_toponym(resolver, coalition, (0, 4))
    assert [(t.text, t.relation) for t in us] == [("U.S.", "in name")]


def test_a_surname_before_a_hyphen_is_not_a_town() -> None:
    text = "The Hargreaves-led team won."
    assert hyphenated_toponym(default_resolver(), mention(text, "Hargreaves-led", "PERSON"), (0, 10)) == []


# --- leading readings, demonyms ------------------------------------------------------------------------


def test_state_name_is_notable_although_a_village_shares_it() -> None:
    resolver = default_resolver()
    assert is_notable(resolver, "Texas")
    assert resolver.leading("Texas") is not None and resolver.leading("Texas").feature_code == "A.ADM1"
    found = embedded_toponyms(resolver, 0, "Texas Rangers")
    assert [t.text for t in found] == ["Texas"]


def test_state_demonym_and_person_labelled_demonym(ctx: Context) -> None:
    found = places_of("Axne is a fifth-generation Iowan who farms near Des Moines.", ctx)
    assert found["Iowan"].is_demonym and found["Iowan"].name == "Iowa"


def test_backoff_stops_at_a_particle() -> None:
    resolver = default_resolver()
    assert resolver.backoff("Ceamurlia de Jos") == ()  # not the Nigerian city of Jos
    assert [e.country_code for e in resolver.backoff("Idlib province")][:1] == ["SY"]
    assert [e.name for e in resolver.backoff("Bank of Tokyo")][:1] == ["Tokyo"]


# --- names NER left unlabelled ------------------------------------------------------------------------


def test_unlabelled_town_after_in_and_area_after_a_comma(ctx: Context) -> None:
    doc = ctx.nlp("The two men were captured in Chattanooga on Friday. The race is at Knockhill, Fife.")
    knockhill = doc.text.index("Knockhill")
    taken = [(knockhill, knockhill + len("Knockhill"))]
    found = {t.text for t in missed_toponyms(doc, taken, default_resolver())}
    if not any(e.text == "Chattanooga" for e in doc.ents):  # only what NER missed is this rule's to find
        assert "Chattanooga" in found
    if not any(e.text == "Fife" for e in doc.ents):
        assert "Fife" in found


def test_a_capitalised_word_after_in_that_is_no_place_is_left_alone(ctx: Context) -> None:
    doc = ctx.nlp("She believed in Providence and in Grace, she said, and lived in Riverdale Park.")
    found = {t.text for t in missed_toponyms(doc, [], default_resolver())}
    assert "Riverdale" not in found  # part of a longer name
    assert "Grace" not in found  # no town of that name big enough
