"""Mention coreference rules on hand-written news sentences: context classes, speakers, dates, typos, pronouns."""

from __future__ import annotations

from collections.abc import Hashable

from storyline.crossdoc.coref_mentions import (
    MentionFeatures,
    arguments_conflict,
    cluster_mentions,
    mention_features,
)


def _mention(nlp, text: str, word: str, document: str, nth: int = 0) -> MentionFeatures:  # noqa: ANN001
    doc = nlp(text)
    token = [t for t in doc if t.text == word][nth]
    return mention_features(doc, token.i, token.i + 1, f"{document}:{word}:{nth}:{text}", document)


def _mentions(nlp, text: str, words: list[str], document: str) -> list[MentionFeatures]:  # noqa: ANN001
    """Several mentions of one document, read from one parse (as the evaluation does)."""
    doc = nlp(text)
    found = []
    for word in words:
        token = next(t for t in doc if t.text == word)
        found.append(mention_features(doc, token.i, token.i + 1, f"{document}:{word}", document))
    return found


def _span(nlp, text: str, phrase: str, document: str) -> MentionFeatures:  # noqa: ANN001
    """A multi-word mention: the tokens of ``phrase`` where it first occurs in ``text``."""
    doc = nlp(text)
    words = phrase.split()
    start = next(t.i for t in doc if [w.text for w in doc[t.i : t.i + len(words)]] == words)
    return mention_features(doc, start, start + len(words), f"{document}:{phrase}:{text}", document)


ONE_STORY: dict[Hashable, Hashable] = {"d1": 0, "d2": 0, "d3": 0}


def test_the_attack_and_the_bombing_of_one_report_merge(nlp) -> None:  # noqa: ANN001
    bombing, attack = _mentions(
        nlp,
        "A car bombing hit the Velna market in Karsk on Monday. Police said the attack was planned for weeks.",
        ["bombing", "attack"],
        "d1",
    )
    other = _mention(nlp, "A second bombing shook Karsk the next day, officials said.", "bombing", "d2")
    clusters = cluster_mentions([bombing, attack, other], ONE_STORY)
    assert clusters[attack.key] == clusters[bombing.key]
    # Without a specific act in its own report, "attack" keeps its own class.
    lone = _mention(nlp, "The attack on the convoy was condemned.", "attack", "d3")
    assert cluster_mentions([lone, other], ONE_STORY)[lone.key] != clusters[other.key]


def test_two_bombings_of_one_town_in_different_years_stay_apart(nlp) -> None:  # noqa: ANN001
    first = _mention(nlp, "Survivors of the 2014 bombing of Karsk gathered at the market.", "bombing", "d1")
    second = _mention(nlp, "The 2016 bombing of Karsk killed nine people.", "bombing", "d2")
    undated = _mention(nlp, "The bombing destroyed the Karsk market hall.", "bombing", "d3")
    assert first.years == frozenset({"2014"}) and second.years == frozenset({"2016"})
    assert arguments_conflict(first, second) and not arguments_conflict(first, undated)
    clusters = cluster_mentions([first, second, undated], ONE_STORY)
    assert clusters[first.key] != clusters[second.key]
    assert clusters[undated.key] in (clusters[first.key], clusters[second.key])  # joins one, bridges none


def test_a_murder_charge_is_not_the_killing_unless_the_victim_is_named(nlp) -> None:  # noqa: ANN001
    killed = _mention(nlp, "A gunman killed a guard at the Pellam depot.", "killed", "d1")
    charge = _mention(nlp, "A Pellam man was charged with murder on Friday.", "murder", "d2")
    named = _mention(nlp, "He was charged with the murder of the guard.", "murder", "d3")
    assert charge.lexical_class == "charge:kill"
    assert named.lexical_class == killed.lexical_class == "kill"
    clusters = cluster_mentions([killed, charge, named], ONE_STORY)
    assert clusters[killed.key] == clusters[named.key] != clusters[charge.key]


def test_context_changes_the_class_of_a_verb(nlp) -> None:  # noqa: ANN001
    himself = _mention(nlp, "The banker killed himself in his cell.", "killed", "d1")
    assert himself.phrase == "kill oneself" and himself.lexical_class == "suicid"
    sacked = _mention(nlp, "The club fired its coach after the defeat.", "fired", "d1")
    shots = _mention(nlp, "The guard fired shots at the van.", "fired", "d1")
    blaze = _mention(nlp, "The fire spread to the roof.", "fire", "d1")
    assert sacked.lexical_class == "sack" and shots.lexical_class == "shoot" and blaze.lexical_class == "blaz"
    passed = _mention(nlp, "The actress passed away in her sleep.", "passed", "d1")
    assert passed.lexical_class == "kill"  # "away" is a particle even when parsed as an adverb


def test_one_match_won_and_lost_is_one_event(nlp) -> None:  # noqa: ANN001
    won = _mention(nlp, "Karsk won the final against Pellam.", "won", "d1")
    lost = _mention(nlp, "Pellam lost the final to Karsk.", "lost", "d2")
    assert cluster_mentions([won, lost], ONE_STORY)[won.key] == cluster_mentions([won, lost], ONE_STORY)[lost.key]


