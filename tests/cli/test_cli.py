"""End-to-end CLI behaviour on small articles written for these tests (tests/fixtures/articles)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.store import Store, schema

FIXTURES = Path(__file__).parent.parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """One database built once by `storyline run` over the fixture articles."""
    folder = tmp_path_factory.mktemp("run")
    db = folder / "t.db"
    result = CliRunner().invoke(cli, ["run", str(FIXTURES), "--db", str(db), "-q"])
    return db, result


def test_run_stores_every_article_and_summarises(stored):
    db, result = stored
    assert result.exit_code == 0, result.output
    assert "Stored 4 articles" in result.output
    store = Store(db)
    assert store.count(schema.articles) == 4
    assert store.count(schema.mentions) > 0


def test_rerun_adds_nothing(stored):
    db, _ = stored
    store = Store(db)
    before = {t.name: store.count(t) for t in schema.EXTRACTED_TABLES}
    result = CliRunner().invoke(cli, ["run", str(FIXTURES), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert "Stored 0 articles" in result.output and "4 already stored" in result.output
    assert {t.name: store.count(t) for t in schema.EXTRACTED_TABLES} == before


def test_related_articles_share_a_story(stored):
    db, _ = stored
    store = Store(db)
    titles = {a["id"]: a["origin"] for a in store.rows(schema.articles)}
    story_of = {m["article_id"]: m["story_id"] for m in store.rows(schema.story_articles)}
    by_name = {Path(titles[i]).name: s for i, s in story_of.items()}
    assert by_name["river-wire.txt"] == by_name["river-local.txt"]
    assert by_name["election.txt"] != by_name["river-wire.txt"]


def test_shared_quote_is_a_provenance_link(stored):
    db, _ = stored
    links = Store(db).rows(schema.article_links)
    assert any(link["kind"] == "shared_passage" for link in links)


def test_bad_file_is_named_and_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 binary \xff\xfe" * 50)
    (folder / "empty.txt").write_text("   \n")
    result = CliRunner().invoke(cli, ["run", str(folder), "--db", str(tmp_path / "t.db"), "-q"])
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr and "empty.txt" in result.stderr
    assert "Stored 4 articles" in result.output
    assert Store(tmp_path / "t.db").count(schema.rejections) == 2


def test_report_prints_story_sections(stored):
    db, _ = stored
    result = CliRunner().invoke(cli, ["report", "--db", str(db)])
    assert result.exit_code == 0
    assert "Story 1:" in result.output and "Outlets:" in result.output


def test_export_csv_has_acled_columns(stored, tmp_path):
    db, _ = stored
    out = tmp_path / "csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "events.csv").open() as handle:
        header = next(csv.reader(handle))
    for column in ("event_id", "event_date", "event_type", "sub_event_type", "latitude", "geo_precision",
                   "fatalities_low", "fatalities_high", "source"):
        assert column in header
    articles = list(csv.DictReader((out / "articles.csv").open()))
    assert len(articles) == 4


@pytest.mark.parametrize("fmt,name", [("json", "storyline.json"), ("geojson", "storyline.geojson"),
                                      ("parquet", "articles.parquet")])
def test_export_formats(stored, tmp_path, fmt, name):
    db, _ = stored
    out = tmp_path / fmt
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / name).stat().st_size > 0
    if fmt == "json":
        data = json.loads((out / name).read_text())
        assert len(data["articles"]) == 4 and "raw_text" not in data["articles"][0]


def test_unknown_eval_task_lists_choices():
    result = CliRunner().invoke(cli, ["eval", "nonsense"])
    assert result.exit_code == 1
    assert "unknown evaluation 'nonsense'" in result.output and "timex" in result.output


def test_every_command_has_help_with_example():
    for name, command in cli.commands.items():
        assert command.help and "Example" in command.help, name
