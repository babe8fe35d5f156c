#!/usr/bin/env bash
# Puts Natural Earth 10m (as Debian's qgis-common ships it: resources/data/world_map.gpkg)
# at the path given. The package is downloaded and unpacked, not installed: installing it
# would pull in Qt. Needs only the Debian archive (apt-get download), no other network.
set -euo pipefail
out=${1:?usage: fetch_natural_earth.sh OUT.gpkg}
installed=/usr/share/qgis/resources/data/world_map.gpkg
if [ -f "$out" ]; then exit 0; fi
mkdir -p "$(dirname "$out")"
if [ -f "$installed" ]; then
  cp "$installed" "$out.tmp" && mv "$out.tmp" "$out"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# apt-get download writes into the current directory; as root it warns that _apt cannot
# access it, which is harmless.
if ! apt-get download qgis-common >/dev/null 2>apt.err; then
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get download qgis-common >/dev/null 2>apt.err || { cat apt.err >&2; exit 1; }
fi
dpkg-deb -x qgis-common_*.deb x
cp x/usr/share/qgis/resources/data/world_map.gpkg "$out.tmp"
mv "$out.tmp" "$out"
echo "fetched $(basename qgis-common_*.deb) -> $out"
