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
    from sitrep.config import Settings
    from sitrep.pipeline import Extraction, IngestSummary, Progress
    from sitrep.store import Store

LOOPBACK = ("127.", "localhost", "[::1]", "::1")


def cluster_options(func: Callable[..., None]) -> Callable[..., None]:
    """`--workers N` (a local Dask cluster) and `--scheduler ADDRESS` (a running one)."""
    func = click.option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=None,
        help="Extract on the workers of this running Dask scheduler (store: PostgreSQL; docs/scale.md).",
    )(func)
    return click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Extract in N worker processes of a Dask cluster started on loopback for this run.",
    )(func)


def open_extraction(workers: int | None, scheduler: str | None, settings: Settings) -> Extraction | None:
    """The extraction backend the options ask for (None: in this process), models loading already."""
    if workers is None and scheduler is None:
        return None
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    host = (scheduler or "").split("://", 1)[-1]
    if scheduler is not None and settings.database_url.startswith("sqlite") and not host.startswith(LOOPBACK):
        raise click.UsageError(
            "a cluster of several machines needs one shared store: give --db postgresql+psycopg://... "
            "(SQLite works with --workers or a scheduler on loopback; docs/scale.md)"
        )
    from sitrep.cluster import DaskExtraction
    from sitrep.pipeline import StageConfig

    if workers is not None:
        backend = DaskExtraction.local(workers)
    else:
        backend = DaskExtraction.connect(scheduler or "")
    backend.prepare(StageConfig.of(settings))
    return backend


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
@cluster_options
def ingest(
    sources: tuple[str, ...],
    db_url: str | None,
    allow_private: bool,
    strict: bool,
    no_extract: bool,
    quiet: bool,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Ingest JSON Lines, text, HTML, RSS/Atom files, folders or URLs.

    Each bad record is reported on stderr with its file and line (or URL) and the reason; every good
    record of the same run is still stored. Re-ingesting an article stores nothing new. Work an
    interrupted run left (articles stored but not extracted or merged) is finished too; with
    --no-extract, the articles stored wait for a later `sitrep ingest` or `sitrep resume`.
    With --workers or --scheduler, extraction runs on Dask workers; what is stored is the same.

    \b
    Examples:
      sitrep ingest ../shared/corpus/dev/articles.jsonl --db sqlite:///sitrep.db
      sitrep ingest articles.jsonl --workers 2
    """
    from sitrep.pipeline import ingest_sources

    settings, store = open_from_cli(db_url)
    if allow_private:
        settings.ingest.allow_private = True
    extraction = None
    if not no_extract:
        extraction = _opened_with(store, lambda: open_extraction(workers, scheduler, settings))

    summary = _run(
        lambda progress, report: ingest_sources(
            sources, store, settings, extract=not no_extract, progress=progress, on_rejected=report,
            extraction=extraction,
        ),
        store,
        quiet,
        extraction,
    )  # fmt: skip
    if not quiet:
        click.echo(summary.line(), err=True)
    nothing_read = summary.stored == 0 and summary.duplicates == 0 and summary.rejected > 0
    if nothing_read or (strict and summary.rejected):
        sys.exit(1)


@click.command()
@db_option
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary line.")
@cluster_options
def resume(db_url: str | None, quiet: bool, workers: int | None, scheduler: str | None) -> None:
    """Finish the work an interrupted `sitrep ingest` left: extract and merge pending articles.

    `sitrep stats` shows the pending work (pending_extract, pending_merge); running the same
    `sitrep ingest` command again finishes it too.

    \b
    Example:
      sitrep resume --db sqlite:///sitrep.db
    """
    from sitrep.pipeline import resume as resume_work

    settings, store = open_from_cli(db_url)
    extraction = _opened_with(store, lambda: open_extraction(workers, scheduler, settings))
    summary = _run(
        lambda progress, report: resume_work(
            store, settings, progress=progress, on_rejected=report, extraction=extraction
        ),
        store,
        quiet,
        extraction,
    )
    if not quiet:
        click.echo(summary.line(), err=True)


def _opened_with(store: Store, open_it: Callable[[], Extraction | None]) -> Extraction | None:
    """`open_it()`, closing `store` if it fails (a bad option, a scheduler out of reach)."""
    try:
        return open_it()
    except BaseException:
        store.close()
        raise


def _run(
    work: Callable[[Progress | None, Callable[[Rejected], None]], IngestSummary],
    store: Store,
    quiet: bool,
    extraction: Extraction | None = None,
) -> IngestSummary:
    """Run `work` with progress on a terminal (never when piped or --quiet) and each rejection
    printed on stderr; close the store (and stop the cluster) whatever happens."""
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
        if extraction is not None:
            extraction.close()
