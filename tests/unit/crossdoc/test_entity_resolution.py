"""Cross-article entity resolution on hand-made entity groups (no spaCy needed)."""

from __future__ import annotations

import time

import pytest

from storyline.crossdoc import entities as resolution_module
from storyline.crossdoc.entities import EntityGroup, groups_from_analysis, resolve_entities
from storyline.records import Article, ArticleAnalysis, Evidence, Mention, content_id


def group(article: str, key: str, label: str = "PERSON", *forms: str, context: tuple[str, ...] = ()) -> EntityGroup:
    return EntityGroup(article, key, label, forms or (key,), context)


def same(resolution, a: tuple[str, str], b: tuple[str, str]) -> bool:  # noqa: ANN001
    return resolution.by_key[a].id == resolution.by_key[b].id


def test_transliteration_variants_and_particles_merge() -> None:
    resolution = resolve_entities(
        [
            group("a1", "Abu Bakr al-Baghdadi", "PERSON", "Abu Bakr al-Baghdadi", "al-Baghdadi"),
            group("a2", "al-Bagdadi"),
            group("a3", "Abu Bakr el-Baghdady", "PERSON"),
            group("a4", "Baghdadi", "ORG"),  # NER's ORG for a person's surname still joins the person
            group("a5", "Abu Bakr al-Baghdadi"),  # the most frequent full form becomes the name
        ]
    )
    entity = resolution.by_key[("a1", "Abu Bakr al-Baghdadi")]
    assert all(
        same(resolution, ("a1", "Abu Bakr al-Baghdadi"), (a, k))
        for a, k in [("a2", "al-Bagdadi"), ("a3", "Abu Bakr el-Baghdady"), ("a4", "Baghdadi")]
    )
    assert entity.name == "Abu Bakr al-Baghdadi" and entity.label == "PERSON"
    assert entity.id == content_id("PERSON", "Abu Bakr al-Baghdadi")
    assert {"al-Bagdadi", "Baghdadi"} <= set(entity.aliases)


def test_vowel_spellings_of_one_name_merge() -> None:
    resolution = resolve_entities([group("a1", "Abu Mouhanad al-Sheekh"), group("a2", "Abu Muhanad al-Shikh")])
    assert same(resolution, ("a1", "Abu Mouhanad al-Sheekh"), ("a2", "Abu Muhanad al-Shikh"))


def test_different_people_with_a_shared_first_name_do_not_merge() -> None:
    resolution = resolve_entities([group("a1", "Bruce Hoffman"), group("a2", "Bruce Wayne")])
    assert not same(resolution, ("a1", "Bruce Hoffman"), ("a2", "Bruce Wayne"))


def test_bare_surname_merges_only_when_one_full_name_matches() -> None:
    alone = resolve_entities([group("a1", "Donald Trump"), group("a2", "Trump")])
    assert same(alone, ("a1", "Donald Trump"), ("a2", "Trump"))
    crowded = resolve_entities([group("a1", "Donald Trump"), group("a2", "Ivanka Trump"), group("a3", "Trump")])
    assert not same(crowded, ("a1", "Donald Trump"), ("a2", "Ivanka Trump"))
    assert not same(crowded, ("a3", "Trump"), ("a1", "Donald Trump"))
    assert not same(crowded, ("a3", "Trump"), ("a2", "Ivanka Trump"))


def test_a_surname_shared_inside_groups_does_not_join_two_people() -> None:
    resolution = resolve_entities(
        [
            group("a1", "Donald Trump", "PERSON", "Donald Trump", "Trump"),
            group("a2", "Ivanka Trump", "PERSON", "Ivanka Trump", "Trump"),
        ]
    )
    assert not same(resolution, ("a1", "Donald Trump"), ("a2", "Ivanka Trump"))


def test_context_words_settle_an_ambiguous_surname() -> None:
    resolution = resolve_entities(
        [
            group("a1", "Ahmad Khalil", context=("checkpoint", "militia", "commander", "ambush")),
            group("a2", "Samir Khalil", context=("football", "league", "coach")),
            group("a3", "Khalil", context=("militia", "ambush", "checkpoint", "convoy")),
        ]
    )
    assert same(resolution, ("a3", "Khalil"), ("a1", "Ahmad Khalil"))
    assert not same(resolution, ("a1", "Ahmad Khalil"), ("a2", "Samir Khalil"))


def test_labels_gate_merges() -> None:
    resolution = resolve_entities(
        [
            group("a1", "Baghdadi", "PERSON"),
            group("a2", "Baghdad", "GPE"),
            group("a3", "Jordan", "GPE"),
            group("a4", "Jordan", "PERSON"),
        ]
    )
    assert not same(resolution, ("a1", "Baghdadi"), ("a2", "Baghdad"))
    assert not same(resolution, ("a3", "Jordan"), ("a4", "Jordan"))


