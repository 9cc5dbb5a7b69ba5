"""`sitrep ingest`: read sources, store articles, extract and merge their events."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from sitrep.cli.options import db_option, open_from_cli
from sitrep.cli.progress import TerminalProgress
from sitrep.model import Rejected

if TYPE_CHECKING:
    from sitrep.pipeline import IngestSummary, Progress
    from sitrep.store import Store


@click.command()
@click.argument("sources", nargs=-1, required=True, metavar="PATH_OR_URL...")
@db_option
@click.option("--allow-private", is_flag=True, help="Allow URLs on private or loopback addresses.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any record was rejected.")
@click.option(
    "--no-extract",
    is_flag=True,
    help="Store articles only; they stay pending for a later ingest or `sitrep resume`.",
)
@click.option(
    "-q", "--quiet", is_flag=True,
    help="No progress and no summary line (progress is shown only when stderr is a terminal).",
)  # fmt: skip
def ingest(
    sources: tuple[str, ...],
    db_url: str | None,
    allow_private: bool,
    strict: bool,
    no_extract: bool,
    quiet: bool,
) -> None:
    """Ingest JSON Lines, text, HTML, RSS/Atom files, folders or URLs.

    Each bad record is reported on stderr with its file and line (or URL) and the reason; every good
    record of the same run is still stored. Re-ingesting an article stores nothing new. Work an
    interrupted run left (articles stored but not extracted or merged) is finished too; with
    --no-extract, the articles stored wait for a later `sitrep ingest` or `sitrep resume`.

    \b
    Example:
      sitrep ingest ../shared/corpus/dev/articles.jsonl --db sqlite:///sitrep.db
    """
    from sitrep.pipeline import ingest_sources

    settings, store = open_from_cli(db_url)
    if allow_private:
        settings.ingest.allow_private = True

    summary = _run(
        lambda progress, report: ingest_sources(
            sources, store, settings, extract=not no_extract, progress=progress, on_rejected=report
        ),
        store,
        quiet,
    )
    if not quiet:
        click.echo(summary.line(), err=True)
    nothing_read = summary.stored == 0 and summary.duplicates == 0 and summary.rejected > 0
    if nothing_read or (strict and summary.rejected):
        sys.exit(1)


@click.command()
@db_option
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary line.")
def resume(db_url: str | None, quiet: bool) -> None:
    """Finish the work an interrupted `sitrep ingest` left: extract and merge pending articles.

    `sitrep stats` shows the pending work (pending_extract, pending_merge); running the same
    `sitrep ingest` command again finishes it too.

    \b
    Example:
      sitrep resume --db sqlite:///sitrep.db
    """
    from sitrep.pipeline import resume as resume_work

    settings, store = open_from_cli(db_url)
    summary = _run(
        lambda progress, report: resume_work(store, settings, progress=progress, on_rejected=report),
        store,
        quiet,
    )
    if not quiet:
        click.echo(summary.line(), err=True)


def _run(
    work: Callable[[Progress | None, Callable[[Rejected], None]], IngestSummary], store: Store, quiet: bool
) -> IngestSummary:
    """Run `work` with progress on a terminal (never when piped or --quiet) and each rejection
    printed on stderr; close the store whatever happens."""
    progress = TerminalProgress(sys.stderr) if not quiet and sys.stderr.isatty() else None

    def report(bad: Rejected) -> None:
        if progress is not None:
            progress.interrupt()
        click.echo(f"rejected: {bad.message()}", err=True)

    try:
        return work(progress, report)
    finally:
        if progress is not None:
            progress.close()
        store.close()
