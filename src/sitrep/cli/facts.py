"""`sitrep facts`: stated quantities that sources disagree on, with each value's sources."""

from __future__ import annotations

import json

import click

from sitrep.cli.options import db_option, open_from_cli


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def facts(db_url: str | None, as_json: bool) -> None:
    """List disagreeing figures (e.g. the length of a border) and which articles state each value.

    \b
    Example:
      sitrep facts --db sqlite:///sitrep.db
    """
    from sitrep.resolve import group_facts

    _, store = open_from_cli(db_url)
    try:
        grouped = group_facts(list(store.iter_fact_claims()))
    finally:
        store.close()
    if as_json:
        records = [
            {
                "subject": f.subject,
                "unit": f.unit,
                "values": [{"value": v, "article_ids": list(ids)} for v, ids in f.values],
                "claims": [
                    {
                        "article_id": c.article_id,
                        "stated": c.stated,
                        "quote": c.quote,
                        "start": c.start,
                        "end": c.end,
                    }
                    for c in f.claims
                ],
            }
            for f in grouped
        ]
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if not grouped:
        click.echo("no disagreeing facts", err=True)
    for fact in grouped:
        click.echo(f"{fact.subject} ({fact.unit}):")
        for value, ids in fact.values:
            shown = int(value) if float(value).is_integer() else value
            click.echo(f"  {shown:>10}  {', '.join(ids)}")
