"""Users can merge and split stories; their corrections survive later runs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from storyline.cli import cli
from storyline.store import Store, schema

FIXTURES = Path(__file__).parent.parent / "fixtures" / "articles"


def _story_sizes(db: Path) -> list[int]:
    return sorted(r["n_articles"] for r in Store(db).rows(schema.stories))


def test_merge_then_split_and_rerun_keeps_corrections(tmp_path):
    db = tmp_path / "s.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(FIXTURES), "--db", str(db), "-q"]).exit_code == 0
    assert _story_sizes(db) == [1, 3]

    merged = runner.invoke(cli, ["stories", "merge", "1", "2", "--db", str(db)])
    assert merged.exit_code == 0, merged.output
    assert _story_sizes(db) == [4]

    store = Store(db)
    election = next(a["id"] for a in store.rows(schema.articles) if a["origin"].endswith("election.txt"))
    story_id = store.rows(schema.stories)[0]["id"]
    split = runner.invoke(cli, ["stories", "split", story_id, election, "--db", str(db)])
    assert split.exit_code == 0, split.output
    assert _story_sizes(db) == [1, 3]

    runner.invoke(cli, ["stories", "merge", "1", "2", "--db", str(db)])
    rerun = runner.invoke(cli, ["run", str(FIXTURES), "--db", str(db), "-q"])
    assert rerun.exit_code == 0 and "Stored 0 articles" in rerun.output
    assert _story_sizes(db) == [4]  # the user's merge is not undone by a later run


def test_unknown_story_is_a_clear_error(tmp_path):
    db = tmp_path / "s.db"
    runner = CliRunner()
    runner.invoke(cli, ["run", str(FIXTURES), "--db", str(db), "-q"])
    result = runner.invoke(cli, ["stories", "merge", "1", "nosuchstory", "--db", str(db)])
    assert result.exit_code == 1
    assert "no story with id 'nosuchstory'" in result.output
