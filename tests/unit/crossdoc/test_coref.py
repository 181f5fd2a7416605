"""Cross-document coreference: metrics on hand-worked examples, the ECB+ reader, clustering and event linking."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storyline.crossdoc.coref import (
    EventRow,
    cluster_documents,
    cluster_mentions,
    link_events,
    mention_features,
    stem,
)
from storyline.evaluate.coref import b_cubed, ceaf_e, coref_scores, muc, pairwise, read_corpus

# Key {a,b,c} {d,e}; response {a,b} {c,d,e}. Worked by hand in the comments of each test.
KEY = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
RESPONSE = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_muc_by_hand() -> None:
    # Recall: {a,b,c} is cut in 2 parts → 3-2=1 of 2 links; {d,e} intact → 1 of 1. R = 2/3.
    # Precision: {a,b} intact → 1 of 1; {c,d,e} cut in 2 → 1 of 2. P = 2/3.
    assert muc(KEY, RESPONSE) == {"p": 0.6667, "r": 0.6667, "f1": 0.6667}


def test_b_cubed_by_hand() -> None:
    # Per mention (P, R): a,b (1, 2/3); c (1/3, 1/3); d,e (2/3, 1) → P = R = 3.667/5.
    assert b_cubed(KEY, RESPONSE) == {"p": 0.7333, "r": 0.7333, "f1": 0.7333}


def test_ceaf_e_by_hand() -> None:
    # φ4(abc, ab) = 4/5, φ4(de, cde) = 4/5; best alignment sums 1.6 over 2 key and 2 response clusters.
    assert ceaf_e(KEY, RESPONSE) == {"p": 0.8, "r": 0.8, "f1": 0.8}
    assert coref_scores(KEY, RESPONSE)["conll_f1"] == round((0.6667 + 0.7333 + 0.8) / 3, 4)


def test_metrics_on_singletons_merged_into_one_cluster() -> None:
    key = {"a": 1, "b": 2, "c": 3}
    response = {"a": 0, "b": 0, "c": 0}
    assert muc(key, response)["f1"] == 0.0  # no key links exist, and every response link is wrong
    assert b_cubed(key, response) == {"p": 0.3333, "r": 1.0, "f1": 0.5}
    # Only one response cluster: φ4({a}, {a,b,c}) = 2/4; P = 0.5/1, R = 0.5/3.
    assert ceaf_e(key, response) == {"p": 0.5, "r": 0.1667, "f1": 0.25}


def test_ceaf_e_uses_the_optimal_alignment_not_the_first_best() -> None:
    # K1={a,b,c,d} K2={e}; R1={a,b,c,e} R2={d}. φ4(K1,R1)=6/8, φ4(K1,R2)=2/5, φ4(K2,R1)=2/5, φ4(K2,R2)=0.
    # Greedy (best pair first) would score 0.75; the optimal one-to-one alignment K1-R2 + K2-R1 scores 0.8.
    key = {"a": 1, "b": 1, "c": 1, "d": 1, "e": 2}
    response = {"a": 1, "b": 1, "c": 1, "e": 1, "d": 2}
    assert ceaf_e(key, response) == {"p": 0.4, "r": 0.4, "f1": 0.4}


def test_perfect_response_scores_one_everywhere() -> None:
    scores = coref_scores(KEY, KEY)
    assert scores["conll_f1"] == 1.0
    assert pairwise(KEY, KEY)["f1"] == 1.0


def test_pairwise_by_hand() -> None:
    key = {"a": 1, "b": 1, "c": 1, "d": 2}
    response = {"a": 1, "b": 1, "c": 2, "d": 2}
    # Gold pairs ab ac bc; predicted ab cd; one shared → P 1/2, R 1/3.
    assert pairwise(key, response) == {"p": 0.5, "r": 0.3333, "f1": 0.4}


TINY_XML = """<Document doc_name="3_1ecbplus.xml" doc_id="D1">
<token t_id="1" sentence="0" number="0">http://example.org</token>
<token t_id="2" sentence="1" number="0">Rebels</token>
<token t_id="3" sentence="1" number="1">burned</token>
<token t_id="4" sentence="1" number="2">the</token>
<token t_id="5" sentence="1" number="3">old</token>
<token t_id="6" sentence="1" number="4">mill</token>
<token t_id="7" sentence="1" number="5">.</token>
<token t_id="8" sentence="2" number="0">The</token>
<token t_id="9" sentence="2" number="1">fire</token>
<token t_id="10" sentence="2" number="2">spread</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="3"/></ACTION_OCCURRENCE>
<HUMAN_PART_ORG m_id="2"><token_anchor t_id="2"/></HUMAN_PART_ORG>
<LOC_FAC m_id="3"><token_anchor t_id="5"/><token_anchor t_id="6"/></LOC_FAC>
<ACTION_OCCURRENCE m_id="4"><token_anchor t_id="9"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="5"><token_anchor t_id="10"/></ACTION_OCCURRENCE>
<NON_HUMAN_PART m_id="6"><token_anchor t_id="1"/></NON_HUMAN_PART>
<ACTION_OCCURRENCE m_id="9" RELATED_TO="" TAG_DESCRIPTOR="t3_burning" instance_id="ACT99"/>
<UNKNOWN_INSTANCE_TAG m_id="8" RELATED_TO="" TAG_DESCRIPTOR=""/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="10" note="ACT99"><source m_id="1"/><source m_id="4"/><target m_id="9"/></CROSS_DOC_COREF>
<INTRA_DOC_COREF r_id="11"><source m_id="2"/><source m_id="3"/><target m_id="8"/></INTRA_DOC_COREF>
</Relations>
</Document>
"""


def test_reader_keeps_validated_sentences_and_chains(tmp_path: Path) -> None:
    (tmp_path / "ECB+" / "3").mkdir(parents=True)
    (tmp_path / "ECB+" / "3" / "3_1ecbplus.xml").write_text(TINY_XML, encoding="utf-8")
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text(
        "Topic,File,Sentence Number\n3,1ecbplus,1\n3,1ecbplus,2\n", encoding="utf-8"
    )
    [document] = read_corpus(tmp_path)
    assert document.subtopic == "3_ecbplus" and document.topic == "3"
    mentions = {m.mention_id.split(":")[1]: m for m in document.mentions}
    assert set(mentions) == {"1", "2", "3", "4", "5"}  # m6 is in unvalidated sentence 0; m8/m9 have no tokens
    assert mentions["1"].chain == mentions["4"].chain == "ACT99"
    assert mentions["2"].chain == mentions["3"].chain != "ACT99"  # the within-document chain
    assert mentions["5"].chain == mentions["5"].mention_id  # singleton
    assert mentions["3"].token_ids == (4, 5) and mentions["1"].is_event and not mentions["2"].is_event


def test_reader_rejects_a_folder_without_ecb() -> None:
    from storyline.errors import ConfigError

    with pytest.raises(ConfigError):
        read_corpus(Path("/nonexistent-ecb"))


FLOOD = (
    "The river Velna burst its banks at Karsk on Tuesday, flooding the old town and the Karsk market. "
    "Rescue boats took residents from rooftops while the water kept rising."
)
ROBBERY = (
    "Masked men robbed the Dorrin Savings Bank in Pellam on Friday and fled in a grey van. "
    "Pellam police said the robbers took cash from the vault and hurt a guard."
)


def test_cluster_documents_separates_two_stories() -> None:
    texts = [
        FLOOD,
        FLOOD.replace("Tuesday", "Wednesday") + " Schools in Karsk closed.",
        "Floodwater from the Velna covered Karsk streets; boats rescued residents from rooftops.",
        ROBBERY,
        ROBBERY.replace("Friday", "late Friday") + " The Dorrin bank reopened.",
        "Police in Pellam hunt the men who robbed the Dorrin Savings Bank vault and fled in a van.",
    ]
    labels = cluster_documents(texts)
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] == labels[4] == labels[5]
    assert labels[0] != labels[3]
    assert cluster_documents([]) == [] and cluster_documents(["only one"]) == [0]
    assert cluster_documents(["", "", "", "", ""]) == [0] * 5  # no terms at all: nothing to split on


def test_stem_meets_inflections() -> None:
    assert stem("shooting") == stem("shoot") and stem("checks") == stem("check")
    assert stem("injured") == stem("injure") and stem("boss") == "boss"


def _features(nlp, text: str, word: str, document: str):  # noqa: ANN001, ANN202 - spaCy Language
    doc = nlp(text)
    token = next(t for t in doc if t.text == word)
    return mention_features(doc, token.i, token.i + 1, f"{document}:{word}", document)


def test_cluster_mentions_links_synonyms_inside_a_subtopic_only(nlp) -> None:  # noqa: ANN001
    killed = _features(nlp, "A gunman killed two guards in Pellam.", "killed", "d1")
    death = _features(nlp, "The deaths of two guards shocked Pellam.", "deaths", "d2")
    killing = _features(nlp, "The killing in Karsk was unrelated.", "killing", "d3")
    it = _features(nlp, "It happened at night.", "It", "d2")
    said_1 = _features(nlp, "Police said the gunman fled.", "said", "d1")
    said_2 = _features(nlp, "Witnesses said they heard shots.", "said", "d2")
    subtopic = {"d1": 0, "d2": 0, "d3": 1}
    clusters = cluster_mentions([killed, death, killing, it, said_1, said_2], subtopic)
    assert clusters[killed.key] == clusters[death.key]  # synonym group, same sub-topic
    assert clusters[killing.key] != clusters[killed.key]  # another sub-topic
    assert clusters[it.key] not in {clusters[k.key] for k in (killed, death, said_1, said_2)}
    assert clusters[said_1.key] != clusters[said_2.key]  # two documents' reporting acts


def _row(i: str, **fields: object) -> EventRow:
    base: dict[str, object] = dict(
        id=i,
        article_id="art" + i,
        trigger="air strike",
        event_type="Explosions",
        sub_event_type="Air/drone strike",
        story_id="s1",
        geonames_id=100,
        latitude=34.45,
        longitude=40.92,
        event_date=datetime(2018, 12, 3),
        date_precision="day",
    )
    base.update(fields)
    return EventRow(**base)  # type: ignore[arg-type]


def test_link_events_merges_the_same_strike_from_two_articles() -> None:
    same = _row("1"), _row("2", geonames_id=None, latitude=34.50, longitude=40.95)  # ~6 km away
    first, second = link_events(same)
    assert first == second


def test_link_events_splits_strikes_on_different_days_or_far_apart() -> None:
    ids = link_events(
        [
            _row("1"),
            _row("2", event_date=datetime(2018, 12, 5)),
            _row("3", geonames_id=200, latitude=35.0, longitude=40.1),
        ]
    )  # ~90 km away
    assert len(set(ids)) == 3


def test_link_events_vague_row_joins_its_own_articles_cluster_without_bridging() -> None:
    vague = dict(event_date=None, geonames_id=None, latitude=None, longitude=None)
    rows = [
        _row("1"),
        _row("2", event_date=datetime(2018, 12, 9)),
        _row("3", article_id="art2", **vague),  # "the strike" again, in the 9 December strike's article
        _row("4", **vague),  # another outlet's "the strike": nothing says which one it means
    ]
    ids = link_events(rows)
    assert ids[0] != ids[1]
    assert ids[2] == ids[1]
    assert ids[3] not in (ids[0], ids[1])
    month = link_events([_row("1"), _row("4", event_date=datetime(2018, 12, 1), date_precision="month")])
    assert month[0] == month[1]  # "in December" overlaps 3 December


def test_link_events_respects_story_type_and_actors() -> None:
    ids = link_events(
        [
            _row("1", actor1="Coalition forces"),
            _row("2", actor1="coalition forces", actor2="ISIS"),
            _row("3", actor1="Syrian Air Force"),
            _row("4", story_id="s2"),
            _row("5", event_type="Battles", sub_event_type="Armed clash"),
        ]
    )
    assert ids[0] == ids[1]
    assert len(set(ids)) == 4


def test_without_singletons_drops_one_mention_clusters_on_each_side() -> None:
    from storyline.evaluate.coref import without_singletons

    assert without_singletons({"a": 1, "b": 1, "c": 2}) == {"a": 1, "b": 1}
    # Key {a,b} vs response {a,b,c}: c is not a key mention, so it only costs precision.
    # Precision per response mention: a 2/3, b 2/3, c 0 → 4/9; recall a 1, b 1.
    key, response = without_singletons({"a": 1, "b": 1, "c": 2}), {"a": 0, "b": 0, "c": 0}
    assert b_cubed(key, response) == {"p": 0.4444, "r": 1.0, "f1": 0.6154}


def test_link_events_compares_distinct_reports_not_every_row(counted_comparisons: Counter[str]) -> None:
    # 40 strikes on different days, each reported by 25 articles with the same date and place.
    rows = [
        _row(f"{day}-{n}", event_date=datetime(2018, 1, 1 + day % 28) + timedelta(days=28 * (day // 28)))
        for day in range(40)
        for n in range(25)
    ]
    ids = link_events(rows)
    assert len(set(ids)) == 40
    assert all(ids[k] == ids[k - k % 25] for k in range(len(rows)))  # each strike's 25 reports stay together
    assert counted_comparisons["calls"] < 40 * 40  # distinct signatures are compared, not the 1,000 rows pairwise
