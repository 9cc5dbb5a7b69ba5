"""`sitrep brief`: what changed since a date, as a short analyst's note (Markdown or HTML)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sitrep.cli.options import db_option, open_from_cli


@click.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day of the period.")
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Last day (default: the last event's)."
)
@click.option("--country", default=None, metavar="CC", help="Only events in this country (ISO alpha-2).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here."
)
@db_option
def brief(
    since: dt.datetime,
    until: dt.datetime | None,
    country: str | None,
    fmt: str,
    output: Path | None,
    db_url: str | None,
) -> None:
    """Brief on a period: headline figures against the period before, by type and country, the
    period's events, revised and disputed tolls (who said what), new disagreements and alerts.
    Every line names its outlets, with links; --format html adds a timeline and a map (inline SVG).

    \b
    Example:
      sitrep brief --since 2025-12-01 --country TJ
      sitrep brief --since 2025-12-01 --format html -o brief.html
    """
    from sitrep.watch.briefing import brief_html, brief_markdown, build_brief

    settings, store = open_from_cli(db_url)
    try:
        content = build_brief(
            store,
            since.date(),
            until.date() if until else None,
            country.upper() if country else None,
            settings.watch.base_url,
        )
    finally:
        store.close()
    text = brief_html(content) if fmt == "html" else brief_markdown(content)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
