"""`sitrep export`: merged events as JSON Lines, ACLED-column CSV or GeoJSON; or the articles."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import IO

import click

from sitrep.cli.options import db_option, open_from_cli
from sitrep.export import FORMATS, write_articles, write_events


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
@click.option(
    "--articles", is_flag=True, help="Export the stored articles (clean text) as JSON Lines instead."
)
def export(db_url: str | None, fmt: str, output: Path | None, articles: bool) -> None:
    """Write the stored events (or, with --articles, the articles) to a file or stdout.

    \b
    Example:
      sitrep export --db sqlite:///sitrep.db --format csv -o events.csv
    """
    _, store = open_from_cli(db_url)
    fh: IO[str] = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if articles:
            count = write_articles(store.iter_articles(), fh)
            what = "articles"
        else:
            # Newest first, as the API and `sitrep events` list them; undated events last.
            events = sorted(store.iter_events(), key=lambda e: e.event_id)
            events.sort(key=lambda e: e.date or dt.date.min, reverse=True)
            meta = store.article_meta({m.article_id for e in events for m in e.mentions})
            count = write_events(events, meta, fmt, fh)
            what = (
                "events"
                if fmt != "geojson"
                else f"located events ({len(events) - count} without coordinates left out)"
            )
    finally:
        store.close()
        if output:
            fh.close()
    if output:
        click.echo(f"wrote {count} {what} to {output}", err=True)
