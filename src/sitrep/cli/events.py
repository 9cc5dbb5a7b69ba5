"""`sitrep events`: list stored events, newest first, with their sources and disagreements."""

from __future__ import annotations

import datetime as dt
import json

import click

from sitrep.cli.options import db_option, open_from_cli
from sitrep.export import event_record


@click.command()
@db_option
@click.option("--country", help="ISO alpha-2 country code of where events happened.")
@click.option("--type", "event_type", help="PLOVER event type, e.g. ASSAULT.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Earliest event date.")
@click.option("--language", help="ISO 639-1 code: only events with a source in this language, e.g. ru.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines instead of a table.")
def events(
    db_url: str | None,
    country: str | None,
    event_type: str | None,
    since: dt.datetime | None,
    language: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Show merged events with their number of sources and any disagreement between them.

    \b
    Example:
      sitrep events --country TJ --type ASSAULT
    """
    from sitrep.store import EventQuery

    _, store = open_from_cli(db_url)
    try:
        query = EventQuery(
            country=country.upper() if country else None,
            event_type=event_type.upper() if event_type else None,
            since=since.date() if since else None,
            language=language.lower() if language else None,
            limit=limit,
        )
        found, total = store.query_events(query)
        meta = store.article_meta({m.article_id for e in found for m in e.mentions})
    finally:
        store.close()
    for event in found:
        if as_json:
            click.echo(json.dumps(event_record(event, meta), ensure_ascii=False))
            continue
        killed = event.fatalities.best if event.fatalities and event.fatalities.best is not None else ""
        place = ", ".join(p for p in (event.location, event.admin1, event.country) if p)
        flag = " *" if event.discrepancies else ""
        n_sources = len({m.article_id for m in event.mentions})
        when = event.date.isoformat() if event.date else "?"
        click.echo(
            f"{when:<10}  {event.event_type:<9} {killed!s:>3}  {n_sources:>2} src  "
            f"{place[:40]:<40} {(event.actor1 or '')[:40]}{flag}"
        )
    if not as_json:
        click.echo(f"{len(found)} of {total} events shown; * = sources disagree", err=True)
