"""Shortcuts of the cross-document update give what the plain computation gives: nodes of a recurring name
share derived keys, texts read by the story step are reused by entity resolution, context words and story
profiles come out as before."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

import storyline.crossdoc.update as update_module
from storyline.crossdoc.entities import CONTEXT_STOPWORDS, groups_from_analysis
from storyline.crossdoc.entity_nodes import EntityGroup, group_node, group_nodes
from storyline.crossdoc.stories import article_profile
from storyline.crossdoc.update import update_crossdoc, update_entities, update_stories
from storyline.records import Article, ArticleAnalysis, Evidence, Mention, OffsetSegment, content_id
from storyline.store import Store, schema

DERIVED = ("bucket", "widest", "identity_forms", "blocking_keys", "pair_keys")


def _group(article: str, key: str, label: str, *forms: str) -> EntityGroup:
    return EntityGroup(article, key, label, forms, ("ferry", article))


def test_group_nodes_share_keys_of_a_recurring_name_and_match_single_nodes() -> None:
    groups = [
        _group("a1", "Oyelaran Adewale", "PERSON", "Oyelaran Adewale", "Adewale"),
        _group("a2", "Oyelaran Adewale", "PERSON", "Oyelaran Adewale", "Adewale"),
        _group("a3", "Oyelaran Adewale", "ORG", "Oyelaran Adewale", "Adewale"),  # another label: not a twin
        _group("a4", "Adewale", "PERSON", "Adewale", "Oyelaran Adewale"),  # another form order: not a twin
        _group("a5", "Lake Tchad", "GPE", "Lake Tchad"),
    ]
    shared = group_nodes(groups)
    single = [group_node(g) for g in groups]
    for got, expected in zip(shared, single, strict=True):
        assert got.group == expected.group and got.context == expected.context
        for name in DERIVED:
            assert getattr(got, name) == getattr(expected, name), name
    assert shared[1].blocking_keys is shared[0].blocking_keys  # computed once for the twin
    assert shared[2].bucket == shared[0].bucket and shared[2].label != shared[0].label
    assert shared[1].identity_forms is not shared[0].identity_forms  # a list each: no aliasing


def test_context_words_skip_stopwords_and_the_mentions_own_words_per_mention() -> None:
    text = "Mbeki Tshwane thanked the lifeboat crews. Later, Tshwane praised Mbeki while rescuers rested."
    first, second = text.index("Mbeki Tshwane"), text.index("Tshwane praised")
    mentions = (
        Mention(Evidence("a1", first, first + 13), "Mbeki Tshwane", "PERSON", "Mbeki Tshwane"),
        Mention(Evidence("a1", second, second + 7), "Tshwane", "PERSON", "Mbeki Tshwane"),
        Mention(Evidence("a1", 0, 5), "Mbeki", "GPE", "Mbeki"),  # one key, another label: its own group
    )
    person, place = groups_from_analysis(ArticleAnalysis(Article(id="a1", text=text), mentions=mentions), window=40)
    assert person.surface_forms == ("Mbeki Tshwane", "Tshwane")
    assert (place.entity_key, place.label) == ("Mbeki", "GPE")
    # "mbeki" is a word of the first mention, not of "Tshwane": the second window counts it once
    assert "mbeki" in person.context_words and "tshwane" not in person.context_words
    assert "lifeboat" in person.context_words and not set(person.context_words) & CONTEXT_STOPWORDS
    assert "tshwane" in place.context_words  # not the place mention's own word


def test_context_words_keep_the_part_of_a_word_cut_by_the_window() -> None:
    text = "Floodwater reached Kanduyi overnight, submerging bridges."
    start = text.index("Kanduyi")
    mention = Mention(Evidence("a1", start, start + 7), "Kanduyi", "GPE", "Kanduyi")
    (group,) = groups_from_analysis(ArticleAnalysis(Article(id="a1", text=text), mentions=(mention,)), window=6)
    assert set(group.context_words) == {"ached", "overn"}  # what a search of the window's own slice finds


def test_article_profile_is_unit_length_with_entities_weighted_above_words() -> None:
    profile = article_profile("Storm storm storm hits Ventnor pier; pier closed.", "Storm at Ventnor", ["Ventnor"])
    assert math.isclose(math.sqrt(sum(w * w for w in profile.values())), 1.0)
    assert profile["e:ventnor"] > profile["w:storm"] > profile["w:pier"] > profile["w:closed"]


def _stored(store: Store, name: str, text: str, names: list[str]) -> None:
    article = Article(
        id=content_id("shortcut-test", name), text=text, raw_text=text, segments=(OffsetSegment(0, 0, len(text)),)
    )
    mentions = tuple(
        Mention(Evidence(article.id, text.index(n), text.index(n) + len(n)), n, "PERSON", n) for n in names
    )
    store.save_analysis(ArticleAnalysis(article, mentions=mentions))


def _entity_rows(store: Store) -> tuple[Counter[str], list[str]]:
    names = Counter(r["name"] for r in store.rows(schema.entities))
    mention_entities = sorted(r["entity_id"] or "" for r in store.rows(schema.mentions))
    return names, mention_entities


def test_entities_reuse_the_texts_the_story_step_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = [
        ("r1", "Coach Aurelio Brandt resigned after the derby loss.", ["Aurelio Brandt"]),
        ("r2", "Brandt left the club on Sunday, his assistant said.", ["Brandt"]),
        ("r3", "Aurelio Brant, the departing coach, thanked the fans.", ["Aurelio Brant"]),
    ]
    plain, shared = Store(tmp_path / "plain.db"), Store(tmp_path / "shared.db")
    for store in (plain, shared):
        for name, text, names in reports:
            _stored(store, name, text, names)
    update_stories(plain)
    update_entities(plain)  # reads every text from the store
    read: list[list[str]] = []
    original = update_module.article_texts

    def counting(store: Store, article_ids: list[str]) -> dict[str, str]:
        read.append(list(article_ids))
        return original(store, article_ids)

    monkeypatch.setattr(update_module, "article_texts", counting)
    update_crossdoc(shared)
    assert read == [[]]  # every text came from the story step
    assert _entity_rows(shared) == _entity_rows(plain)
    assert len(_entity_rows(shared)[0]) == 1  # the three spellings are one coach