def test_alias_table_names_win() -> None:
    resolution = resolve_entities(
        [
            group("a1", "Daesh", "ORG"),
            group("a2", "ISIL", "GROUP"),
            group("a3", "Islamic State", "GROUP", "IS"),
            group("a4", "U.S.", "GPE"),
            group("a5", "America", "GPE"),
            group("a6", "United States", "GPE"),
        ]
    )
    islamic_state = resolution.by_key[("a1", "Daesh")]
    assert islamic_state.name == "Islamic State" and islamic_state.label == "GROUP"
    assert same(resolution, ("a1", "Daesh"), ("a2", "ISIL")) and same(
        resolution, ("a2", "ISIL"), ("a3", "Islamic State")
    )
    assert resolution.by_key[("a4", "U.S.")].name == "United States"
    assert same(resolution, ("a4", "U.S."), ("a5", "America")) and not same(resolution, ("a1", "Daesh"), ("a4", "U.S."))


def test_acronym_learned_in_one_article_applies_to_another() -> None:
    resolution = resolve_entities(
        [
            group("a1", "Northern Liberation Front", "ORG", "Northern Liberation Front", "NLF"),
            group("a2", "NLF", "ORG"),
            group("a3", "Liberation Front", "ORG"),  # organisations need the same words: no merge
        ]
    )
    assert same(resolution, ("a1", "Northern Liberation Front"), ("a2", "NLF"))
    assert not same(resolution, ("a1", "Northern Liberation Front"), ("a3", "Liberation Front"))
    assert resolution.by_key[("a2", "NLF")].name == "Northern Liberation Front"


def test_place_spellings_merge_without_spaces_and_hyphens() -> None:
    resolution = resolve_entities(
        [group("a1", "Ras al-Ain", "GPE"), group("a2", "Ras Alain", "GPE"), group("a3", "Raqqa", "GPE")]
    )
    assert same(resolution, ("a1", "Ras al-Ain"), ("a2", "Ras Alain"))
    assert not same(resolution, ("a1", "Ras al-Ain"), ("a3", "Raqqa"))


def test_incremental_run_attaches_to_existing_entities() -> None:
    first = resolve_entities(
        [
            group("a1", "Abu Bakr al-Baghdadi", "PERSON", "Abu Bakr al-Baghdadi", "al-Baghdadi"),
            group("a2", "Mazloum Abdi"),
        ]
    )
    known = first.by_key[("a1", "Abu Bakr al-Baghdadi")]
    later = resolve_entities([group("b1", "al-Bagdadi"), group("b2", "Sean Ryan")], existing=first.entities)
    attached = later.by_key[("b1", "al-Bagdadi")]
    assert attached.id == known.id and attached.name == known.name
    assert "al-Bagdadi" in attached.aliases
    assert later.by_key[("b2", "Sean Ryan")].id not in {e.id for e in first.entities}


def test_groups_from_analysis_collects_forms_and_context() -> None:
    text = "Karim Haddad led the ambush. Haddad said the convoy burned."
    article = Article.from_text(text)
    mentions = (
        Mention(Evidence(article.id, 0, 12), "Karim Haddad", "PERSON", "Karim Haddad"),
        Mention(Evidence(article.id, 29, 35), "Haddad", "PERSON", "Karim Haddad"),
    )
    (only,) = groups_from_analysis(ArticleAnalysis(article=article, mentions=mentions))
    assert only.surface_forms == ("Karim Haddad", "Haddad")
    assert "ambush" in only.context_words and "haddad" not in only.context_words


def test_resolution_is_blocked_not_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = resolution_module.compare_nodes

    def counting(a, b):  # noqa: ANN001, ANN202
        nonlocal calls
        calls += 1
        return original(a, b)

    monkeypatch.setattr(resolution_module, "compare_nodes", counting)
    syllables = ["ka", "ro", "mi", "ta", "lu", "ne", "sa", "do", "vi", "pe", "zu", "ha"]
    names = sorted(
        {
            f"{a}{b}{c} {d}{e}{f}x"
            for a in syllables
            for b in syllables
            for c in syllables[:3]
            for d, e, f in [(b, a, c)]
        }
    )[:3000]
    groups = [group(f"a{i}", name.title()) for i, name in enumerate(names)]
    started = time.perf_counter()
    resolution = resolve_entities(groups)
    assert time.perf_counter() - started < 10
    assert calls < len(groups) * (len(groups) - 1) / 2 / 20
    assert len(resolution.by_key) == len(groups)


