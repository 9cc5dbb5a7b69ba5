"""`sitrep stats`: what the store holds."""

from __future__ import annotations

import json

import click

from sitrep.cli.options import db_option, open_from_cli


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def stats(db_url: str | None, as_json: bool) -> None:
    """Count articles, revisions, copies, rejections, mentions, events and facts in the store.

    \b
    Example:
      sitrep stats --json
    """
    _, store = open_from_cli(db_url)
    try:
        figures = store.stats()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(figures, indent=2, default=str))
        return
    for key, value in figures.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for sub, count in sorted(value.items(), key=lambda kv: (-kv[1], kv[0])):
                click.echo(f"  {sub:<24} {count}")
        else:
            click.echo(f"{key:<26} {value}")
