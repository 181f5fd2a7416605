"""The event typer's shipped model file: current with its tables, loaded without training, stale files refused;
plus the codebook rules added with it (suicide precedence, reported speech deciding who took territory)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.nlp import event_model, event_typing
from storyline.nlp.event_model import LinearTextModel, StaleModel, load_model, save_model


def test_shipped_model_file_matches_the_training_tables() -> None:
    loaded = load_model(event_model.packaged_model_path(), event_typing.training_tables_hash())
    assert not isinstance(loaded, StaleModel), (
        f"{loaded.reason}: the tables in data/events changed; run python scripts/train_event_typer.py --write"
    )
    assert set(loaded.classes_) == set(event_typing.typology())


def test_snippet_model_is_the_shipped_file_not_a_fresh_training() -> None:
    assert isinstance(event_typing.snippet_model(), LinearTextModel)
    assert event_typing.snippet_model().source_hash == event_typing.training_tables_hash()


def test_editing_a_table_changes_the_hash_so_the_file_turns_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    current = event_typing.training_tables_hash()
    monkeypatch.setattr(event_typing, "COPIES_PER_TEMPLATE", event_typing.COPIES_PER_TEMPLATE + 1)
    changed = event_typing.training_tables_hash()
    assert changed != current
    stale = load_model(event_model.packaged_model_path(), changed)
    assert isinstance(stale, StaleModel) and "other tables" in stale.reason


def test_missing_or_broken_files_are_typed_failures(tmp_path: Path) -> None:
    missing = load_model(tmp_path / "absent.npz", "x")
    assert isinstance(missing, StaleModel) and "no model file" in missing.reason
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a numpy archive")
    assert isinstance(load_model(broken, "x"), StaleModel)


def test_saved_model_round_trips_to_the_same_margins(tmp_path: Path) -> None:
    texts = [
        "Rebels shelled the market with mortars.",
        "Artillery pounded the hills at dawn.",
        "Nurses marched to the ministry chanting slogans.",
        "Hundreds of teachers rallied outside parliament.",
        "Police arrested the mayor on bribery charges.",
        "Officers detained two suspects in a dawn raid.",
    ]
    labels = ["ART_MISS_ATTACK", "ART_MISS_ATTACK", "PEACE_PROTEST", "PEACE_PROTEST", "ARREST", "ARREST"]
    fitted = event_model.fit_linear_model(texts, labels, "hash-1")
    path = tmp_path / "model.npz"
    save_model(fitted, path)
    loaded = load_model(path, "hash-1")
    assert isinstance(loaded, LinearTextModel)
    unseen = ["Mortars hit the square.", "Teachers marched again.", "The mayor was arrested."]
    assert list(loaded.classes_) == list(fitted.classes_)
    # float16 storage: margins agree to ~1e-3, and the decisions are identical
    np.testing.assert_allclose(loaded.decision_function(unseen), fitted.decision_function(unseen), atol=1e-2)
    picks = loaded.classes_[loaded.decision_function(unseen).argmax(axis=1)]
    assert list(picks) == ["ART_MISS_ATTACK", "PEACE_PROTEST", "ARREST"]


@pytest.mark.parametrize(
    "text",
    [
        "A suicide truck bomber rammed the gate of the barracks, killing nine guards.",
        "The assailant drove a suicide vehicle-borne improvised explosive device into the convoy.",
        "An attacker blew himself up with a grenade belt among the wedding guests.",
    ],
)
def test_a_suicide_attack_is_a_suicide_bomb_whatever_the_device(text: str) -> None:
    assert event_typing.classify_event_text(text).code == "SUIC_BOMB"


def test_a_remote_bomb_without_a_suicide_attacker_stays_remote() -> None:
    text = "A bomb hidden in a parked car was set off by remote control near the police station."
    assert event_typing.classify_event_text(text).code == "REM_EXPLOS"


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("A police spokesman said on Friday that insurgents had taken over two villages near the lake.", "non_state"),
        ("Rebel commanders told reporters the army recaptured the ridge overnight.", "state"),
        ("The soldiers said nothing; militants captured the ridge.", "non_state"),
        ("The ridge was retaken by government troops, rebels announced.", "state"),
    ],
)
def test_reported_speech_does_not_make_the_speaker_the_captor(text: str, side: str) -> None:
    assert event_typing.territory_side(text) == side


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("Rebels shelled the port. The navy said nothing.", "Rebels shelled the port."),
        (
            "Capt. Ole Berg said gunmen raided the farm. Police arrived later.",
            "Capt. Ole Berg said gunmen raided the farm.",
        ),
        (
            "Jets hit the U.S. Army depot on Jan. 5 at dawn! Smoke rose.",
            "Jets hit the U.S. Army depot on Jan. 5 at dawn!",
        ),
        ('He said "we will not leave." Troops stayed.', 'He said "we will not leave."'),
    ],
)
def test_the_lead_sentence_is_read_twice_and_abbreviations_do_not_end_it(text: str, lead: str) -> None:
    assert event_typing.with_lead_twice(text) == f"{lead} {text}"


def test_single_sentences_are_left_alone() -> None:
    for text in ("Mortars hit the camp.", "No full stop here", "Dr. Amal Haddad treated the wounded."):
        assert event_typing.with_lead_twice(text) == text
