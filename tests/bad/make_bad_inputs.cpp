// Generates the bad-input cases that are big, binary or need a real GeoPackage/Shapefile to
// damage (tests/bad/README.md), and the small workspace every case imports into:
//   make_bad_inputs GEN_DIR TEST_DATA_DIR
// Deterministic: the "random" bytes come from a fixed-seed generator, so a failing case can be
// reproduced from the same GEN_DIR. Run by ctest as the setup fixture of the "bad:" tests.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo/formats/gdal_util.hpp"
#include "geo/ops/importer.hpp"

namespace {

namespace geo = limes::geo;

std::string g_dir;  // GEN_DIR

std::string out(const std::string& name) {
    return g_dir + "/" + name;
}

void fail(const std::string& what) {
    throw std::runtime_error(what);
}

void mkdirs(const std::string& path) {
    for (std::size_t i = 1; i <= path.size(); ++i)
        if (i == path.size() || path[i] == '/') ::mkdir(path.substr(0, i).c_str(), 0777);
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) fail("cannot write " + path);
}

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) fail("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Fixed-seed bytes (xorshift64): the same garbage every run.
std::string garbage(std::size_t n, std::uint64_t seed) {
    std::string s(n, '\0');
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (auto& c : s) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = static_cast<char>(x >> 56);
    }
    return s;
}

const char* kHeader =
    "event_id_cnty,event_date,event_type,latitude,longitude,reported_by,source,notes\n";
const char* kProps =
    "\"event_id_cnty\":\"SYN-GEN-1\",\"event_date\":\"2022-09-13\","
    "\"event_type\":\"Battles\",\"reported_by\":\"Synthetic Monitor\"";

std::string nested(int depth, const std::string& open, const std::string& inner,
                   const std::string& close) {
    std::string s;
    s.reserve(depth * (open.size() + close.size()) + inner.size());
    for (int i = 0; i < depth; ++i) s += open;
    s += inner;
    for (int i = 0; i < depth; ++i) s += close;
    return s;
}

std::string feature_collection(const std::string& props, const std::string& geometry) {
    return "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{" +
           props + "},\"geometry\":" + geometry + "}]}\n";
}

void make_csv() {
    mkdirs(out("csv"));
    write_file(out("csv/binary_garbage.csv"), garbage(4096, 1));
    write_file(out("csv/nul_byte.csv"),
               std::string(kHeader) +
                   "SYN-GEN-2,2022-09-13,Battles,39.51,46.34,Synthetic Monitor,"
                   "Synthetic Source,Synthetic" +
                   std::string(1, '\0') + "row\n");
    // UTF-16LE with its byte-order mark, as spreadsheets save "Unicode text".
    const std::string text = std::string(kHeader) +
                             "SYN-GEN-3,2022-09-13,Battles,39.51,46.34,Synthetic Monitor,"
                             "Synthetic Source,Synthetic test row\n";
    std::string utf16 = "\xFF\xFE";
    for (char c : text) utf16 += std::string{c, '\0'};
    write_file(out("csv/utf16le.csv"), utf16);
    // One 50 MiB notes field.
    write_file(out("csv/notes_50mb.csv"),
               std::string(kHeader) +
                   "SYN-GEN-4,2022-09-13,Battles,39.51,46.34,Synthetic Monitor,"
                   "Synthetic Source,\"" +
                   std::string(50u << 20, 'x') + "\"\n");
    // 100,000 columns beyond the ones limes keeps, and one valid row.
    std::string header = "event_id_cnty,event_date,event_type,latitude,longitude";
    std::string row = "SYN-GEN-5,2022-09-13,Battles,39.51,46.34";
    for (int i = 0; i < 100000; ++i) {
        header += ",extra_" + std::to_string(i);
        row += ",";
    }
    write_file(out("csv/columns_100k.csv"), header + "\n" + row + "\n");
}

void make_geojson() {
    mkdirs(out("geojson"));
    mkdirs(out("claims"));
    const std::string point = "{\"type\":\"Point\",\"coordinates\":[46.34,39.51]}";
    write_file(out("geojson/nested_10000_geometry.geojson"),
               feature_collection(kProps, "{\"type\":\"Point\",\"coordinates\":" +
                                              nested(10000, "[", "46.34,39.51", "]") + "}"));
    write_file(out("geojson/nested_10000_property.geojson"),
               feature_collection(
                   std::string(kProps) + ",\"notes\":" + nested(10000, "[", "1", "]"), point));
    write_file(
        out("geojson/nested_10000_objects.geojson"),
        feature_collection(std::string(kProps) + ",\"notes\":" + nested(10000, "{\"a\":", "1", "}"),
                           point));
    write_file(
        out("geojson/notes_50mb.geojson"),
        feature_collection(
            std::string(kProps) + ",\"notes\":\"" + std::string(50u << 20, 'x') + "\"", point));
    write_file(out("geojson/binary_garbage.geojson"), garbage(4096, 2));
    write_file(out("geojson/nul_byte.geojson"),
               feature_collection(
                   std::string(kProps) + ",\"notes\":\"Synthetic" + std::string(1, '\0') + "row\"",
                   point));
    write_file(
        out("claims/nested_10000_coordinates.geojson"),
        feature_collection(
            "\"claimant\":\"Synthetic Ministry\"",
            "{\"type\":\"Polygon\",\"coordinates\":" +
                nested(10000, "[", "[45.6,39.8],[45.9,39.8],[45.9,40.0],[45.6,39.8]", "]") + "}"));
}

