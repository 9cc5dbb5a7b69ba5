#!/usr/bin/env bash
# Copy the dashboard's front-end files from node_modules into src/sitrep/web/static/vendor/.
# Run after `npm ci` (the Makefile's setup does both). The dashboard serves these itself: no CDN.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/node_modules"
dest="$root/src/sitrep/web/static/vendor"

for pkg in leaflet topojson-client world-atlas swagger-ui-dist; do
  if [[ ! -d "$src/$pkg" ]]; then
    echo "vendor_assets: $src/$pkg is missing; run 'npm ci' in $root first." >&2
    exit 1
  fi
done

rm -rf "$dest"
mkdir -p "$dest/leaflet/images"
cp "$src/leaflet/dist/leaflet.js" "$src/leaflet/dist/leaflet.css" "$src/leaflet/LICENSE" "$dest/leaflet/"
cp "$src/leaflet/dist/images/"*.png "$dest/leaflet/images/"
cp "$src/topojson-client/dist/topojson-client.min.js" "$dest/topojson-client.min.js"
cp "$src/topojson-client/LICENSE" "$dest/topojson-client.LICENSE"
# 1:50m borders: 0.75 MB, detailed enough for a border region; 1:10m is 3.7 MB and 110m too coarse.
cp "$src/world-atlas/countries-50m.json" "$dest/countries-50m.json"
cp "$src/world-atlas/LICENSE" "$dest/world-atlas.LICENSE"
# Swagger UI for /docs, so the API docs work offline too.
mkdir -p "$dest/swagger-ui"
cp "$src/swagger-ui-dist/swagger-ui-bundle.js" "$src/swagger-ui-dist/swagger-ui.css" "$dest/swagger-ui/"
cp "$src/swagger-ui-dist/LICENSE" "$dest/swagger-ui/LICENSE"
echo "vendor_assets: copied Leaflet, topojson-client, world-atlas and Swagger UI into $dest" >&2
