#!/usr/bin/python3
"""Peer of `limes animate` for bench/briefing_products_bench.sh: the same frames drawn by QGIS
(PyQGIS), written as numbered PNGs, as QGIS's temporal controller exports an animation (QGIS
has no video export: qgis/QGIS#52021); the bench script then encodes them with the ffmpeg
program, the workflow QGIS users follow.

    qgis_animate.py WORKSPACE.gpkg OUTDIR WIDTH HEIGHT MINX MINY MAXX MAXY FIRST_DAY STEP_DAYS N

Frame k (0..N-1) shows the workspace's countries and the incidents dated
FIRST_DAY + k*STEP_DAYS - (STEP_DAYS-1) .. FIRST_DAY + k*STEP_DAYS (a window of one step, as
`limes animate --step Nd` shows by default), in limes' default CRS, the extent MINX..MAXY
(metres; from the world file of a limes render of the same range). Incidents are filtered per
frame with a subset string on event_date (what the temporal controller does with a
"fixed range per feature" setting). Prints "qgis: N frames in T ms".
"""
import datetime
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsMapRendererParallelJob  # noqa: E402

from qgis_render import layer, map_settings, style_countries, style_incidents  # noqa: E402


def main(argv):
    if len(argv) != 12:
        sys.stderr.write(__doc__)
        return 2
    ws, outdir = argv[1], argv[2]
    width, height = int(argv[3]), int(argv[4])
    minx, miny, maxx, maxy = (float(v) for v in argv[5:9])
    first = datetime.date.fromisoformat(argv[9])
    step, n = int(argv[10]), int(argv[11])
    t0 = time.monotonic()
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    countries, incidents = layer(ws, "countries"), layer(ws, "incidents")
    style_countries(countries)
    style_incidents(incidents)
    settings = map_settings([incidents, countries], width, height, (minx, miny, maxx, maxy))
    for k in range(n):
        day = first + datetime.timedelta(days=k * step)
        start = day - datetime.timedelta(days=step - 1)
        incidents.setSubsetString("\"event_date\" >= '%s' AND \"event_date\" <= '%s'" %
                                  (start.isoformat(), day.isoformat()))
        job = QgsMapRendererParallelJob(settings)
        job.start()
        job.waitForFinished()
        if not job.renderedImage().save(os.path.join(outdir, "frame_%04d.png" % k), "png"):
            raise SystemExit("qgis_animate: cannot write frame %d" % k)
    print("qgis: %d frames in %d ms" % (n, (time.monotonic() - t0) * 1000))
    sys.stdout.flush()
    os._exit(0)  # QGIS 3.22 crashes tearing down its providers at exit (see qgis_render.py)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