// A GeoPackage with an incidents layer of n valid points (notes long enough that the table
// spans many pages), or with none at all.
void write_gpkg(const std::string& path, int n, double lat = 39.51) {
    std::remove(path.c_str());
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) fail("GDAL has no GPKG driver");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) fail("cannot create " + path);
    if (n == 0) return;
    OGRSpatialReference srs = geo::wgs84();
    OGRLayer* layer = ds->CreateLayer("incidents", &srs, wkbPoint, nullptr);
    if (!layer) fail("cannot create a layer in " + path);
    for (const char* name : {"event_id_cnty", "event_date", "event_type", "reported_by", "notes"}) {
        OGRFieldDefn def(name, OFTString);
        layer->CreateField(&def);
    }
    if (layer->StartTransaction() != OGRERR_NONE) fail("cannot write " + path);
    for (int i = 1; i <= n; ++i) {
        OGRFeature f(layer->GetLayerDefn());
        char id[32];
        std::snprintf(id, sizeof id, "SYN-GP-%04d", i);
        f.SetField("event_id_cnty", id);
        f.SetField("event_date", "2022-09-13");
        f.SetField("event_type", "Battles");
        f.SetField("reported_by", "Synthetic Monitor");
        f.SetField("notes",
                   (std::string("Synthetic test row ") + id + " " + std::string(300, 'n')).c_str());
        OGRPoint pt(46.0 + i * 1e-3, lat);
        f.SetGeometry(&pt);
        if (layer->CreateFeature(&f) != OGRERR_NONE) fail("cannot write " + path);
    }
    if (layer->CommitTransaction() != OGRERR_NONE) fail("cannot write " + path);
}

void sql(const std::string& path, const std::string& statement) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) fail("sqlite cannot open " + path);
    char* msg = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &msg);
    const std::string why = msg ? msg : "";
    sqlite3_free(msg);
    sqlite3_close(db);
    if (rc != SQLITE_OK) fail("sqlite on " + path + ": " + why);
}

void make_gpkg() {
    mkdirs(out("gpkg"));
    const std::string valid = out("gpkg/.valid.gpkg");
    write_gpkg(valid, 400);
    const std::string bytes = read_file(valid);
    const std::size_t page = 4096;  // GDAL's GeoPackages use SQLite's default page size
    if (bytes.size() < 20 * page) fail("the valid GeoPackage is smaller than expected");

    // A leaf page of the incidents table, found by a row's text, overwritten with garbage:
    // the first rows read, then SQLite reports a malformed database part-way through.
    std::string corrupt = bytes;
    const std::size_t at = corrupt.find("SYN-GP-0300");
    if (at == std::string::npos) fail("row SYN-GP-0300 not found in the GeoPackage");
    const std::size_t start = at / page * page;
    corrupt.replace(start, page, garbage(page, 3));
    write_file(out("gpkg/corrupt_page.gpkg"), corrupt);

    // The schema page (page 1 after the 100-byte header) damaged.
    std::string schema = bytes;
    schema.replace(100, page - 100, garbage(page - 100, 4));
    write_file(out("gpkg/corrupt_schema_page.gpkg"), schema);

    std::string header = bytes;
    std::memset(&header[0], 0, 100);
    write_file(out("gpkg/zeroed_header.gpkg"), header);
    write_file(out("gpkg/truncated.gpkg"), bytes.substr(0, bytes.size() / 2));
    write_file(out("gpkg/random_bytes.gpkg"), garbage(64 * 1024, 5));
    write_file(out("gpkg/empty.gpkg"), "");
    write_gpkg(out("gpkg/no_layers.gpkg"), 0);
    write_gpkg(out("gpkg/latitude_91.gpkg"), 3, 91.5);

    // Geometry blobs that are not GeoPackage geometry. The R-tree triggers call GDAL's SQL
    // functions, which plain SQLite does not have: drop them first.
    const std::string blobs = out("gpkg/bad_geometry_blobs.gpkg");
    write_gpkg(blobs, 3);
    sqlite3* db = nullptr;
    std::vector<std::string> triggers;
    if (sqlite3_open(blobs.c_str(), &db) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'", -1, &st,
                           nullptr);
        while (st && sqlite3_step(st) == SQLITE_ROW)
            triggers.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    std::string drop;
    for (const auto& t : triggers) drop += "DROP TRIGGER \"" + t + "\";";
    sql(blobs, drop + "UPDATE incidents SET geom = X'4750000100000000DEADBEEFDEADBEEF';");
    std::remove(valid.c_str());
}

