// A small synthetic basemap for map tests (every name and shape is made up, not real places):
// two countries side by side, one with a hole (A with Armenian- and Azerbaijani-script names), four
// provinces, a historical line of each kind, a region, 64 places on a jittered grid with Armenian
// and Azerbaijani-script names, and two claims that share one name. Coordinates are WGS84 lon/lat
// around 44-48 E, 39-41 N, where limes' default map CRS is centred.
#pragma once
#include <string>
#include <vector>

#include "core/basemap.hpp"

namespace limes_test {

inline limes::core::Ring box_ring(double w, double s, double e, double n) {
    return {{w, s}, {e, s}, {e, n}, {w, n}, {w, s}};
}

inline limes::core::Basemap synthetic_basemap() {
    using namespace limes::core;
    Basemap b;
    BasemapLayer countries{"countries", {}};
    BasemapFeature a;
    a.fid = 1;
    a.name = "Synthetic A";
    a.key = "SYA";
    a.name_hy = "Սինթետիկ Ա";
    a.name_az = "Süni A";
    a.polygons = {
        {box_ring(44.0, 39.0, 46.0, 41.0), box_ring(44.5, 39.5, 44.8, 39.8)}};  // with a hole
    BasemapFeature bb;
    bb.fid = 2;
    bb.name = "Synthetic B";
    bb.key = "SYB";
    bb.polygons = {{box_ring(46.0, 39.0, 48.0, 41.0)}};
    countries.features = {a, bb};
    b.layers.push_back(countries);

    BasemapLayer provinces{"provinces", {}};
    for (int i = 0; i < 4; ++i) {
        BasemapFeature p;
        p.fid = i + 1;
        p.name = "Synthetic province " + std::to_string(i + 1);
        p.key = p.name;
        p.polygons = {{box_ring(44.0 + i, 39.0, 45.0 + i, 41.0)}};
        provinces.features.push_back(p);
    }
    b.layers.push_back(provinces);

    BasemapLayer lines{"historical_lines", {}};
    BasemapFeature oblast;
    oblast.fid = 1;
    oblast.kind = "former_oblast_1991";
    oblast.lines = {{{46.2, 39.4}, {46.6, 39.6}, {46.9, 40.1}}};
    BasemapFeature ceasefire;
    ceasefire.fid = 2;
    ceasefire.kind = "ceasefire_line_1994";
    ceasefire.lines = {{{46.0, 39.2}, {46.4, 40.0}, {46.3, 40.6}}};
    lines.features = {oblast, ceasefire};
    b.layers.push_back(lines);

    BasemapLayer regions{"regions", {}};
    BasemapFeature region;
    region.fid = 1;
    region.name = "Synthetic region";
    region.kind = "synthetic_region";  // not the 1991 oblast: the oblast lines stay drawn
    region.polygons = {{box_ring(46.3, 39.5, 47.0, 40.3)}};
    regions.features = {region};
    b.layers.push_back(regions);

    // Armenian and Azerbaijani letters, so that the labels of every language have glyphs to show.
    const char* hy[] = {"Սինթետիկ", "Գյուղ", "Քաղաք", "Ավան"};
    const char* az[] = {"Süni", "Kənd", "Şəhər", "Qəsəbə"};
    BasemapLayer places{"places", {}};
    for (int i = 0; i < 64; ++i) {
        BasemapFeature p;
        p.fid = i + 1;
        const double jitter = ((i * 37) % 11) / 100.0;
        p.point = LonLat{44.1 + (i % 8) * 0.49 + jitter, 39.1 + (i / 8) * 0.23 + jitter / 2};
        p.kind = i == 27 ? "capital" : i % 5 == 0 ? "city" : i % 3 == 0 ? "town" : "village";
        p.name = i == 27 ? "Synthetic capital" : "Synthetic place " + std::to_string(i);
        p.name_hy = std::string(hy[i % 4]) + " " + std::to_string(i);
        p.name_az = std::string(az[i % 4]) + " " + std::to_string(i);
        places.features.push_back(p);
    }
    b.layers.push_back(places);

    for (int i = 0; i < 2; ++i) {
        Claim c;
        c.fid = i + 1;
        c.claim_id = "SYN-CLM-" + std::to_string(i + 1);
        c.name = "Synthetic claim";  // the same name twice: they must stay apart by fid
        c.kind = "controlled";
        c.claimant = "Synthetic claimant";
        c.holder = i == 0 ? "SYB" : "SYA";
        c.sovereign = i == 0 ? "SYA" : "SYB";
        c.area = {{i == 0 ? box_ring(45.2, 40.2, 45.6, 40.6) : box_ring(47.2, 39.3, 47.6, 39.7)}};
        b.claims.push_back(c);
    }
    return b;
}

}  // namespace limes_test
