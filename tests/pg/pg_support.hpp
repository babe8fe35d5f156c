// The private cluster of the PostGIS tests (tests/pg/pg_cluster.sh, ctest fixture "pg").
#pragma once
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

namespace limes_test {

/** The cluster's URI ("postgresql://limes@/limes_test?host=/tmp/limes-pg.X"); a schema is
 *  added with "&schema=NAME". */
inline std::string cluster_url() {
    std::ifstream in(std::string(LIMES_TEST_PG_STATE) + "/url");
    std::string url;
    std::getline(in, url);
    REQUIRE(!url.empty());
    return url;
}

}  // namespace limes_test
