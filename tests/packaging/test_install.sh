#!/usr/bin/env bash
# The installed limes, as a user gets it (ctest "packaging: ..."): `cmake --install` into a
# temporary prefix, the build tree then hidden from the installed binary, and the binary run
# from another directory. Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/limes-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
bin=$tmp/prefix/bin/limes
for f in bin/limes lib/limes/limes-ffmpeg.so share/limes/caucasus.gpkg share/man/man1/limes.1.gz \
         share/bash-completion/completions/limes share/applications/limes.desktop \
         share/icons/hicolor/scalable/apps/limes.svg share/doc/limes/copyright \
         share/doc/limes/changelog.gz share/doc/limes/README.geodata.md; do
  [ -s "$tmp/prefix/$f" ] || fail "not installed: $f"
done

# A relocated prefix with no build tree in reach: the binary finds its workspace beside it.
mv "$tmp/prefix" "$tmp/moved"
bin=$tmp/moved/bin/limes
cd "$tmp"
unset LIMES_WORKSPACE
"$bin" --version > version.txt
for lib in GDAL PROJ GEOS SQLite; do
  grep -Eq "^$lib [0-9]+\.[0-9]+" version.txt || fail "--version does not name $lib: $(cat version.txt)"
done
grep -q "^limes [0-9]" version.txt || fail "--version: $(cat version.txt)"
"$bin" info > info.txt
grep -q "^$tmp/moved/share/limes/caucasus.gpkg (GPKG)" info.txt ||
  fail "info did not open the installed workspace: $(head -2 info.txt)"
grep -q "^incidents " info.txt || fail "no incidents layer: $(cat info.txt)"
"$bin" export -o out.geojson 2> export.txt
grep -q '"FeatureCollection"' out.geojson || fail "export"
"$bin" render -o brief.png --size 640x360 > render.txt 2>&1 || fail "render: $(cat render.txt)"
[ "$(head -c 8 brief.png | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] || fail "render: not a PNG"
# A video: the FFmpeg module, loaded on demand, is found from the moved prefix too.
"$bin" animate -o days.gif --size 160x90 --fps 2 --from 2022-09-12 --to 2022-09-14 \
  > animate.txt 2>&1 || fail "animate: $(cat animate.txt)"
[ "$(head -c 6 days.gif)" = GIF89a ] || fail "animate: not a GIF"

# The man page renders, and names every command.
zcat "$tmp/moved/share/man/man1/limes.1.gz" > limes.1
for cmd in import export info stats render animate view clean init history; do
  grep -q "$cmd" limes.1 || fail "man page lacks $cmd"
done
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z limes.1 2>&1 || true)
  [ -z "$warnings" ] || fail "groff: $warnings"
fi
echo "installed and ran from $tmp/moved"
