"""Import a GeoNames dump (XX.txt, allCountries.txt or their .zip) into a compact file the gazetteer merges.

GeoNames' dump format is tab-separated with 19 columns: geonameid, name, asciiname, alternatenames,
latitude, longitude, feature class, feature code, country code, cc2, admin1 code, admin2 code,
admin3 code, admin4 code, population, elevation, dem, timezone, modification date.
We keep populated places (class P) and administrative areas (class A, ADM1 and ADM2).
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sitrep.errors import GazetteerUnavailable

logger = logging.getLogger(__name__)

GEONAMES_COLUMNS = 19
EXTRA_SUFFIX = ".places.tsv"
VILLAGE_MAX_POPULATION = 5_000  # a populated place below this is coded as a village, above as a city
_ADMIN_KINDS = {"ADM1": "admin1", "ADM2": "admin2"}
_MAX_ALTERNATES = 20  # big cities carry hundreds; the first Latin ones are the useful spellings


@dataclass(frozen=True)
class ExtraPlace:
    """One place read back from an imported file, with GeoNames codes still to be named."""

    geonameid: str
    name: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    kind: str
    country: str
    admin1_code: str
    admin2_code: str
    population: int


@dataclass
class GeonamesImport:
    """What an import did: places written, and the 1-based line numbers of lines it could not read."""

    imported: int = 0
    path: Path | None = None
    bad_lines: list[int] = field(default_factory=list)


def _open_dump(path: Path) -> tuple[TextIO, zipfile.ZipFile | None]:
    """Open a dump as text, reading the first .txt member of a .zip."""
    try:
        if zipfile.is_zipfile(path):
            archive = zipfile.ZipFile(path)
            members = [n for n in archive.namelist() if n.endswith(".txt") and not n.startswith("readme")]
            if not members:
                raise GazetteerUnavailable(f"{path} is a zip with no GeoNames .txt file inside.")
            return io.TextIOWrapper(archive.open(members[0]), encoding="utf-8"), archive
        return path.open(encoding="utf-8"), None
    except OSError as exc:
        raise GazetteerUnavailable(
            f"GeoNames dump {path} could not be read ({exc}).",
            hint="Download a country file such as TJ.zip from https://download.geonames.org/export/dump/.",
        ) from exc


def _latin(alternates: str) -> list[str]:
    names = [a for a in alternates.split(",") if a and all(ord(ch) < 0x250 for ch in a)]
    return names[:_MAX_ALTERNATES]


def _parse(line: str) -> list[str] | None:
    """Return the output columns for one dump line, [] for a line we skip, None for a bad line."""
    cols = line.rstrip("\n").split("\t")
    if len(cols) != GEONAMES_COLUMNS:
        return None
    gid, name, _ascii, alternates, lat, lon, fclass, fcode, country, _cc2, admin1, admin2 = cols[:12]
    try:
        float(lat), float(lon), int(cols[14] or 0)
    except ValueError:
        return None
    if not gid.isdigit() or not name or len(country) != 2:
        return None
    if fclass == "P":
        kind = "village" if int(cols[14] or 0) < VILLAGE_MAX_POPULATION else "city"
    elif fclass == "A" and fcode in _ADMIN_KINDS:
        kind = _ADMIN_KINDS[fcode]
    else:
        return []
    alts = "|".join(a for a in _latin(alternates) if "|" not in a)
    return [gid, name, alts, lat, lon, kind, country, admin1, admin2, cols[14] or "0"]


def import_geonames_report(path: Path, target_dir: Path) -> GeonamesImport:
    """Import `path` into `target_dir` and report what was kept and which lines were bad."""
    report = GeonamesImport()
    rows: list[str] = []
    handle, archive = _open_dump(path)
    try:
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip() or line.startswith("#"):
                    continue
                cols = _parse(line)
                if cols is None:
                    report.bad_lines.append(number)
                elif cols:
                    rows.append("\t".join(cols))
    except UnicodeDecodeError as exc:
        raise GazetteerUnavailable(f"GeoNames dump {path} is not UTF-8 text ({exc}).") from exc
    finally:
        if archive is not None:
            archive.close()
    if report.bad_lines:
        logger.warning(
            "%s: %d unreadable lines skipped (first: %s)",
            path, len(report.bad_lines), ", ".join(map(str, report.bad_lines[:10])),
        )  # fmt: skip
    target_dir.mkdir(parents=True, exist_ok=True)
    stem = path.name.split(".")[0] or "geonames"
    report.path = target_dir / f"{stem}{EXTRA_SUFFIX}"
    tmp = report.path.with_suffix(".tmp")
    tmp.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    os.replace(tmp, report.path)
    report.imported = len(rows)
    return report


def import_geonames(path: Path, target_dir: Path) -> int:
    """Import a GeoNames dump for `load_gazetteer(extra_dir=target_dir)`; return how many places were kept."""
    return import_geonames_report(path, target_dir).imported


def read_extra_dir(directory: Path) -> Iterator[ExtraPlace]:
    """Yield every place from the files `import_geonames` wrote into `directory` (none if it is absent)."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob(f"*{EXTRA_SUFFIX}")):
        yield from _read_extra(path)


def _read_extra(path: Path) -> Iterable[ExtraPlace]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 10:
                raise GazetteerUnavailable(
                    f"{path}:{number} is not a sitrep place file line.",
                    hint="Re-run `sitrep geo import` on the original GeoNames dump.",
                )
            gid, name, alts, lat, lon, kind, country, admin1, admin2, population = cols
            yield ExtraPlace(
                gid, name, tuple(alts.split("|")) if alts else (), float(lat), float(lon),
                kind, country, admin1, admin2, int(population),
            )  # fmt: skip
