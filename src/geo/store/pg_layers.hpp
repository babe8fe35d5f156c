#pragma once
// The basemap layers and claims of a PostgreSQL workspace read on limes' own connection, one
// query a table, as OGR features: the same features GDAL's PostgreSQL driver gives (its
// column names, values and geometry), so the code that turns features into limes' types
// (basemap.cpp, Workspace::read_claims) serves both. Why not GDAL's driver: it spends about
// ninety round trips on a basemap (per table four catalog queries and a cursor's BEGIN,
// DECLARE, FETCH, CLOSE, COMMIT, after a dozen at its connection), 1.25 s of an 8-incident
// render from a server 10 ms away (BENCHMARKS.md, "PostGIS across a network"); this reads it
// in one catalog query and one SELECT a table.
//
// Geometry: the table's first geometry column as ISO WKB (ST_AsBinary), lon/lat as stored
// (EPSG:4326, GIS order), parsed by OGR. Fields: text and varchar as strings, date as OGR
// dates, timestamp(tz) as date-times, integers as Integer64, double precision and real as
// Real; others as their text. The feature id as GDAL's driver picks it (a one-column integer
// primary key, else ogc_fid, else counted from 0); rows in that order (as a GeoPackage reads
// them). A table this role may not read is an IoError naming it and the GRANT it needs, not a
// layer silently left off a map.
#include <ogr_feature.h>

#include <functional>
#include <string>
#include <vector>

#include "geo/store/pg_db.hpp"

namespace limes::geo {

/** Reads tables of db's schema. The constructor asks the catalog once for the columns of
 *  every table named (missing ones are simply absent). */
class PgLayerReader {
  public:
    PgLayerReader(PgConnection& db, const std::vector<std::string>& tables);

    /** Whether the schema has this table (as named to the constructor). */
    bool has(const std::string& table) const;
    /** Calls visit for every row of table as an OGR feature; false (no call) when the schema
     *  has no such table. Throws IoError when the role may not read it, as PgConnection::exec
     *  otherwise, and DataError for a geometry OGR cannot parse. */
    bool read(const std::string& table, const std::function<void(const OGRFeature&)>& visit);

  private:
    struct Column {
        std::string name, type;  ///< type: pg_type.typname ("text", "int4", "geometry", …)
        bool key = false;        ///< the table's one-column primary key
    };
    struct Table {
        std::string name;
        std::vector<Column> columns;
        bool readable = true;  ///< this role has SELECT on it
    };
    PgConnection& db_;
    std::vector<Table> tables_;
};

}  // namespace limes::geo
