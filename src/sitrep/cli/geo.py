"""`sitrep geo`: the gazetteer: import a GeoNames dump, look a name up."""

from __future__ import annotations

from pathlib import Path

import click


def default_geo_dir() -> Path:
    """Where imported places live: the setting `geo.dir` (sitrep.toml, $SITREP_GEO__DIR)."""
    from sitrep.config import load_settings

    return load_settings().geo.path()


@click.group()
def geo() -> None:
    """Manage the offline gazetteer.

    \b
    Example:
      sitrep geo import TJ.zip
    """


@geo.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--dir", "target_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Folder for imported places (default: setting geo.dir, ~/.local/share/sitrep/geo).",
)  # fmt: skip
def import_command(file: Path, target_dir: Path | None) -> None:
    """Import a GeoNames country dump (XX.txt, allCountries.txt or its .zip) into the gazetteer.

    The places land in the folder of setting `geo.dir` (or --dir), which `sitrep ingest` reads.

    \b
    Example:
      sitrep geo import TJ.zip --dir ~/.local/share/sitrep/geo
    """
    from sitrep.geo import import_geonames_report

    report = import_geonames_report(file, target_dir or default_geo_dir())
    click.echo(f"Imported {report.imported} places from {file} into {report.path}.", err=True)
    if report.bad_lines:
        shown = ", ".join(map(str, report.bad_lines[:10]))
        more = f" and {len(report.bad_lines) - 10} more" if len(report.bad_lines) > 10 else ""
        click.echo(f"Skipped {len(report.bad_lines)} unreadable lines: {shown}{more}.", err=True)
    click.echo(str(report.imported))


@geo.command("lookup")
@click.argument("name")
@click.option("--country", default=None, metavar="ISO2", help="Prefer places in this country.")
@click.option(
    "--dir", "extra_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Folder of imported places to include (default: setting geo.dir).",
)  # fmt: skip
def lookup_command(name: str, country: str | None, extra_dir: Path | None) -> None:
    """Print the places a name may mean, best first (tab-separated).

    \b
    Example:
      sitrep geo lookup Shokhin --country TJ
    """
    from sitrep.geo import load_gazetteer

    gazetteer = load_gazetteer(extra_dir or default_geo_dir())
    best = gazetteer.resolve(name, country)
    others = [p for p in gazetteer.lookup(name) if best is None or p.place_id != best.place_id]
    for place in ([best] if best else []) + others:
        fields = (place.name, place.kind, place.country, place.admin1, place.admin2, place.lat, place.lon)
        click.echo("\t".join("" if f is None else str(f) for f in fields))