def test_reporting_acts_join_only_with_the_same_speaker(nlp) -> None:  # noqa: ANN001
    police_1 = _mention(nlp, "Police said the van was found in Karsk.", "said", "d1")
    police_2 = _mention(nlp, "Police said the robbers had fled.", "said", "d2")
    witness = _mention(nlp, "A witness said the robbers had fled.", "said", "d2", 0)
    bare = _mention(nlp, "The robbers fled, it was said.", "said", "d3")
    clusters = cluster_mentions([police_1, police_2, witness, bare], ONE_STORY)
    assert police_1.speaker == "police" and clusters[police_1.key] == clusters[police_2.key]
    assert clusters[witness.key] != clusters[police_1.key]
    assert clusters[bare.key] not in {clusters[m.key] for m in (police_1, witness)}
    elsewhere = cluster_mentions([police_1, police_2], {"d1": 0, "d2": 1})
    assert elsewhere[police_1.key] != elsewhere[police_2.key]  # another story's police statement


def test_a_dropped_letter_joins_but_a_different_word_does_not(nlp) -> None:  # noqa: ANN001
    arrested = [
        _mention(nlp, f"Officers arrested the driver in {town}.", "arrested", d)
        for town, d in (("Karsk", "d1"), ("Pellam", "d2"))
    ]
    typo = _mention(nlp, "Officers arested the driver near the bridge.", "arested", "d3")
    assert typo.lexical_class != arrested[0].lexical_class  # the typo is only fixed by comparing the story
    clusters = cluster_mentions([*arrested, typo], ONE_STORY)
    assert clusters[typo.key] == clusters[arrested[0].key]
    reached = _mention(nlp, "The talks reached a deal.", "reached", "d1")
    reacted = _mention(nlp, "The markets reacted calmly.", "reacted", "d2")
    clusters = cluster_mentions([reached, reached, reacted], ONE_STORY)
    assert clusters[reached.key] != clusters[reacted.key]


def test_an_event_pronoun_takes_the_preceding_event_of_its_report(nlp) -> None:  # noqa: ANN001
    blast, said, it = _mentions(
        nlp, "A blast tore through the depot. Officials said it happened at dawn.", ["blast", "said", "it"], "d1"
    )
    clusters = cluster_mentions([blast, said, it], ONE_STORY)
    assert clusters[it.key] == clusters[blast.key]  # the reporting verb in between is skipped
    opening = _mention(nlp, "It was a quiet night in Karsk.", "It", "d2")
    assert cluster_mentions([opening], ONE_STORY)[opening.key] == ("alone", opening.key)


def test_entity_pronouns_group_by_gender_and_relatives_take_their_noun(nlp) -> None:  # noqa: ANN001
    he, him, she = _mentions(nlp, "He said the court had freed him, and she agreed.", ["He", "him", "she"], "d1")
    who = _mention(nlp, "The mayor, who resigned on Friday, left Karsk.", "who", "d2")
    mayor = _mention(nlp, "The mayor resigned.", "mayor", "d3")
    clusters = cluster_mentions([he, him, she, who, mayor], ONE_STORY, events=False)
    assert clusters[he.key] == clusters[him.key] != clusters[she.key]
    assert who.antecedent == "mayor" and clusters[who.key] == clusters[mayor.key]


def test_names_link_across_the_stories_of_a_topic_by_their_last_word(nlp) -> None:  # noqa: ANN001
    full = _span(nlp, "Marta Kovic left the clinic in Karsk.", "Marta Kovic", "d1")
    first = _mention(nlp, "Marta said she felt better.", "Marta", "d2")
    other = _mention(nlp, "Kovic signed a new contract in Pellam.", "Kovic", "d3")
    place = _span(nlp, "Fans waited in Karsk all night.", "in Karsk", "d2")
    town = _mention(nlp, "Karsk is quiet again.", "Karsk", "d3")
    assert full.name == ("marta", "kovic") and place.head_lemma == "karsk"  # "in Karsk" is about Karsk
    topics = {"d1": "t1", "d2": "t1", "d3": "t1"}
    stories = {"d1": 0, "d2": 0, "d3": 1}  # d3 is another story of the same topic
    clusters = cluster_mentions([full, first, other, place, town], stories, events=False, topic_of=topics)
    assert clusters[full.key] == clusters[first.key] == clusters[other.key]
    assert clusters[place.key] == clusters[town.key] != clusters[full.key]
    apart = cluster_mentions([full, other], stories, events=False, topic_of={"d1": "t1", "d3": "t2"})
    assert apart[full.key] != apart[other.key]


def test_light_verbs_link_only_inside_their_report(nlp) -> None:  # noqa: ANN001
    first = _mention(nlp, "The mayor received a warning from the court.", "received", "d1")
    second = _mention(nlp, "The club received a fine in Karsk.", "received", "d2")
    again = _mention(nlp, "He received it again, the club received nothing.", "received", "d2", 1)
    went = _mention(nlp, "The lights went out across Karsk.", "went", "d3")
    outage = _mention(nlp, "The outage hit Karsk.", "outage", "d1")
    clusters = cluster_mentions([first, second, again, went, outage], ONE_STORY)
    assert clusters[first.key] != clusters[second.key] == clusters[again.key]
    assert clusters[went.key] == clusters[outage.key]  # "go out" is a listed phrase, not a light verb


def test_according_to_names_the_speaker(nlp) -> None:  # noqa: ANN001
    according = _mention(nlp, "The van was found in Karsk, according to police.", "according", "d1")
    said = _mention(nlp, "Police said the van was found.", "said", "d2")
    assert according.speaker == said.speaker == "police"