// A Shapefile of 3 incident points in dir/incidents.shp (+ .shx, .dbf, .prj).
void write_shapefile(const std::string& dir, double lat = 39.51) {
    mkdirs(dir);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    if (!driver) fail("GDAL has no Shapefile driver");
    const std::string path = dir + "/incidents.shp";
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg"})
        std::remove((dir + "/incidents" + ext).c_str());
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) fail("cannot create " + path);
    OGRSpatialReference srs = geo::wgs84();
    OGRLayer* layer = ds->CreateLayer("incidents", &srs, wkbPoint, nullptr);
    if (!layer) fail("cannot create " + path);
    for (const char* name : {"event_date", "event_type", "reported_by"}) {
        OGRFieldDefn def(name, OFTString);
        def.SetWidth(40);
        layer->CreateField(&def);
    }
    for (int i = 0; i < 3; ++i) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("event_date", "2022-09-13");
        f.SetField("event_type", "Battles");
        f.SetField("reported_by", "Synthetic Monitor");
        OGRPoint pt(46.3 + i * 0.01, lat);
        f.SetGeometry(&pt);
        if (layer->CreateFeature(&f) != OGRERR_NONE) fail("cannot write " + path);
    }
}

void make_shapefiles() {
    const std::string shp = out("shp");
    write_shapefile(shp + "/missing_dbf");
    std::remove((shp + "/missing_dbf/incidents.dbf").c_str());
    write_shapefile(shp + "/missing_shx");
    std::remove((shp + "/missing_shx/incidents.shx").c_str());
    write_shapefile(shp + "/truncated_shp");
    write_file(shp + "/truncated_shp/incidents.shp",
               read_file(shp + "/truncated_shp/incidents.shp").substr(0, 110));
    write_shapefile(shp + "/garbage_shp");
    write_file(shp + "/garbage_shp/incidents.shp", garbage(2048, 6));
    // A .dbf header claiming two billion records.
    write_shapefile(shp + "/corrupt_dbf");
    std::string dbf = read_file(shp + "/corrupt_dbf/incidents.dbf");
    dbf[4] = '\xFF', dbf[5] = '\xFF', dbf[6] = '\xFF', dbf[7] = '\x7F';
    write_file(shp + "/corrupt_dbf/incidents.dbf", dbf);
    write_shapefile(shp + "/only_dbf");
    std::remove((shp + "/only_dbf/incidents.shp").c_str());
    std::remove((shp + "/only_dbf/incidents.shx").c_str());
    write_shapefile(shp + "/garbage_prj");
    write_file(shp + "/garbage_prj/incidents.prj", "GEOGCS[\"broken\",DATUM[");
    write_shapefile(shp + "/latitude_91", 91.25);
}

void make_other() {
    mkdirs(out("other/a_directory"));
    write_file(out("other/garbage.fgb"), std::string("fgb\x03"
                                                     "fgb",
                                                     7) +
                                             std::string(1, '\0') + garbage(4096, 7));
    write_file(out("other/garbage.zip"), std::string("PK\x03\x04", 4) + garbage(4096, 8));
    write_file(out("other/garbage.shp.zip"), std::string("PK\x03\x04", 4) + garbage(4096, 9));
    write_file(out("other/garbage.kml"), "<?xml version=\"1.0\"?>" + garbage(2048, 10));
    // A FIFO with no writer: reading it would block for ever.
    const std::string fifo = out("other/no_writer.csv");
    std::remove(fifo.c_str());
    if (::mkfifo(fifo.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + fifo);
}

// The workspace every case imports into: 8 incidents and 2 claims of tests/data.
void make_base(const std::string& data) {
    const std::string base = out("base.gpkg");
    std::remove(base.c_str());
    geo::import_file(base, data + "/acled_2023.csv", {});
    geo::import_file(base, data + "/claims.geojson", {});
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: make_bad_inputs GEN_DIR TEST_DATA_DIR\n";
        return 2;
    }
    g_dir = argv[1];
    try {
        mkdirs(g_dir);
        geo::ensure_gdal();
        make_base(argv[2]);
        make_csv();
        make_geojson();
        make_gpkg();
        make_shapefiles();
        make_other();
    } catch (const std::exception& e) {
        std::cerr << "make_bad_inputs: " << e.what() << '\n';
        return 1;
    }
    std::cout << "bad inputs in " << g_dir << '\n';
    return 0;
}