def counting_compare(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    compared: list[tuple[str, str]] = []
    original = resolution_module.compare_nodes

    def counting(a, b):  # noqa: ANN001, ANN202
        compared.append((a.widest, b.widest))
        return original(a, b)

    monkeypatch.setattr(resolution_module, "compare_nodes", counting)
    return compared


def test_a_name_repeated_in_many_articles_is_compared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = counting_compare(monkeypatch)
    groups = [group(f"a{i}", "Karim Haddad") for i in range(300)]
    groups += [group(f"b{i}", "Kareem Hadad") for i in range(300)]
    resolution = resolve_entities(groups)
    assert len({e.id for e in resolution.by_key.values()}) == 1
    assert len(compared) <= 1


def test_names_from_an_earlier_run_are_not_compared_again(monkeypatch: pytest.MonkeyPatch) -> None:
    first = resolve_entities(
        [
            group(f"a{i}", f"Omar {name}")
            for i, name in enumerate(["Haddad", "Hadad", "Khalil", "Kalil", "Nasser", "Naser", "Mansour", "Mansur"])
        ]
    )
    assert len(first.entities) == 4
    compared = counting_compare(monkeypatch)
    later = resolve_entities([group("b1", "Omar Hadaad")], existing=first.entities)
    assert later.by_key[("b1", "Omar Hadaad")].id == first.by_key[("a0", "Omar Haddad")].id
    assert compared and all("Omar Hadaad" in pair for pair in compared)


def test_a_surname_stays_ambiguous_however_often_one_full_name_appears() -> None:
    groups = [group(f"a{i}", "Donald Trump") for i in range(40)]
    groups += [group("b1", "Ivanka Trump"), group("c1", "Trump")]
    resolution = resolve_entities(groups)
    assert not same(resolution, ("c1", "Trump"), ("a0", "Donald Trump"))
    assert not same(resolution, ("c1", "Trump"), ("b1", "Ivanka Trump"))


def test_a_first_name_too_common_to_block_on_still_lets_surnames_merge() -> None:
    syllables = ["ka", "ro", "mi", "ta", "lu", "ne", "sa", "do", "vi", "pe", "zu", "ha"]
    crowd = [f"{a}{b}{c}ni" for a in syllables for b in syllables for c in syllables[:2]]
    assert len(crowd) > resolution_module.MAX_BLOCK
    groups = [group(f"m{i}", f"Mohammed {surname.title()}") for i, surname in enumerate(crowd)]
    groups += [group("x1", "Mohamed al-Rashidi"), group("x2", "Mohammed al-Rasheedi")]
    resolution = resolve_entities(groups)
    assert same(resolution, ("x1", "Mohamed al-Rashidi"), ("x2", "Mohammed al-Rasheedi"))
    assert not same(resolution, ("m0", f"Mohammed {crowd[0].title()}"), ("x1", "Mohamed al-Rashidi"))


def test_a_new_name_meeting_many_similar_names_compares_only_the_closest(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.crossdoc.entity_blocking import MAX_CANDIDATES

    syllables = ["ka", "ro", "mi", "ta", "lu", "ne", "sa", "do", "vi", "pe"]
    # any two surnames differ in at least two syllables, so none is a spelling variant of another
    surnames = [
        f"{a}{b}{syllables[(i + j) % 10]}".title() for i, a in enumerate(syllables) for j, b in enumerate(syllables)
    ]
    known = resolve_entities([group(f"m{i}", f"Mohammed {surname}") for i, surname in enumerate(surnames)])
    assert len(known.entities) == len(surnames)
    compared = counting_compare(monkeypatch)
    target = f"Mohammed {surnames[57]}"
    typo = target + "a"  # one letter more: a spelling variant
    later = resolve_entities([group("n1", typo)], existing=known.entities)
    assert len(compared) <= MAX_CANDIDATES
    assert later.by_key[("n1", typo)].id == known.by_key[("m57", target)].id


def test_an_entity_takes_the_label_most_of_its_articles_give_a_place_or_an_organisation() -> None:
    country = resolve_entities([group(f"a{i}", "Burkina Faso", "GPE") for i in range(3)]
                               + [group("a9", "Burkina Faso", "PERSON")])
    assert country.by_key[("a9", "Burkina Faso")].label == "GPE"
    network = resolve_entities([group("b1", "Sahel Relief Network", "PERSON"),
                                group("b2", "Sahel Relief Network", "PERSON"),
                                group("b3", "Sahel Relief Network", "ORG")])
    assert network.by_key[("b1", "Sahel Relief Network")].label == "ORG"
    person = resolve_entities([group("c1", "Amina Diallo", "PERSON"), group("c2", "Amina Diallo", "ORG")])
    assert person.by_key[("c2", "Amina Diallo")].label == "PERSON"
