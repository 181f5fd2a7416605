"""The claim ledger groups one fact across articles and judges it: agree, refine, conflict, deny, update."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from storyline.crossdoc.ledger import build_ledger, counted_head, render_ledger
from storyline.records import (
    Article,
    ArticleAnalysis,
    ArticleLink,
    Claim,
    Evidence,
    Mention,
    PlaceRef,
    Quantity,
)
from storyline.store import Store

DAY1, DAY2, DAY3 = datetime(2021, 5, 3, 9), datetime(2021, 5, 4, 9), datetime(2021, 5, 5, 9)


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def count(article: Article, fragment: str, low: float | None, high: float | None, counted: str,
          state: str | None = "killed", **fields: object) -> Quantity:
    start, end = span(article.text, fragment)
    return Quantity(Evidence(article.id, start, end), fragment, low, high, counted=counted, state=state,
                    **fields)  # type: ignore[arg-type]


def measure(article: Article, fragment: str, low: float, high: float, unit: str) -> Quantity:
    start, end = span(article.text, fragment)
    return Quantity(Evidence(article.id, start, end), fragment, low, high, unit=unit)


def place(article: Article, fragment: str, name: str) -> PlaceRef:
    start, end = span(article.text, fragment)
    return PlaceRef(Evidence(article.id, start, end), fragment, name=name)


def claim(article: Article, content: str, speaker: str | None, stance: str = "assert") -> Claim:
    start, end = span(article.text, content)
    return Claim(Evidence(article.id, start, end), content, speaker, "named" if speaker else "outlet",
                 stance=stance)


def mention(article: Article, fragment: str, label: str = "GPE") -> Mention:
    start, end = span(article.text, fragment)
    return Mention(Evidence(article.id, start, end), fragment, label, fragment)


def article(text: str, outlet: str, published: datetime | None) -> Article:
    return Article.from_text(text, published=published, outlet=outlet, origin=f"mem:{outlet}")


@pytest.fixture()
def store(tmp_path) -> Store:  # noqa: ANN001
    return Store(tmp_path / "ledger.db")


def save(store: Store, art: Article, *, links: tuple[ArticleLink, ...] = (), **fields: object) -> None:
    store.save_analysis(ArticleAnalysis(article=art, **fields), links=links)  # type: ignore[arg-type]


def only_group(store: Store, kind: str, **options: object):  # noqa: ANN201
    groups = [g for g in build_ledger(store, **options) if g.kind == kind]  # type: ignore[arg-type]
    assert len(groups) == 1, render_ledger(groups)
    return groups[0]


def test_same_toll_from_two_outlets_agrees_with_two_origins(store: Store) -> None:
    a = article("Gunmen killed 12 soldiers at a checkpoint near Tessit on Monday.", "Reuters", DAY1)
    b = article("Twelve troops died when their post was overrun, officials said.", "BBC", DAY1)
    save(store, a, quantities=(count(a, "12", 12, 12, "soldiers"),))
    save(store, b, quantities=(count(b, "Twelve", 12, 12, "troops"),))
    group = only_group(store, "count")
    assert group.verdict == "agree"
    assert (group.independent_sources, group.n_articles) == (2, 2)
    assert {m.outlet for m in group.members} == {"Reuters", "BBC"}


def test_narrower_range_inside_a_wider_one_refines(store: Store) -> None:
    a = article("Between 10 and 20 civilians were killed in the raid.", "AFP", DAY1)
    b = article("Fifteen civilians were killed in the raid, a local doctor said.", "Al Jazeera", DAY1)
    save(store, a, quantities=(count(a, "Between 10 and 20", 10, 20, "civilians"),))
    save(store, b, quantities=(count(b, "Fifteen", 15, 15, "civilians"),))
    assert only_group(store, "count").verdict == "refine"


def test_distances_from_the_same_border_conflict(store: Store) -> None:
    a = article("The town lies about 50 km west of the Iraqi border, residents say.", "Sputnik", DAY1)
    b = article("The town, 30 kilometres from the border with Iraq, fell on Friday.", "NOS", DAY2)
    save(store, a, quantities=(measure(a, "about 50 km", 45, 55, "km"),), places=(place(a, "Iraqi", "Iraq"),))
    save(store, b, quantities=(measure(b, "30 kilometres", 30, 30, "km"),),
         places=(place(b, "Iraq", "Iraq"),))
    group = only_group(store, "measure")
    assert group.verdict == "conflict"
    assert "Iraq" in group.what and "border" in group.what


def test_miles_and_kilometres_are_converted_before_comparing(store: Store) -> None:
    a = article("The camp is 20 miles from Goma, aid workers said.", "Reuters", DAY1)
    b = article("Aid workers reached the camp 32 km from Goma on Tuesday.", "RFI", DAY1)
    save(store, a, quantities=(measure(a, "20 miles", 20, 20, "mi"),), places=(place(a, "Goma", "Goma"),))
    save(store, b, quantities=(measure(b, "32 km", 32, 32, "km"),), places=(place(b, "Goma", "Goma"),))
    group = only_group(store, "measure")
    assert group.verdict == "agree"
    assert group.members[0].unit == "km"
    assert sorted(round(m.low or 0, 1) for m in group.members) == [32.0, 32.2]


def test_a_distance_along_a_river_is_not_a_distance_from_it(store: Store) -> None:
    a = article("The front runs 30 km along the Euphrates.", "ANF", DAY1)
    b = article("Fighters were 5 km from the Euphrates at dawn.", "ANHA", DAY1)
    save(store, a, quantities=(measure(a, "30 km", 30, 30, "km"),),
         places=(place(a, "Euphrates", "Euphrates"),))
    save(store, b, quantities=(measure(b, "5 km", 5, 5, "km"),), places=(place(b, "Euphrates", "Euphrates"),))
    assert [g for g in build_ledger(store) if g.kind == "measure"] == []


def test_a_denial_against_an_assertion_is_a_deny_verdict(store: Store) -> None:
    a = article("Syrian media said the coalition used cluster bombs in Hajin.", "SANA", DAY1)
    b = article("The coalition denied using cluster bombs in Hajin on Thursday.", "Reuters", DAY2)
    save(store, a, claims=(claim(a, "the coalition used cluster bombs in Hajin", "Syrian media"),),
         mentions=(mention(a, "Hajin"),))
    save(store, b, claims=(claim(b, "using cluster bombs in Hajin", "The coalition", stance="deny"),),
         mentions=(mention(b, "Hajin"),))
    group = only_group(store, "statement")
    assert group.verdict == "deny"
    assert {m.stance for m in group.members} == {"assert", "deny"}


def test_statements_group_by_content_not_by_speaker_or_wording(store: Store) -> None:
    a = article("The army said rebels seized Kidal overnight.", "AFP", DAY1)
    b = article("Kidal was captured by the rebels, a local official told reporters.", "BBC", DAY1)
    c = article("Rebels attacked a convoy near Gao, the army said.", "RFI", DAY1)
    save(store, a, claims=(claim(a, "rebels seized Kidal overnight", "The army"),),
         mentions=(mention(a, "Kidal"),))
    save(store, b, claims=(claim(b, "Kidal was captured by the rebels", "a local official"),),
         mentions=(mention(b, "Kidal"),))
    save(store, c, claims=(claim(c, "Rebels attacked a convoy near Gao", "the army"),),
         mentions=(mention(c, "Gao"),))
    group = only_group(store, "statement")
    assert group.key.startswith("statement|capture(kidal")
    assert {m.outlet for m in group.members} == {"AFP", "BBC"}


def test_a_rising_toll_on_a_later_date_supersedes_the_earlier_figure(store: Store) -> None:
    a = article("At least 14 people were killed in the blast, police said.", "AP", DAY1)
    b = article("The death toll from the blast rose to 16 people on Wednesday.", "dpa", DAY2)
    save(store, a, quantities=(count(a, "At least 14", 14, 14, "people"),))
    save(store, b, quantities=(count(b, "16", 16, 16, "people"),))
    group = only_group(store, "count")
    assert group.verdict == "superseded"
    assert [(h.outlet, h.low) for h in group.history] == [("AP", 14), ("dpa", 16)]


def test_a_lower_figure_reported_later_is_a_conflict_not_an_update(store: Store) -> None:
    a = article("Sixteen people were killed in the blast.", "AP", DAY1)
    b = article("Fourteen people were killed in the blast.", "dpa", DAY2)
    save(store, a, quantities=(count(a, "Sixteen", 16, 16, "people"),))
    save(store, b, quantities=(count(b, "Fourteen", 14, 14, "people"),))
    assert only_group(store, "count").verdict == "conflict"


def test_as_of_shows_only_what_was_known_then(store: Store) -> None:
    a = article("At least 14 people were killed in the blast.", "AP", DAY1)
    b = article("The toll rose to 16 people killed.", "dpa", DAY2)
    c = article("Officials put the toll at 19 people killed.", "EFE", None)  # undated: never "known then"
    for art, fragment, value in ((a, "At least 14", 14), (b, "16", 16), (c, "19", 19)):
        save(store, art, quantities=(count(art, fragment, value, value, "people"),))
    assert build_ledger(store, as_of=DAY1) == []  # one article is not a cross-source group
    early = only_group(store, "count", as_of=DAY1, min_articles=1)
    assert [(h.outlet, h.low) for h in early.history] == [("AP", 14)]
    later = only_group(store, "count", as_of=DAY3)
    assert [h.low for h in later.history] == [14, 16]


def test_syndicated_copies_count_as_one_origin(store: Store) -> None:
    text = "Militants killed 9 villagers in Soum province on Sunday, a security source said."
    wire = article("(Reuters) - " + text, "Reuters", DAY1)
    copy = article(text + " Copyright Reuters.", "Daily Express", DAY1)
    citing = article("According to Reuters, 9 villagers died in the attack.", "Le Monde", DAY2)
    save(store, wire, quantities=(count(wire, "9", 9, 9, "villagers"),))
    save(store, copy, quantities=(count(copy, "9", 9, 9, "villagers"),),
         links=(ArticleLink(copy.id, wire.id, "near_duplicate", 0.93),))
    save(store, citing, quantities=(count(citing, "9", 9, 9, "villagers"),))
    group = only_group(store, "count")
    assert group.verdict == "agree"
    assert (group.independent_sources, group.n_articles) == (1, 3)


def test_negated_count_denies_a_positive_one(store: Store) -> None:
    a = article("Two civilians were killed in the strike, residents said.", "AFP", DAY1)
    b = article("No civilians were killed in the strike, the ministry said.", "TASS", DAY1)
    save(store, a, quantities=(count(a, "Two", 2, 2, "civilians"),))
    save(store, b, quantities=(count(b, "No", 0, 0, "civilians", negated=True),))
    assert only_group(store, "count").verdict == "deny"


def test_counted_heads_are_normalized() -> None:
    assert counted_head("deaths") == counted_head("people") == "people"
    assert counted_head("jihadists") == counted_head("fighters")
    assert counted_head("militias") == "militia"
    assert counted_head("process") == "process"


def test_render_text_and_json(store: Store) -> None:
    a = article("At least 14 people were killed in the blast, police said.", "AP", DAY1)
    b = article("The death toll from the blast rose to 16 people on Wednesday.", "dpa", DAY2)
    save(store, a, quantities=(count(a, "At least 14", 14, None, "people"),))
    save(store, b, quantities=(count(b, "16", 16, 16, "people"),))
    groups = build_ledger(store)
    text = render_ledger(groups)
    assert "≥14" in text and "AP (wire)" in text and "2021-05-04" in text
    assert "2 independent sources (2 articles)" in text
    decoded = json.loads(render_ledger(groups, fmt="json"))
    assert decoded[0]["kind"] == "count" and decoded[0]["members"][0]["published"].startswith("2021-05")
    assert render_ledger([]).startswith("No fact")
    with pytest.raises(ValueError, match="unknown ledger format"):
        render_ledger(groups, fmt="yaml")


def test_event_fatalities_at_one_place_are_grouped_across_articles(store: Store) -> None:
    from storyline.records import Event

    def event(art: Article, fragment: str, where: PlaceRef, low: float, high: float | None) -> Event:
        start, end = span(art.text, fragment)
        return Event(Evidence(art.id, start, end), "strike", "Explosions/Remote violence", "Air/drone strike",
                     location=where, fatalities_low=low, fatalities_high=high)

    a = article("An air strike on the market in Saraqib killed 8 people.", "SANA", DAY1)
    b = article("Rescuers said the strike in Saraqib killed at least 11.", "Reuters", DAY2)
    pa, pb = place(a, "Saraqib", "Saraqib"), place(b, "Saraqib", "Saraqib")
    save(store, a, places=(pa,), events=(event(a, "air strike on the market in Saraqib killed 8", pa, 8, 8),))
    save(store, b, places=(pb,), events=(event(b, "the strike in Saraqib killed at least 11", pb, 11, None),))
    group = only_group(store, "event_attribute")
    assert group.verdict == "superseded"
    assert "Saraqib" in group.what


def test_story_filter_keeps_other_stories_out(store: Store) -> None:
    from storyline.store import schema

    a = article("Gunmen killed 12 soldiers near Tessit.", "Reuters", DAY1)
    b = article("Twelve soldiers were killed near Tessit.", "BBC", DAY1)
    c = article("Twelve soldiers were killed in a separate ambush in Kidal.", "AFP", DAY1)
    for art, fragment in ((a, "12"), (b, "Twelve"), (c, "Twelve")):
        save(store, art, quantities=(count(art, fragment, 12, 12, "soldiers"),))
    store.replace_rows(schema.stories, [{"id": "s1", "title": "Tessit", "profile": {}, "n_articles": 2}])
    store.replace_rows(schema.story_articles, [{"story_id": "s1", "article_id": a.id, "score": 1.0},
                                               {"story_id": "s1", "article_id": b.id, "score": 1.0}])
    assert only_group(store, "count", story_id="s1").n_articles == 2
    assert only_group(store, "count").n_articles == 3


def test_a_figure_inside_a_denial_denies_the_group(store: Store) -> None:
    a = article("Thirty civilians were killed in the shelling of Avdiivka, officials said.", "AP", DAY1)
    b = article("The ministry denied that 30 civilians were killed in Avdiivka.", "TASS", DAY1)
    save(store, a, quantities=(count(a, "Thirty", 30, 30, "civilians"),))
    denial = claim(b, "that 30 civilians were killed in Avdiivka", "The ministry", stance="deny")
    save(store, b, quantities=(count(b, "30", 30, 30, "civilians"),), claims=(denial,))
    group = only_group(store, "count")
    assert group.verdict == "deny"
    assert [m.speaker for m in group.members if m.stance == "deny"] == ["The ministry"]


def test_grouping_keys_normalize_names_speakers_and_predicates() -> None:
    from storyline.crossdoc.ledger_keys import canonical_name, main_predicate, speaker_origin

    assert canonical_name("ISIS") == canonical_name("the Islamic State") == "islamic state"
    assert canonical_name("Syrian Democratic Forces") == canonical_name("SDF")
    assert speaker_origin("The United Nations", "named") == "united nations"
    assert speaker_origin("the monitoring group Sahel Watch", "nominal") == "sahel watch"
    assert speaker_origin("he", "pronoun") is None and speaker_origin("residents", "anonymous") is None
    assert main_predicate("rebels took the town") == main_predicate("the town was seized") == "capture"
    assert main_predicate("the talks resumed in Doha") is None


@pytest.mark.parametrize(("first", "second", "verdict"), [
    ((14, None), (16, 16), "superseded"),  # "at least 14" then "16": the toll rose
    ((14, None), (14, None), "agree"),  # the same "at least 14" repeated a day later
    ((16, 16), (14, None), "refine"),  # a later, vaguer figure does not update a precise one
])
def test_open_ranges_over_time(store: Store, first: tuple, second: tuple, verdict: str) -> None:
    a = article("At least fourteen people were killed, police said.", "AP", DAY1)
    b = article("At least fourteen people were killed, officials said a day later.", "dpa", DAY2)
    save(store, a, quantities=(count(a, "At least fourteen", *first, "people"),))
    save(store, b, quantities=(count(b, "At least fourteen", *second, "people"),))
    assert only_group(store, "count").verdict == verdict


def incident_event(art: Article, fragment: str, sub_type: str, where: PlaceRef | None = None,
                   event_type: str = "Battles"):  # noqa: ANN201
    from storyline.records import Event

    start, end = span(art.text, fragment)
    return Event(Evidence(art.id, start, end), fragment.split()[0], event_type, sub_type, location=where)


def test_tolls_of_two_different_incidents_are_not_a_conflict(store: Store) -> None:
    a = article("Two guards were killed in a gunfight at the gate of the compound.", "Outlet A", DAY1)
    b = article("An air raid on the market killed 40 guards and porters, medics said.", "Outlet B", DAY1)
    save(store, a, quantities=(count(a, "Two", 2, 2, "guards"),),
         events=(incident_event(a, "gunfight at the gate", "Armed clash"),))
    save(store, b, quantities=(count(b, "40", 40, 40, "guards"),),
         events=(incident_event(b, "air raid on the market", "Air/drone strike",
                                event_type="Explosions/Remote violence"),))
    assert [g for g in build_ledger(store) if g.kind == "count"] == []


def test_same_incident_with_different_tolls_still_conflicts(store: Store) -> None:
    a = article("The ambush near Kidal killed 9 soldiers on Monday.", "Outlet A", DAY1)
    b = article("Officials said the ambush near Kidal killed 4 soldiers.", "Outlet B", DAY1)
    pa, pb = place(a, "Kidal", "Kidal"), place(b, "Kidal", "Kidal")
    save(store, a, places=(pa,), quantities=(count(a, "9", 9, 9, "soldiers"),),
         events=(incident_event(a, "ambush near Kidal", "Armed clash", pa),))
    save(store, b, places=(pb,), quantities=(count(b, "4", 4, 4, "soldiers"),),
         events=(incident_event(b, "ambush near Kidal", "Armed clash", pb),))
    group = only_group(store, "count")
    assert group.verdict == "conflict" and group.reason == "incompatible values"


def test_stateless_counts_of_different_size_are_two_facts_not_a_conflict(store: Store) -> None:
    a = article("Some 5,000 rebel fighters refuse to lay down their arms.", "Outlet A", DAY1)
    b = article("Nearly 1,000 rebel fighters are held in camps, officials say.", "Outlet B", DAY1)
    c = article("About 1,000 rebel fighters are in custody.", "Outlet C", DAY1)
    save(store, a, quantities=(count(a, "5,000", 5000, 5000, "fighters", state=None, affiliation="rebel"),))
    save(store, b, quantities=(count(b, "1,000", 900, 999, "fighters", state=None, affiliation="rebel"),))
    save(store, c, quantities=(count(c, "1,000", 900, 1100, "fighters", state=None, affiliation="rebel"),))
    group = only_group(store, "count")
    assert {m.outlet for m in group.members} == {"Outlet B", "Outlet C"}
    assert group.verdict == "refine"


def test_figures_an_order_of_magnitude_apart_conflict_with_a_scope_warning(store: Store) -> None:
    a = article("Three villagers were killed, the mayor said.", "Outlet A", DAY1)
    b = article("At least 300 villagers were killed, a rights group said.", "Outlet B", DAY1)
    save(store, a, quantities=(count(a, "Three", 3, 3, "villagers"),))
    save(store, b, quantities=(count(b, "At least 300", 300, None, "villagers"),))
    group = only_group(store, "count")
    assert group.verdict == "conflict" and "scope" in group.reason


def test_an_article_restating_its_own_toll_in_generic_words_is_one_count(store: Store) -> None:
    a = article("Two guards died in the shootout. Police said two people were killed there.", "Outlet A", DAY1)
    b = article("Four people were killed in a separate raid on the same night.", "Outlet B", DAY1)
    save(store, a, quantities=(count(a, "Two", 2, 2, "guards"), count(a, "two", 2, 2, "people")))
    save(store, b, quantities=(count(b, "Four", 4, 4, "people"),))
    groups = [g for g in build_ledger(store, min_articles=1) if g.kind == "count"]
    by_head = {g.key.split("|")[1]: g for g in groups}
    assert [m.text for m in by_head["guard"].members] == ["Two"]
    # the other outlet's generic toll is a different figure: it stays, and article A's restatement is gone
    assert [(m.article_id, m.low) for m in by_head["people"].members] == [(b.id, 4.0)]


def test_a_toll_told_without_its_side_joins_the_one_sided_group_it_matches(store: Store) -> None:
    a = article("Rebels lost at least 200 fighters and the army 40 soldiers in the siege of Kidal.", "Outlet A", DAY1)
    b = article("At least 200 fighters were killed in the siege of Kidal, a monitor said.", "Outlet B", DAY1)
    c = article("Two fighters were killed in a separate ambush.", "Outlet C", DAY1)
    save(store, a, quantities=(count(a, "at least 200", 200, None, "fighters", affiliation="rebel"),))
    save(store, b, quantities=(count(b, "At least 200", 200, None, "fighters"),))
    save(store, c, quantities=(count(c, "Two", 2, 2, "fighters"),))
    groups = {g.key: g for g in build_ledger(store, min_articles=1) if g.kind == "count"}
    sided = next(g for key, g in groups.items() if "rebel" in key)
    assert {m.outlet for m in sided.members} == {"Outlet A", "Outlet B"} and sided.verdict == "agree"
    # a figure the sided group cannot hold stays apart instead of forming a false conflict
    assert [m.outlet for g in groups.values() if g is not sided for m in g.members] == ["Outlet C"]


def test_an_article_repeating_its_own_figure_speaks_once(store: Store) -> None:
    a = article("At least 40 people were killed. Later, officials said at least 40 people were killed.", "A", DAY1)
    save(store, a, quantities=(count(a, "At least 40", 40, None, "people"),
                               count(a, "at least 40", 40, None, "people")))
    (group,) = [g for g in build_ledger(store, min_articles=1) if g.kind == "count"]
    assert len(group.members) == 1 and group.members[0].evidence.start == 0


def test_vague_amounts_are_not_figures_to_weigh(store: Store) -> None:
    a = article("Several displaced people said the army left. About 300 people were displaced.", "AFP", DAY1)
    b = article("Some 300 people have been displaced, and a few displaced people spoke to us.", "BBC", DAY1)
    save(store, a, quantities=(count(a, "Several", 3, 9, "people", "displaced"),
                               count(a, "About 300", 270, 330, "people", "displaced")))
    save(store, b, quantities=(count(b, "Some 300", 270, 330, "people", "displaced"),
                               count(b, "a few", 2, 5, "people", "displaced")))
    group = only_group(store, "count")
    assert sorted(m.low for m in group.members) == [270, 270] and group.verdict == "agree"
