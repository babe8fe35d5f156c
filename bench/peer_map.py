"""What the peer renderers (bench/qgis_render.py, bench/mapnik_render.py) share: the map they
draw in place of `limes render`, and their command line.

    SCRIPT WORKSPACE.gpkg OUT.png WIDTH HEIGHT MINX MINY MAXX MAXY

The map: limes' default CRS (Lambert conformal conic 39/41 N, centred 46E 40N), countries
filled and outlined, every incident an 8 px circle coloured by ACLED event type.
"""
import sys

LCC = "+proj=lcc +lat_0=40 +lon_0=46 +lat_1=39 +lat_2=41 +datum=WGS84 +units=m +no_defs"

# ACLED event type -> marker fill (the hues of limes' legend, approximately).
TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#1f77b4",
    "Riots": "#8c564b",
    "Strategic developments": "#2ca02c",
}


def parse_args(argv, usage):
    """(workspace, out, width, height, (minx, miny, maxx, maxy)); None after printing usage
    when the arguments are not the 8 expected."""
    if len(argv) != 9:
        sys.stderr.write(usage)
        return None
    extent = tuple(float(v) for v in argv[5:9])
    return argv[1], argv[2], int(argv[3]), int(argv[4]), extent
