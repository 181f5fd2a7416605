"""Stage entities.v1: mention spans, labels and within-article entity keys on hand-written sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.nlp.entities import (
    Candidate,
    alias_form,
    extend_particles,
    extract_mentions,
    initials_fit,
    is_junk,
    load_alias_table,
)
from storyline.records import Article, ArticleAnalysis, Mention


def mentions_of(text: str, nlp, ctx) -> tuple[Mention, ...]:  # noqa: ANN001 - spaCy objects
    analysis = ArticleAnalysis(article=Article.from_text(text))
    return extract_mentions(nlp(text), analysis, ctx)


def key_of(mentions: tuple[Mention, ...], text: str) -> str:
    keys = {m.entity_key for m in mentions if m.text == text}
    assert len(keys) == 1, f"{text!r} has keys {keys} in {mentions}"
    return keys.pop()


def test_spans_index_the_article_text(nlp, ctx) -> None:
    text = "Rebels of the Eastern Shield Brigade (ESB) said Nadia Farouk’s convoy left Raqqa on Sunday."
    mentions = mentions_of(text, nlp, ctx)
    assert mentions
    for mention in mentions:
        assert text[mention.evidence.start : mention.evidence.end] == mention.text


def test_titles_roles_and_possessives_are_stripped(nlp, ctx) -> None:
    mentions = mentions_of(
        "President Maria Delgado said the talks would go on. SDF commander Rojhat Daran told reporters "
        "the assault had begun. Omar Haddad's convoy was hit near the river.",
        nlp,
        ctx,
    )
    people = {m.text for m in mentions if m.label == "PERSON"}
    assert {"Maria Delgado", "Rojhat Daran", "Omar Haddad"} <= people
    assert not any(t.startswith(("President", "commander", "SDF")) or t.endswith("'s") for t in people)


def test_name_then_acronym_is_learned_even_when_ner_misses_the_acronym(nlp, ctx) -> None:
    mentions = mentions_of(
        "The Northern Liberation Front (NLF) claimed the attack. Hours later the NLF denied it.", nlp, ctx
    )
    nlf = [m for m in mentions if m.text == "NLF"]
    assert len(nlf) == 2
    assert {m.entity_key for m in nlf} == {"Northern Liberation Front"}


def test_acronym_then_name_is_learned(nlp, ctx) -> None:
    mentions = mentions_of(
        "Fighters of the NLF (Northern Liberation Front) withdrew from the hills.", nlp, ctx
    )
    assert key_of(mentions, "NLF") == "Northern Liberation Front"


def test_short_forms_map_to_the_full_name_in_any_order(nlp, ctx) -> None:
    mentions = mentions_of(
        "Commander Karim Yusuf Haddad led the assault. Haddad said the town would fall. Karim Yusuf later "
        "added that he was confident.",
        nlp,
        ctx,
    )
    assert key_of(mentions, "Haddad") == "Karim Yusuf Haddad"
    assert key_of(mentions, "Karim Yusuf") == "Karim Yusuf Haddad"
    assert {m.label for m in mentions if m.entity_key == "Karim Yusuf Haddad"} == {"PERSON"}


def test_trump_resolves_to_donald_trump_and_us_forms_to_the_table_name(nlp, ctx) -> None:
    mentions = mentions_of(
        "US President Donald Trump said on Friday that U.S. troops would leave. Trump "
        "added that America had won.",
        nlp,
        ctx,
    )
    assert key_of(mentions, "Trump") == "Donald Trump"
    assert {key_of(mentions, s) for s in ("US", "U.S.", "America")} == {"United States"}


def test_a_person_key_never_absorbs_a_place(nlp, ctx) -> None:
    mentions = mentions_of(
        "Jordan Peterson spoke at the forum. Later, troops crossed into Jordan from Syria.", nlp, ctx
    )
    place = [m for m in mentions if m.text == "Jordan"]
    assert place and place[0].label == "GPE" and place[0].entity_key == "Jordan"


def test_two_people_sharing_a_surname_keep_the_bare_surname_apart(nlp, ctx) -> None:
    mentions = mentions_of(
        "Ahmad Khalil and his cousin Samir Khalil fled the camp. Khalil later returned.", nlp, ctx
    )
    keys = {m.entity_key for m in mentions if m.text == "Khalil"}
    assert keys and not keys & {"Ahmad Khalil", "Samir Khalil"}


def test_armed_groups_come_from_the_alias_table(nlp, ctx) -> None:
    mentions = mentions_of(
        "Daesh fighters attacked the checkpoint. ISIS later claimed the raid, while "
        "Hashd al-Shaabi units shelled their positions.",
        nlp,
        ctx,
    )
    assert key_of(mentions, "Daesh") == key_of(mentions, "ISIS") == "Islamic State"
    assert {m.label for m in mentions if m.entity_key == "Islamic State"} == {"GROUP"}
    assert key_of(mentions, "Hashd al-Shaabi") == "Popular Mobilization Forces"


def test_shouted_headlines_and_common_words_are_not_actors(nlp, ctx) -> None:
    mentions = mentions_of(
        "WHAT IS LEFT OF THE ARMY AFTER THE SIEGE\nThe government offered an amnesty "
        "to fighters who let us pass.",
        nlp,
        ctx,
    )
    assert not [
        m for m in mentions if m.entity_key in {"Islamic State", "Amnesty International", "United States"}
    ]


def test_place_context_relabels_a_person_tag(nlp, ctx) -> None:
    mentions = mentions_of("Shelling hit the town of al-Sha'afa overnight, residents said.", nlp, ctx)
    assert [(m.text, m.label) for m in mentions if "Sha" in m.text] == [("al-Sha'afa", "GPE")]


def test_particles_extend_a_cut_place_span(nlp) -> None:
    doc = nlp("Shelling hit Deir ez-Zor overnight and later al-Mayadin.")
    deir = next(t.i for t in doc if t.text == "Deir")
    grown = extend_particles(doc, Candidate(deir, deir + 1, "GPE"))
    assert doc[grown.start : grown.end].text == "Deir ez-Zor"
    mayadin = next(t.i for t in doc if t.text == "Mayadin")
    grown = extend_particles(doc, Candidate(mayadin, mayadin + 1, "GPE"))
    assert doc[grown.start : grown.end].text == "al-Mayadin"
    # A spaced particle is a different word, not part of the name.
    doc = nlp("The convoy reached Deir ez - Zor later.")
    deir = next(t.i for t in doc if t.text == "Deir")
    assert extend_particles(doc, Candidate(deir, deir + 1, "GPE")).end == deir + 1


@pytest.mark.parametrize("text", ["1990", "x", "metre", "the army", "--"])
def test_junk_spans_are_rejected(text: str) -> None:
    assert is_junk(text)


@pytest.mark.parametrize("text", ["al-Baghdadi", "SDF", "Hajin"])
def test_real_names_are_not_junk(text: str) -> None:
    assert not is_junk(text)


def test_alias_keys_fold_quotes_case_dots_and_articles() -> None:
    assert alias_form("the U.S.") == alias_form("US") == "us"
    assert alias_form("People’s Protection Units") == alias_form("people's protection units")
    assert initials_fit("SDF", "Democratic Syrian Forces")
    assert not initials_fit("SDF", "Free Syrian Army")


def test_user_alias_file_extends_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "canonical\tlabel\taliases\tnote\nNorthern Liberation Front\tgroup\tNLF|Jabhat al-Shamal\tx\n",
        encoding="utf-8",
    )
    table = load_alias_table(extra)
    entry = table.lookup("Jabhat al-Shamal")
    assert entry is not None and entry.canonical == "Northern Liberation Front" and entry.label == "GROUP"
    assert table.lookup("Daesh") is not None  # packaged rows still there


def test_broken_alias_file_is_a_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tsv"
    broken.write_text("only one column\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.tsv:1"):
        load_alias_table(broken)
    with pytest.raises(ConfigError):
        load_alias_table(tmp_path / "missing.tsv")


def test_acronym_definition_takes_one_word_per_letter(nlp, ctx) -> None:
    mentions = mentions_of(
        "Fighters of the Turkmen-Arab Eastern Shield Brigade (ESB) took the bridge. The "
        "ESB then pushed east.",
        nlp,
        ctx,
    )
    assert {m.entity_key for m in mentions if m.text == "ESB"} == {"Eastern Shield Brigade"}
    assert any(m.text == "Eastern Shield Brigade" for m in mentions)


def test_the_stage_runs_inside_the_pipeline(ctx) -> None:
    from storyline.pipeline import analyze_text

    analysis = analyze_text("Daesh fighters fled Raqqa, SDF commander Rojhat Daran said.", ctx)
    assert not [r for r in analysis.rejections if r.stage == "entities.v1"]
    assert ("Daesh", "Islamic State") in {(m.text, m.entity_key) for m in analysis.mentions}


@pytest.mark.parametrize("text", ["", "\n\n", "(", "((SDF", "ISIS (", "— ’s —", "1,000 (2,000) 3"])
def test_degenerate_texts_give_clean_results(text: str, nlp, ctx) -> None:
    for mention in mentions_of(text, nlp, ctx):
        assert mention.text == text[mention.evidence.start : mention.evidence.end]
        assert not is_junk(mention.text)


def test_a_person_tag_ending_in_an_organisation_noun_is_an_organisation(nlp, ctx) -> None:
    from storyline.nlp.entities import Candidate, relabel_by_context

    doc = nlp("Aid came from the Sahel Relief Network and Margaret Court watched.")
    network = relabel_by_context(doc, Candidate(4, 7, "PERSON"), set())
    court = relabel_by_context(doc, Candidate(8, 10, "PERSON"), set())
    assert network.label == "ORG" and court.label == "PERSON"


def test_an_acronym_definition_after_a_common_noun_starts_at_the_name(nlp, ctx) -> None:
    texts = {m.text for m in mentions_of(
        "Fighters of the Northern Liberation Front (NLF) took the bridge, and the NLF held it.", nlp, ctx)}
    assert "Northern Liberation Front" in texts
    assert not any(t.startswith(("of ", "the ")) for t in texts), texts
