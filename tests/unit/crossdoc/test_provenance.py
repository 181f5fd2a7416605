"""Outlet registry lookups and the provenance graph's independent-origin counting."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.crossdoc.provenance import SourcedItem, build_provenance, cited_sources
from storyline.outlets import OutletRegistryError, default_registry, load_outlet_registry, match_outlet
from storyline.records import Article, ArticleAnalysis, ArticleLink
from storyline.store import Store

HEADER = "name\taliases\tdomains\tcountry\tkind\tbasis\n"


def test_registry_matches_names_aliases_domains_and_urls() -> None:
    assert match_outlet("Agence France-Presse").name == "AFP"  # type: ignore[union-attr]
    assert match_outlet("the guardian").name == "The Guardian"  # type: ignore[union-attr]
    assert match_outlet("https://www.theguardian.com/world/2019/mar/23/x").name == "The Guardian"  # type: ignore[union-attr]
    assert match_outlet("news.sky.com").name == "Sky News"  # type: ignore[union-attr]
    assert match_outlet("Hawar News").kind == "party/partisan-affiliated"  # type: ignore[union-attr]
    assert match_outlet("SOHR").kind == "ngo/monitor"  # type: ignore[union-attr]
    assert match_outlet("sputniknews.com").country == "RU"  # type: ignore[union-attr]
    assert match_outlet("Kongoussi Evening Herald") is None
    assert match_outlet("notthebbc.co.uk.example") is None


def test_registry_covers_every_kind_with_a_basis() -> None:
    registry = default_registry()
    assert 60 <= len(registry.outlets) <= 120
    kinds = {"wire", "public broadcaster", "state-controlled", "commercial", "party/partisan-affiliated",
             "ngo/monitor"}
    assert {o.kind for o in registry.outlets} == kinds
    assert all(o.basis for o in registry.outlets)


def test_extra_registry_adds_and_overrides(tmp_path) -> None:  # noqa: ANN001
    extra = tmp_path / "mine.tsv"
    extra.write_text(HEADER + "Radio Kongoussi\tRK\tradiokongoussi.example\tBF\tcommercial\tmy notes\n"
                     "Reuters\t\treuters.com\tGB\tcommercial\ttesting an override\n", encoding="utf-8")
    registry = load_outlet_registry(extra)
    assert registry.match("RK").name == "Radio Kongoussi"  # type: ignore[union-attr]
    assert registry.match("https://radiokongoussi.example/a").country == "BF"  # type: ignore[union-attr]
    assert registry.match("Reuters").kind == "commercial"  # type: ignore[union-attr]
    assert match_outlet("Reuters").kind == "wire"  # type: ignore[union-attr]  # shipped registry untouched


@pytest.mark.parametrize(("row", "reason"), [
    ("Broken\tonly three\tcolumns\n", "columns"),
    ("Odd\t\todd.example\tBF\ttabloid\tx\n", "kind"),
    ("Odd\t\todd.example\tBurkina\tcommercial\tx\n", "ISO"),
])
def test_malformed_registry_rows_fail_with_line_and_reason(tmp_path, row: str, reason: str) -> None:  # noqa: ANN001
    extra = tmp_path / "bad.tsv"
    extra.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(OutletRegistryError, match=rf"bad.tsv:2: .*{reason}"):
        load_outlet_registry(extra)


def test_credits_and_citations_become_sources() -> None:
    registry = default_registry()
    text = ("KABUL (Reuters) - Two rockets hit the airport, an official told the Guardian. According to the "
            "Syrian Observatory for Human Rights, nine people died.")
    assert cited_sources(text, registry) >= {"outlet:reuters", "outlet:guardian",
                                            "outlet:syrian observatory for human rights"}
    assert cited_sources("Residents said the market burned all night.", registry) == set()
    # A longer proper name that merely starts with an outlet's name is not that outlet.
    assert cited_sources("Turnout was low, according to the Independent Electoral Commission.", registry) == set()
    assert cited_sources("The mayor told Reuters Tuesday that 9 died.", registry) == {"outlet:reuters"}
    assert cited_sources("Data from ACLED and Airwars show a rise.", registry) == {"outlet:acled", "outlet:airwars"}


def _save(store: Store, text: str, outlet: str | None, links: tuple[ArticleLink, ...] = ()) -> str:
    article = Article.from_text(text, published=datetime(2022, 1, 2), outlet=outlet, origin=f"mem:{outlet}")
    store.save_analysis(ArticleAnalysis(article), links=links)
    return article.id


def test_duplicates_citations_and_one_outlet_collapse_into_origins(tmp_path) -> None:  # noqa: ANN001
    store = Store(tmp_path / "p.db")
    wire = _save(store, "Floods cut the road to Mopti, officials said.", "AFP")
    copy_text = "Floods cut the road to Mopti, officials said, as rain continued."
    copy = _save(store, copy_text, "Jeune Afrique",
                 (ArticleLink(Article.from_text(copy_text).id, wire, "near_duplicate", 0.9),))
    citing = _save(store, "The road to Mopti is closed, according to AFP.", "Le Monde")
    second_afp = _save(store, "A second dispatch on the Mopti floods.", "Agence France-Presse")
    unlinked = _save(store, "Floods cut the road to Mopti, officials said on Monday.", "Le Figaro")
    independent = _save(store, "Our correspondent saw the flooded road near Mopti.", "RFI")
    graph = build_provenance(store)
    assert graph.independent_origins([wire, copy, citing, second_afp]) == 1
    # Without a stored link a similar text is not assumed to be a copy.
    assert graph.independent_origins([wire, unlinked, independent]) == 3
    assert graph.outlet_kinds[wire] == "wire"
    assert ("article:" + copy, "article:" + wire, "near_duplicate") in graph.edges


def test_shared_passage_only_collapses_items_inside_the_copied_span(tmp_path) -> None:  # noqa: ANN001
    store = Store(tmp_path / "p.db")
    original = _save(store, "The governor said 30 houses were destroyed.", "Ouaga Online")
    text = "Our reporter counted 40 tents. The governor said 30 houses were destroyed."
    source = Article.from_text(text).id
    copied = (text.index("The governor"), len(text))
    link = ArticleLink(source, original, "shared_passage", 0.4, copied, (0, 43))
    _save(store, text, "Sahel Daily", (link,))
    graph = build_provenance(store)
    inside = SourcedItem(source, (copied[0] + 18, copied[0] + 20))
    outside = SourcedItem(source, (21, 23))
    assert graph.origins([SourcedItem(original, (18, 20)), inside]) == 1
    assert graph.origins([SourcedItem(original, (18, 20)), outside]) == 2
    assert graph.independent_origins([original, source]) == 1  # article level: a shared passage derives


def test_the_same_speaker_in_two_outlets_is_one_origin(tmp_path) -> None:  # noqa: ANN001
    store = Store(tmp_path / "p.db")
    a = _save(store, "The mayor said 200 families arrived.", "Ouaga Online")
    b = _save(store, "About 200 families arrived, the mayor told us.", "RFI")
    graph = build_provenance(store)
    assert graph.origins([SourcedItem(a), SourcedItem(b)]) == 2
    assert graph.origins([SourcedItem(a, attributed_to="mayor"), SourcedItem(b, attributed_to="mayor")]) == 1
