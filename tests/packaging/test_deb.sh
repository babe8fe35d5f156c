#!/usr/bin/env bash
# The .deb (ctest "packaging: ..."): CPack builds it; its Depends are the runtime package list;
# every shared library the binary needs comes from a package on that list; lintian reports no
# error. Usage: test_deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$2
list=$src/third_party/debian-runtime-packages.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/limes-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Every NEEDED library of the binary, owned by a listed package (dpkg -S).
mapfile -t runtime < <(grep -E '^[a-z0-9]' "$list")
for lib in $(readelf -d "$build/limes" | awk '/NEEDED/ {gsub(/[\[\]]/, "", $5); print $5}'); do
  owner=$(dpkg -S "*/x86_64-linux-gnu/$lib" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$owner" ] || fail "$lib: no Debian package owns it"
  printf '%s\n' "${runtime[@]}" | grep -qx "$owner" || fail "$lib comes from $owner, not in $list"
done

(cd "$tmp" && cpack --config "$build/CPackConfig.cmake" -B "$tmp/out" >cpack.log 2>&1) ||
  { cat "$tmp/cpack.log"; fail "cpack"; }
deb=$(ls "$tmp"/out/limes_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for p in "${runtime[@]}"; do
  echo "$depends" | tr ',' '\n' | sed 's/^ *//' | grep -qx "$p" || fail "Depends lacks $p: $depends"
done
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/limes ./usr/share/limes/caucasus.gpkg ./usr/share/man/man1/limes.1.gz \
         ./usr/share/doc/limes/copyright ./usr/share/applications/limes.desktop; do
  echo "$contents" | grep -q " $f\$" || fail "the package lacks $f"
done
if command -v lintian >/dev/null; then
  lintian --no-tag-display-limit "$deb" > "$tmp/lintian.txt" 2>&1 || true
  if grep -q '^E:' "$tmp/lintian.txt"; then
    cat "$tmp/lintian.txt"
    fail "lintian reports errors"
  fi
  echo "lintian: $(grep -c '^W:' "$tmp/lintian.txt" || true) warning(s), no errors"
else
  fail "lintian is not installed (third_party/debian-packages.txt lists it)"
fi
echo "built $(basename "$deb")"
