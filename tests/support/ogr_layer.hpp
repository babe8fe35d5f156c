// A vector file read back with GDAL/OGR directly (not through limes' reader), for tests.
#pragma once
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <catch2/catch.hpp>
#include <string>

namespace limes_test {

/** A vector dataset opened read-only and one of its layers, which must both be there. */
struct OpenLayer {
    GDALDatasetUniquePtr ds;
    OGRLayer* layer = nullptr;
};

inline OpenLayer open_layer(const std::string& path, const std::string& layer_name) {
    GDALAllRegister();
    OpenLayer out;
    out.ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    INFO(path);
    REQUIRE(out.ds);
    out.layer = out.ds->GetLayerByName(layer_name.c_str());
    INFO("layer " << layer_name);
    REQUIRE(out.layer);
    return out;
}

}  // namespace limes_test
