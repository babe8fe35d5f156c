#!/usr/bin/python3
"""Peer renderer for bench/render_bench.sh: the same map as `limes render`, drawn by Mapnik.

    mapnik_render.py WORKSPACE.gpkg OUT.png WIDTH HEIGHT MINX MINY MAXX MAXY

Draws the workspace's `countries` layer (filled, outlined) and every point of its `incidents`
layer (a circle marker coloured by ACLED event type, 6 rules) into a WIDTHxHEIGHT PNG, in limes'
default CRS (Lambert conformal conic 39/41 N, centred 46E 40N). MINX..MAXY is the extent in that
CRS, in metres: render_bench.sh takes it from the world file limes wrote, so both images show the
same ground. Both layers are read from the GeoPackage through Mapnik's OGR input plugin (Mapnik's
sqlite plugin does not decode GeoPackage geometry blobs).

Run with Debian's /usr/bin/python3 (python3-mapnik is installed for it). Prints one line on
stdout: "mapnik: N ms render+encode, M ms setup".
"""
import sys
import time

import mapnik

from peer_map import LCC, TYPE_COLOURS, parse_args

WGS84 = "+proj=longlat +datum=WGS84 +no_defs"


def map_xml(ws):
    """Mapnik XML: countries filled and outlined, incidents as 8 px circles by event type."""
    esc = ws.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    rules = "".join(
        '<Rule><Filter>[event_type] = \'%s\'</Filter>'
        '<MarkersSymbolizer fill="%s" width="8" height="8" stroke="white" stroke-width="0.5" '
        'allow-overlap="true" ignore-placement="true"/></Rule>' % (t, c)
        for t, c in TYPE_COLOURS.items())
    layers = "".join(
        '<Layer name="%s" srs="%s"><StyleName>%s</StyleName><Datasource>'
        '<Parameter name="type">ogr</Parameter><Parameter name="file">%s</Parameter>'
        '<Parameter name="layer">%s</Parameter></Datasource></Layer>' % (n, WGS84, n, esc, n)
        for n in ("countries", "incidents"))
    return (
        '<Map srs="%s" background-color="#dce6ee">'
        '<Style name="countries"><Rule><PolygonSymbolizer fill="#f4f1ea"/>'
        '<LineSymbolizer stroke="#5a5a5a" stroke-width="1.5"/></Rule></Style>'
        '<Style name="incidents">%s</Style>%s</Map>' % (LCC, rules, layers))


def main(argv):
    args = parse_args(argv, __doc__)
    if args is None:
        return 2
    ws, out, width, height, (minx, miny, maxx, maxy) = args
    t0 = time.monotonic()

    m = mapnik.Map(width, height)
    mapnik.load_map_from_string(m, map_xml(ws))
    m.zoom_to_box(mapnik.Box2d(minx, miny, maxx, maxy))
    t1 = time.monotonic()
    mapnik.render_to_file(m, out, "png")
    t2 = time.monotonic()
    print("mapnik: %d ms render+encode, %d ms setup" % ((t2 - t1) * 1000, (t1 - t0) * 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
