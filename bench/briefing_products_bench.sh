#!/usr/bin/env bash
# Briefing products against their peers, alternating in one run on the same files; prints
# medians and ratios (BENCHMARKS.md, "Briefing products"). A benchmark, not a test.
#   animation: `limes animate` of 60 weekly frames at 1920x1080 to MP4, against QGIS 3.22
#              (bench/qgis_animate.py: PyQGIS drawing the same frames as numbered PNGs, as
#              the temporal controller exports them) plus the ffmpeg program encoding them
#              (libx264, veryfast, CRF 18: the settings limes uses)
#   pdf:       `limes render -o brief.pdf --paper A4` of the default workspace, against a
#              QGIS print layout of its layers (map, title, legend, scale bar) exported by
#              QgsLayoutExporter (bench/qgis_layout_pdf.py)
# Usage: bench/briefing_products_bench.sh [BUILD_DIR] [RUNS] [ROWS]
#   BUILD_DIR  where limes and limes-gen-acled are (default build); RUNS (default 3);
#   ROWS       SYNTHETIC incidents added to a copy of the default workspace (default 100000)
# Needs Debian's python3-qgis, qgis-providers and ffmpeg (installed here when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$here/../build}" && pwd)
RUNS=${2:-3}
ROWS=${3:-100000}
PY=/usr/bin/python3
limes=$BUILD/limes
SCRATCH=$(mktemp -d /tmp/limes-products-bench.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
log() { printf '%s\n' "$*" >&2; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

if ! "$PY" -c 'import qgis.core' 2>/dev/null || ! command -v ffmpeg >/dev/null; then
  log "installing python3-qgis qgis-providers ffmpeg"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y --no-install-recommends python3-qgis qgis-providers ffmpeg >/dev/null
fi
qgis_version=$(QT_QPA_PLATFORM=offscreen "$PY" -c \
  'from qgis.core import Qgis; print(Qgis.QGIS_VERSION.split("-")[0])' 2>/dev/null)

# The workspace: the default one with ROWS SYNTHETIC incidents (2018-2024) imported into it.
ws=$SCRATCH/workspace.gpkg
cp "$BUILD/geodata/caucasus.gpkg" "$ws"
"$BUILD/limes-gen-acled" "$ROWS" "$SCRATCH/synthetic.csv" >/dev/null
"$limes" import "$ws" "$SCRATCH/synthetic.csv" >/dev/null 2>&1

# The extent both draw: the one limes chooses for the whole range, read from its world file.
extent_of() {  # PNG -> "MINX MINY MAXX MAXY" from its world file (pixel centres)
  local pgw=${1%.png}.pgw w=$2 h=$3
  set -- $(cat "$pgw")
  awk -v a="$1" -v e="$4" -v c="$5" -v f="$6" -v w="$w" -v h="$h" \
    'BEGIN {printf "%.3f %.3f %.3f %.3f", c - a / 2, f - e / 2 + h * e, c - a / 2 + w * a, f - e / 2}'
}
FROM=2023-01-02 TO=2024-02-19  # 60 frames a week apart
"$limes" render "$ws" -o "$SCRATCH/range.png" --size 1920x1080 --from $FROM --to $TO \
  --at $TO >/dev/null 2>&1
anim_extent=$(extent_of "$SCRATCH/range.png" 1920 1080)
"$limes" render "$BUILD/geodata/caucasus.gpkg" -o "$SCRATCH/default.png" --size 1920x1080 \
  >/dev/null 2>&1
pdf_extent=$(extent_of "$SCRATCH/default.png" 1920 1080)

declare -A times
run() {  # NAME CMD...: wall ms appended to times[NAME]
  local name=$1 t0 t1
  shift
  t0=$(now_ms)
  "$@" >"$SCRATCH/$name.log" 2>&1 || { cat "$SCRATCH/$name.log" >&2; exit 1; }
  t1=$(now_ms)
  times[$name]="${times[$name]:-} $((t1 - t0))"
}
limes_anim() { "$limes" animate "$ws" -o "$SCRATCH/limes.mp4" --from $FROM --to $TO --step 1w \
  --fps 10 --size 1920x1080; }
qgis_anim() {
  rm -rf "$SCRATCH/frames" && mkdir "$SCRATCH/frames"
  # shellcheck disable=SC2086
  "$PY" "$here/qgis_animate.py" "$ws" "$SCRATCH/frames" 1920 1080 $anim_extent $FROM 7 60 &&
    ffmpeg -v error -y -framerate 10 -i "$SCRATCH/frames/frame_%04d.png" -c:v libx264 \
      -preset veryfast -crf 18 -pix_fmt yuv420p "$SCRATCH/qgis.mp4"
}
limes_pdf() { "$limes" render "$BUILD/geodata/caucasus.gpkg" -o "$SCRATCH/limes.pdf" --paper A4; }
qgis_pdf() {
  # shellcheck disable=SC2086
  "$PY" "$here/qgis_layout_pdf.py" "$BUILD/geodata/caucasus.gpkg" "$SCRATCH/qgis.pdf" 297 210 \
    $pdf_extent
}
for i in $(seq 1 "$RUNS"); do
  if ((i % 2)); then order="limes qgis"; else order="qgis limes"; fi
  for who in $order; do
    run "${who}_anim" "${who}_anim"
    run "${who}_pdf" "${who}_pdf"
  done
  log "run $i/$RUNS done"
done
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
  -of csv=p=0 "$SCRATCH/limes.mp4")
qframes=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames \
  -of csv=p=0 "$SCRATCH/qgis.mp4")
med() { tr ' ' '\n' <<<"${times[$1]}" | grep -v '^$' | median; }
la=$(med limes_anim) qa=$(med qgis_anim) lp=$(med limes_pdf) qp=$(med qgis_pdf)
printf '| work | limes | QGIS %s (+ ffmpeg) | limes / peer |\n|---|---|---|---|\n' "$qgis_version"
printf '| animation, %s frames 1920x1080 MP4 (%s synthetic incidents) | %s ms | %s ms (%s frames) | %.2f |\n' \
  "$frames" "$ROWS" "$la" "$qa" "$qframes" "$(echo "$la / $qa" | bc -l)"
printf '| briefing PDF, A4, default workspace | %s ms | %s ms | %.2f |\n' "$lp" "$qp" \
  "$(echo "$lp / $qp" | bc -l)"
printf '(medians of %s runs, alternating order; %s cores, %s)\n' "$RUNS" "$(nproc)" "$(date -u +%F)"
