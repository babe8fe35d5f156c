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

# Every NEEDED library of the binary and of its FFmpeg module, owned by a listed package
# (dpkg -S).
# No `producer | grep -q` under pipefail here: grep -q exits at its first match, and a producer
# still writing then dies of SIGPIPE, failing the pipeline at random (CI saw "libc.so.6 comes
# from libc6, not in ..." with libc6 listed first). Matches read here-strings instead.
mapfile -t runtime < <(grep -E '^[a-z0-9]' "$list")
listed=$(printf '%s\n' "${runtime[@]}")
module=$build/lib/limes/limes-ffmpeg.so
[ -f "$module" ] || fail "no FFmpeg module at $module"
mapfile -t libs < <(readelf -d "$build/limes" "$module" |
                    awk '/NEEDED/ {gsub(/[\[\]]/, "", $5); print $5}' | sort -u)
# One dpkg -S for all of them: each call reads dpkg's whole file database (~0.4 s, 8 s for 22).
patterns=()
for lib in "${libs[@]}"; do patterns+=("*/x86_64-linux-gnu/$lib"); done
owners=$(dpkg -S "${patterns[@]}" 2>/dev/null || true)  # "pkg[, pkg]: /path", one a file
for lib in "${libs[@]}"; do
  owner=$(awk -F': ' -v lib="$lib" '{n = split($2, p, "/")} p[n] == lib {split($1, o, ", "); sub(/:.*/, "", o[1]); print o[1]; exit}' <<<"$owners")
  [ -n "$owner" ] || fail "$lib: no Debian package owns it"
  grep -qxF "$owner" <<<"$listed" || fail "$lib comes from $owner, not in $list"
done

(cd "$tmp" && cpack --config "$build/CPackConfig.cmake" -B "$tmp/out" >cpack.log 2>&1) ||
  { cat "$tmp/cpack.log"; fail "cpack"; }
deb=$(ls "$tmp"/out/limes_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
depends_lines=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//')
for p in "${runtime[@]}"; do
  grep -qxF "$p" <<<"$depends_lines" || fail "Depends lacks $p: $depends"
done
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/limes ./usr/lib/limes/limes-ffmpeg.so ./usr/share/limes/caucasus.gpkg ./usr/share/man/man1/limes.1.gz \
         ./usr/share/doc/limes/copyright ./usr/share/applications/limes.desktop; do
  grep -q " $f\$" <<<"$contents" || fail "the package lacks $f"
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
