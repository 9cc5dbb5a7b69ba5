"""Serve the dashboard: index.html at /, and its scripts, styles and npm-vendored map files under /static.

Nothing is loaded from the network: Leaflet, topojson-client and the world-atlas borders are copied
from node_modules into static/vendor/ by `make setup` (npm ci, then scripts/vendor_assets.sh).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
# What index.html loads from vendor/; if any is missing the page cannot draw its map.
VENDOR_FILES = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/topojson-client.min.js",
    "vendor/countries-50m.json",
)

_MISSING_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>sitrep: map files missing</title></head><body><h1>The dashboard's map files are missing</h1>
<p>Missing under {static}: {missing}.</p>
<p>Run <code>make setup</code> (or <code>npm ci &amp;&amp; bash scripts/vendor_assets.sh</code>) in the
repository, then restart <code>sitrep serve</code>. The JSON API at <a href="/api/events">/api/events</a>
works without them.</p></body></html>"""


def missing_vendor_files(static_dir: Path) -> list[str]:
    """The vendored files index.html needs that are not on disk."""
    return [name for name in VENDOR_FILES if not (static_dir / name).is_file()]


def mount_dashboard(app: FastAPI, static_dir: Path = STATIC_DIR) -> None:
    """Add GET / (the page) and /static (its files) to `app`."""
    missing = missing_vendor_files(static_dir)
    if missing:
        logger.warning("dashboard map files missing under %s: %s; run `make setup`", static_dir, missing)

    @app.get("/", include_in_schema=False, response_model=None)
    def index() -> Response:
        """The dashboard page, or a page that says how to build its missing files."""
        still_missing = missing_vendor_files(static_dir)
        if still_missing:
            body = _MISSING_PAGE.format(static=static_dir, missing=", ".join(still_missing))
            return HTMLResponse(body, status_code=503)
        return FileResponse(static_dir / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=static_dir, check_dir=False), name="static")
