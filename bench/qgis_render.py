#!/usr/bin/python3
"""Peer renderer for bench/run_all.sh: the same map as `limes render`, drawn by QGIS (PyQGIS).

    qgis_render.py WORKSPACE.gpkg OUT.png WIDTH HEIGHT MINX MINY MAXX MAXY

Draws the workspace's `countries` layer (filled, outlined) and every point of its `incidents`
layer (an 8 px circle coloured by ACLED event type, 6 categories, white 0.5 px outline) into a
WIDTHxHEIGHT PNG, in limes' default CRS (Lambert conformal conic 39/41 N, centred 46E 40N),
antialiased, at 96 dpi. MINX..MAXY is the extent in that CRS, in metres, taken by run_all.sh
from the world file limes wrote, so all images show the same ground. Both layers are read from
the GeoPackage through QGIS's OGR provider; the map is drawn by QgsMapRendererParallelJob (what
the QGIS desktop uses: one thread per layer) and saved with QImage::save.

This is the peer issue 5 names ("QGIS 3.22 (PyQGIS)"); Debian 12 ships QGIS 3.22 as
python3-qgis. Run with Debian's /usr/bin/python3, with no display (QT_QPA_PLATFORM=offscreen
is set here). Prints one line on stdout: "qgis: N ms render, E ms encode, M ms setup".
"""
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (after the environment above)
    QgsApplication, QgsCategorizedSymbolRenderer, QgsCoordinateReferenceSystem, QgsFillSymbol,
    QgsMapRendererParallelJob, QgsMapSettings, QgsMarkerSymbol, QgsRectangle, QgsRendererCategory,
    QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

from peer_map import LCC, TYPE_COLOURS, parse_args  # noqa: E402


def layer(ws, name):
    lyr = QgsVectorLayer("%s|layername=%s" % (ws, name), name, "ogr")
    if not lyr.isValid():
        raise SystemExit("qgis_render: cannot open layer %s of %s" % (name, ws))
    return lyr


def style_countries(lyr):
    sym = QgsFillSymbol.createSimple({
        "color": "#f4f1ea", "outline_color": "#5a5a5a", "outline_width": "1.5",
        "outline_width_unit": "Pixel"})
    lyr.renderer().setSymbol(sym)


def style_incidents(lyr):
    categories = []
    for value, colour in TYPE_COLOURS.items():
        sym = QgsMarkerSymbol.createSimple({
            "name": "circle", "color": colour, "size": "8", "size_unit": "Pixel",
            "outline_color": "#ffffff", "outline_width": "0.5", "outline_width_unit": "Pixel"})
        categories.append(QgsRendererCategory(value, sym, value))
    lyr.setRenderer(QgsCategorizedSymbolRenderer("event_type", categories))


def map_settings(layers, width, height, extent):
    """The map both peer scripts draw: layers (top first) in limes' default CRS, antialiased,
    at 96 dpi, over extent (minx, miny, maxx, maxy) in metres."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem.fromProj(LCC))
    settings.setBackgroundColor(QColor("#dce6ee"))
    settings.setOutputSize(QSize(width, height))
    settings.setOutputDpi(96)
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    settings.setExtent(QgsRectangle(*extent))
    return settings


def main(argv):
    args = parse_args(argv, __doc__)
    if args is None:
        return 2
    ws, out, width, height, (minx, miny, maxx, maxy) = args
    t0 = time.monotonic()

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    countries, incidents = layer(ws, "countries"), layer(ws, "incidents")
    style_countries(countries)
    style_incidents(incidents)

    settings = map_settings([incidents, countries], width, height, (minx, miny, maxx, maxy))
    t1 = time.monotonic()

    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    t2 = time.monotonic()
    if not image.save(out, "png"):
        raise SystemExit("qgis_render: cannot write %s" % out)
    t3 = time.monotonic()
    errors = job.errors()
    if errors:
        for e in errors:
            sys.stderr.write("qgis_render: layer %s: %s\n" % (e.layerID, e.message))
        return 1
    print("qgis: %d ms render, %d ms encode, %d ms setup" %
          ((t2 - t1) * 1000, (t3 - t2) * 1000, (t1 - t0) * 1000))
    sys.stdout.flush()
    # QGIS 3.22 crashes (SIGSEGV) tearing its providers down at interpreter exit; the image is
    # written by now, so leave without that teardown (the time saved is a few ms).
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
