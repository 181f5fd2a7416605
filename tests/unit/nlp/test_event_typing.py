"""Event typing: sentences written for these tests (not in the training templates) → ACLED sub-types."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.nlp.event_typing import (
    classify_event_text,
    refine_by_codebook,
    refine_disrupted,
    softmax_margins,
    territory_side,
    training_snippets,
    typology,
)

SUB_TYPE_CASES = [
    (
        "Government soldiers and jihadist fighters traded gunfire for most of the night outside Lorvik.",
        "ARMED_CLASH",
    ),
    (
        "The national army says it has retaken the river port of Sedra from the insurgents.",
        "GOV_REGAINS_TERIT",
    ),
    (
        "Insurgents overran the garrison at Fort Amal and now hold the whole valley.",
        "NON_STATE_ACTOR_OVERTAKES_TER",
    ),
    ("Doctors said the patients' symptoms pointed to a chlorine attack on the suburb.", "CHEM_WEAP"),
    ("Jets from the coalition hit a fuel depot; a drone also struck a pickup truck.", "AIR_STRIKE"),
    ("The attacker detonated his explosive vest at the entrance of the stadium.", "SUIC_BOMB"),
    ("Mortar shells and rockets rained down on the eastern quarter all afternoon.", "ART_MISS_ATTACK"),
    ("A roadside IED tore through an armoured vehicle on the highway, killing two.", "REM_EXPLOS"),
    ("Someone lobbed a hand grenade over the wall of the compound.", "GRENADE"),
    ("The girls said they were raped by men in uniform at the camp.", "SEX_VIOL"),
    ("Gunmen on motorbikes shot dead six villagers as they worked in the fields.", "ATTACK"),
    ("Masked men kidnapped the mayor and are demanding a ransom for his release.", "ABDUCT_DISSAP"),
    ("Nurses marched peacefully to the health ministry to demand higher pay.", "PEACE_PROTEST"),
    (
        "Riot police broke up the students' sit-in with water cannon and detained ten of them.",
        "PROTEST_WITH_INTER",
    ),
    (
        "Security forces fired live ammunition into a crowd of peaceful demonstrators, killing nine.",
        "FORCE_AGAINST_PROTEST",
    ),
    (
        "Protesters hurled stones at police and set a bank on fire as the rally turned violent.",
        "VIOL_DEMONSTR",
    ),
    ("An angry mob lynched two men suspected of stealing cattle.", "MOB_VIOL"),
    ("The two factions signed a ceasefire in the capital late on Sunday.", "AGREEMENT"),
    ("Police arrested the opposition spokesman at his home before dawn.", "ARREST"),
    ("Engineers defused a bomb found under the bridge before it could go off.", "DISR_WEAP"),
    ("Looters ransacked the pharmacy and carried off the stock.", "PROPERTY_DISTRUCT"),
    ("The 6.1-magnitude earthquake flattened dozens of homes in the hill towns.", "NATURAL_DISASTER"),
    ("The cargo plane crashed into a field shortly after take-off.", "MAN_MADE_DISASTER"),
    ("The cartel moved tonnes of cocaine through the port, prosecutors say.", "ORG_CRIME"),
    ("The foreign minister flew in for talks with her counterpart on the border dispute.", "DIPLO"),
    ("The group claimed responsibility for the bombing in a statement on its channel.", "ATTRIB"),
]


@pytest.mark.parametrize(("text", "expected"), SUB_TYPE_CASES)
def test_sub_type_of_unseen_sentences(text: str, expected: str) -> None:
    assert classify_event_text(text).code == expected


def test_typing_carries_acled_names_and_codes() -> None:
    typing = classify_event_text("Warplanes bombed the market, killing 14 shoppers.")
    assert (typing.event_type, typing.sub_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert typing.cameo == "195"
    assert typing.plover == "ASSAULT:aerial"
    assert typing.trigger is not None and typing.trigger.lower() in {"warplanes", "bombed"}
    assert typing.margin > 0


def test_who_takes_territory_decides_the_territory_sub_type() -> None:
    # Same verb, opposite sides: ACLED's split is by the gaining actor, not by the verb.
    assert classify_event_text("Rebels recaptured the town of Ombra from the army.").code == (
        "NON_STATE_ACTOR_OVERTAKES_TER"
    )
    assert classify_event_text("The army recaptured the town of Ombra from the rebels.").code == "GOV_REGAINS_TERIT"
    assert territory_side("Nothing was taken here.") is None


def test_prior_breaks_ties_but_does_not_override_clear_text() -> None:
    text = "Shelling and air strikes hit the district."
    assert classify_event_text(text, prior="ART_MISS_ATTACK").code == "ART_MISS_ATTACK"
    assert classify_event_text(text, prior="AIR_STRIKE").code == "AIR_STRIKE"
    assert classify_event_text("A suicide bomber blew himself up.", prior="ARREST").code == "SUIC_BOMB"


def test_month_march_is_not_a_protest_cue() -> None:
    assert classify_event_text("On 3 March 2020, soldiers clashed with militants near the border.").code == (
        "ARMED_CLASH"
    )


def test_typology_covers_every_benchmark_label_with_mappings() -> None:
    labels = typology()
    assert len(labels) == 30
    acled = [label for label in labels.values() if label.cameo is not None]
    assert all(label.plover for label in acled)
    assert labels["SUIC_BOMB"].cameo == "1831"
    texts, targets = training_snippets()
    assert set(targets) == set(labels)  # every label has training snippets
    assert len(texts) == len(targets)
    assert not any("{" in text for text in texts)  # every slot filled


def test_protesters_own_violence_outranks_the_police_response() -> None:
    # ACLED: a demonstration where protesters throw stones is a violent demonstration even if police use gas.
    text = "Youths at the march hurled stones at officers, who answered with tear gas."
    assert classify_event_text(text).code == "VIOL_DEMONSTR"
    scattered = "Police fired tear gas to scatter a sit-in by nurses."
    assert classify_event_text(scattered).code == "PROTEST_WITH_INTER"


def test_found_or_seized_weapons_are_disrupted_not_used() -> None:
    found = "Officers found three grenades and a rifle in the boot of the car."
    assert classify_event_text(found).code == "DISR_WEAP"
    assert classify_event_text("Air defences intercepted two rockets over the port.").code == "DISR_WEAP"
    assert classify_event_text("Two rockets slammed into the port, setting a warehouse ablaze.").code == (
        "ART_MISS_ATTACK"
    )


def test_codebook_rules_decide_by_who_did_what_to_whom() -> None:
    # Protesters wrecking property make a riot, not mere property destruction.
    rioting = "Demonstrators smashed the windows of two banks and looted a phone shop on Quay Street."
    assert refine_by_codebook("PROPERTY_DISTRUCT", rioting) == "VIOL_DEMONSTR"
    # Soldiers shooting at marchers is force against a protest, not an attack on civilians in general.
    shooting = "Soldiers opened fire on the marchers near the bus depot, killing four."
    assert refine_by_codebook("ATTACK", shooting) == "FORCE_AGAINST_PROTEST"
    # Arrests made at a rally belong to the protest, arrests elsewhere stay arrests.
    assert refine_by_codebook("ARREST", "Police detained 30 demonstrators outside the court.") == ("PROTEST_WITH_INTER")
    assert refine_by_codebook("ARREST", "Police detained the treasurer over missing funds.") == "ARREST"
    # A chemical agent decides the sub-type whatever delivered it.
    assert refine_by_codebook("ART_MISS_ATTACK", "Shells filled with chlorine landed on the suburb.") == ("CHEM_WEAP")
    # Rules only fire from their listed labels: a riot label is never rewritten by the attack rule.
    assert refine_by_codebook("PEACE_PROTEST", shooting) == "PEACE_PROTEST"


def test_disrupted_weapons_need_a_disruption_cue() -> None:
    # Weapon words alone are use, not disruption; a find/intercept cue is disruption.
    assert refine_disrupted("DISR_WEAP", "Rockets rained down on the old market at dusk.") == "ART_MISS_ATTACK"
    assert refine_disrupted("DISR_WEAP", "Soldiers unearthed a stash of rockets behind the mill.") == "DISR_WEAP"
    assert refine_disrupted("DISR_WEAP", "A drone was spotted over the harbour.") == "DISR_WEAP"  # no use cue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A tractor driver was killed when his trailer drove over a landmine near the orchards.", "REM_EXPLOS"),
        ("Marchers were beaten by police with batons although the rally was peaceful.", "FORCE_AGAINST_PROTEST"),
        ("Strikers torched tyres and pelted the town hall with bottles during the protest.", "VIOL_DEMONSTR"),
        (
            "The rebels handed the river crossing to the army without a fight under the deal.",
            "NON_VIOL_TERRIT_TRANSFER",
        ),
        ("A ferry packed with holidaymakers capsized in rough seas; 14 are missing.", "MAN_MADE_DISASTER"),
    ],
)
def test_confusable_pairs_on_unseen_sentences(text: str, expected: str) -> None:
    assert classify_event_text(text).code == expected


def test_softmax_margins_are_probabilities_that_keep_the_order() -> None:
    rows = softmax_margins(np.array([[1.0, -0.5, 0.2], [-1.0, -1.0, -1.0]]))
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert rows[0].argmax() == 0 and rows[0][0] > 0.9
    assert np.allclose(rows[1], 1 / 3)


def test_training_snippets_wrap_some_copies_in_news_context() -> None:
    texts, _ = training_snippets()
    # Copies 1 and 2 of each template get a neutral context line, so many snippets have two sentences or more.
    assert sum(text.count(". ") >= 1 for text in texts) > len(texts) // 3
