#!/usr/bin/env bash
# Re-vendor the web app's static assets from the npm registry at pinned versions (see
# storyline/web/static/vendor/SOURCES.md). Nothing is fetched at run time: the files are committed.
set -euo pipefail
dest="$(cd "$(dirname "$0")/.." && pwd)/storyline/web/static/vendor"
work=$(mktemp -d)
cd "$work"
npm pack --silent leaflet@1.9.4 topojson-client@3.1.0 world-atlas@2.0.2 swagger-ui-dist@5.35.0 >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
mkdir -p "$dest/leaflet/images"
cp leaflet-1.9.4/package/dist/{leaflet.js,leaflet.css} leaflet-1.9.4/package/LICENSE "$dest/leaflet/"
cp leaflet-1.9.4/package/dist/images/*.png "$dest/leaflet/images/"
cp topojson-client-3.1.0/package/dist/topojson-client.min.js "$dest/"
cp topojson-client-3.1.0/package/LICENSE "$dest/topojson-client.LICENSE"
cp world-atlas-2.0.2/package/countries-50m.json "$dest/"
cp world-atlas-2.0.2/package/LICENSE "$dest/world-atlas.LICENSE"
mkdir -p "$dest/swagger"
cp swagger-ui-dist-5.35.0/package/{swagger-ui-bundle.js,swagger-ui.css,LICENSE,favicon-32x32.png} "$dest/swagger/"
rm -rf "$work"
