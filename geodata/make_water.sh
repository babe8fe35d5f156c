#!/usr/bin/env bash
# Makes geodata/lakes.geojson and geodata/rivers.geojson, clipped to the default workspace's
# box (lon 43..51 E, lat 38..42.5 N, WGS84). Run by hand when the sources change; the output
# is committed so that builds and CI need no network. Needs: npm (the npm registry), GDAL's
# ogr2ogr with the SQLite/SpatiaLite dialect, and Debian's gmt + gmt-gshhg-high
# (apt-get install gmt gmt-gshhg-high). See geodata/README.md for sources and licences.
#   usage: geodata/make_water.sh [OUT_DIR]   (default: the folder of this script)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
box=(43 38 51 42.5)  # W S E N, as default_clip_box() in default_workspace.cpp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
rm -f "$out/lakes.geojson.tmp" "$out/rivers.geojson.tmp"

# Lakes: OpenStreetMap water areas as @geo-maps/earth-lakes-10m 0.6.0 packs them (one
# GeoJSON GeometryCollection, no attributes). Kept: parts of at least 0.0003 square degrees
# (about 2.5 km2 at 40 N); the Caspian Sea (over 1 square degree) is left to the sea
# background. Simplified to 0.001 degree (about 100 m).
npm pack --silent @geo-maps/earth-lakes-10m@0.6.0 >/dev/null
tar xzf geo-maps-earth-lakes-10m-0.6.0.tgz
ogr2ogr -f GeoJSON -clipsrc "${box[@]}" -nln clipped clipped.geojson package/map.geo.json
ogr2ogr -f GeoJSON -explodecollections -nln lakes_clip lakes_clip.geojson clipped.geojson
rm -rf package
ogr2ogr -f GeoJSON -dialect sqlite -simplify 0.001 -nln lakes \
  -sql "SELECT geometry FROM lakes_clip WHERE ST_Area(geometry) >= 0.0003 AND ST_Area(geometry) < 1" \
  -lco COORDINATE_PRECISION=4 -lco RFC7946=YES "$out/lakes.geojson.tmp" lakes_clip.geojson
mv "$out/lakes.geojson.tmp" "$out/lakes.geojson"

# Rivers: GSHHG 2.3.7's WDBII rivers at high resolution, permanent rivers (classes 1-4),
# dumped by GMT as multisegment text (lon lat per line, one '>' header per bin segment),
# then the bin pieces merged into lines and clipped.
gmt coast -R"${box[0]}/${box[2]}/${box[1]}/${box[3]}" -Dh -Ir -M |
  awk 'BEGIN { print "class,wkt" }
       function flush() { if (n > 1) print cls ",\"LINESTRING(" pts ")\""; n = 0; pts = "" }
       /^>/ { flush(); split($0, a, "Level "); cls = a[2]; next }
       { pts = pts (n ? "," : "") $1 " " $2; n++ }
       END { flush() }' >rivers.csv
ogr2ogr -f GeoJSON -oo GEOM_POSSIBLE_NAMES=wkt -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326 \
  rivers_raw.geojson rivers.csv
ogr2ogr -f GeoJSON -explodecollections -clipsrc "${box[@]}" -dialect sqlite -nln rivers \
  -sql "SELECT ST_LineMerge(ST_Union(geometry)) AS geometry FROM rivers" \
  -lco COORDINATE_PRECISION=4 -lco RFC7946=YES "$out/rivers.geojson.tmp" rivers_raw.geojson
mv "$out/rivers.geojson.tmp" "$out/rivers.geojson"
echo "wrote $out/lakes.geojson ($(grep -o '"type": *"Feature"' "$out/lakes.geojson" | wc -l) parts)," \
  "$out/rivers.geojson ($(grep -o '"type": *"Feature"' "$out/rivers.geojson" | wc -l) lines)"
