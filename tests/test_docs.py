"""Documentation stays true: README commands, CLI help, public names."""

from __future__ import annotations

import re
from pathlib import Path

import storyline
from storyline.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_starts_with_install_and_test_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1).splitlines()
    assert first_block[0].startswith("pip install -e . && storyline demo")
    assert "python -m pytest" in first_block[1]
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text()


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"storyline {name}" in README, f"`storyline {name}` is not documented in README.md"


def test_public_names_are_sorted_and_importable():
    assert storyline.__all__ == sorted(storyline.__all__)
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None


def test_shipped_data_states_its_licence():
    data = ROOT / "storyline" / "data"
    for folder in [p for p in data.iterdir() if p.is_dir()]:
        notes = list(folder.glob("*.md")) + list(data.glob("*.md"))
        assert notes, f"{folder} ships data without a SOURCES/licence note"
