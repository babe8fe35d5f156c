#!/usr/bin/python3
"""Peer of `limes render -o brief.pdf` for bench/briefing_products_bench.sh: the default
briefing's layers in a QGIS print layout (map, title, legend, scale bar, north arrow) exported
to PDF by QgsLayoutExporter, as QGIS users make a briefing PDF.

    qgis_layout_pdf.py WORKSPACE.gpkg OUT.pdf WIDTH_MM HEIGHT_MM MINX MINY MAXX MAXY

The map item fills the page; the layers are the workspace's countries, lakes, rivers,
provinces, claims, places and incidents with QGIS's simple styles (incidents by event type as
in qgis_render.py), in limes' default CRS, the extent MINX..MAXY (metres). Prints
"qgis: PDF in T ms".
"""
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication, QgsCoordinateReferenceSystem, QgsFillSymbol, QgsLayout, QgsLayoutExporter, QgsLayoutItemLabel,
    QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutItemScaleBar, QgsLayoutPoint, QgsLayoutSize,
    QgsProject, QgsPrintLayout, QgsRectangle, QgsUnitTypes)
from qgis.PyQt.QtGui import QFont  # noqa: E402

from peer_map import LCC  # noqa: E402
from qgis_render import layer, style_countries, style_incidents  # noqa: E402


def main(argv):
    if len(argv) != 9:
        sys.stderr.write(__doc__)
        return 2
    ws, out = argv[1], argv[2]
    w_mm, h_mm = float(argv[3]), float(argv[4])
    minx, miny, maxx, maxy = (float(v) for v in argv[5:9])
    t0 = time.monotonic()
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    project.setCrs(QgsCoordinateReferenceSystem.fromProj(LCC))
    names = ["incidents", "places", "claims", "provinces", "rivers", "lakes", "countries"]
    layers = [layer(ws, n) for n in names]
    style_countries(layers[-1])
    style_incidents(layers[0])
    # Outlines for provinces and translucent claims, as limes draws them (QGIS's random
    # default fills would hide the countries).
    layers[3].renderer().setSymbol(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "#b0b0b0", "outline_width": "0.3"}))
    layers[2].renderer().setSymbol(QgsFillSymbol.createSimple(
        {"color": "46,139,87,90", "outline_color": "#2e8b57", "outline_width": "0.5"}))
    for lyr in reversed(layers):
        project.addMapLayer(lyr)
    lay = QgsPrintLayout(project)
    lay.initializeDefaults()
    page = lay.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(w_mm, h_mm, QgsUnitTypes.LayoutMillimeters))
    m = QgsLayoutItemMap(lay)
    m.attemptMove(QgsLayoutPoint(0, 0, QgsUnitTypes.LayoutMillimeters))
    m.attemptResize(QgsLayoutSize(w_mm, h_mm, QgsUnitTypes.LayoutMillimeters))
    m.setCrs(QgsCoordinateReferenceSystem.fromProj(LCC))
    m.setLayers(layers)
    m.setExtent(QgsRectangle(minx, miny, maxx, maxy))
    lay.addLayoutItem(m)
    title = QgsLayoutItemLabel(lay)
    title.setText("Reported incidents")
    title.setFont(QFont("Noto Sans", 20))
    title.adjustSizeToText()
    title.attemptMove(QgsLayoutPoint(5, 5, QgsUnitTypes.LayoutMillimeters))
    lay.addLayoutItem(title)
    legend = QgsLayoutItemLegend(lay)
    legend.setLinkedMap(m)
    legend.attemptMove(QgsLayoutPoint(5, h_mm * 0.45, QgsUnitTypes.LayoutMillimeters))
    lay.addLayoutItem(legend)
    bar = QgsLayoutItemScaleBar(lay)
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.applyDefaultSize()
    bar.attemptMove(QgsLayoutPoint(w_mm - 60, h_mm - 15, QgsUnitTypes.LayoutMillimeters))
    lay.addLayoutItem(bar)
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = 150
    settings.appendGeoreference = True
    settings.exportMetadata = True
    result = QgsLayoutExporter(lay).exportToPdf(out, settings)
    if result != QgsLayoutExporter.Success:
        raise SystemExit("qgis_layout_pdf: export failed (%d)" % result)
    print("qgis: PDF in %d ms" % ((time.monotonic() - t0) * 1000))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
