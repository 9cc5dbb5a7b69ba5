"""Places added by `sitrep geo import` are used by `sitrep ingest`, through the one setting `geo.dir`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli.main import cli
from sitrep.store import open_store

pytestmark = pytest.mark.model

# A village that no built-in table knows, in a dump of GeoNames' 19-column format written here.
VILLAGE = "Qaroqamish"
DUMP_LINES = [
    (9100001, "Khatlon Region", "Khatlon", 37.9, 69.0, "A", "ADM1", "", 0),
    (9100002, "Nohiyai Sarband", "Sarband District", 37.70, 69.95, "A", "ADM2", "S1", 0),
    (9100003, VILLAGE, f"{VILLAGE},Qaroqamish Village", 37.512, 69.731, "P", "PPL", "S1", 900),
]

ARTICLE = {
    "id": "geo-import-1",
    "url": "https://example.org/geo-import-1",
    "outlet": "Example Wire",
    "published": "2025-12-10",
    "title": "Guards killed in a night attack",
    "text": (
        f"Gunmen attacked a border post near the village of {VILLAGE} in Khatlon province on Monday, "
        "killing two Tajik border guards, the border service said."
    ),
}


def _dump(path: Path) -> Path:
    rows = []
    for gid, name, alts, lat, lon, fclass, fcode, admin2, pop in DUMP_LINES:
        cols = (
            gid, name, name, alts, lat, lon, fclass, fcode, "TJ", "", "02", admin2, "", "",
            pop, "", 900, "Asia/Dushanbe", "2024-01-01",
        )  # fmt: skip
        rows.append("\t".join(str(c) for c in cols))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _ingest(tmp_path: Path, geo_dir: Path, name: str) -> list[tuple[str | None, float | None, float | None]]:
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / name}"
    runner = CliRunner(env={"SITREP_GEO__DIR": str(geo_dir)})
    result = runner.invoke(cli, ["ingest", str(articles), "--db", db, "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = open_store(db)
    try:
        return [(m.location, m.lat, m.lon) for m in store.iter_mentions()]
    finally:
        store.close()


def test_ingest_geocodes_from_an_imported_geonames_dump(tmp_path: Path) -> None:
    geo_dir = tmp_path / "geo"
    runner = CliRunner(env={"SITREP_GEO__DIR": str(geo_dir)})
    result = runner.invoke(cli, ["geo", "import", str(_dump(tmp_path / "XT.txt"))], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (geo_dir / "XT.places.tsv").is_file()  # written where the setting says

    places = _ingest(tmp_path, geo_dir, "with.db")
    assert any(loc and VILLAGE in loc for loc, _, _ in places), places
    coords = [(lat, lon) for loc, lat, lon in places if loc and VILLAGE in loc]
    assert coords[0] == pytest.approx((37.512, 69.731), abs=1e-3)


def test_ingest_without_the_import_does_not_know_the_village(tmp_path: Path) -> None:
    places = _ingest(tmp_path, tmp_path / "no-such-folder", "without.db")
    assert not any(loc and VILLAGE in loc for loc, _, _ in places), places
