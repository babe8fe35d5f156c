#pragma once
// The incidents of a workspace that is not a GeoPackage file (a GeoJSON, a Shapefile, a
// GeoPackage inside a /vsizip/ archive, ...), read through GDAL's OGR API: its layer called
// "incidents", its fields matched to limes' columns by name. Read-only: limes writes only
// GeoPackage workspaces, and write() says so, naming the file and what to do instead.
//
// One GDAL dataset serves every call; GDAL datasets are not shared between threads, so calls
// take turns (a recursive mutex: a cursor holds it while it lives).
#include <memory>
#include <mutex>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geo/store/incident_table.hpp"

namespace limes::geo {

class OgrIncidentTable : public IncidentTable {
  public:
    /** ds: the open source; layer: its incidents layer or null (then there are none). */
    OgrIncidentTable(std::string path, std::shared_ptr<GDALDataset> ds, OGRLayer* layer);

    bool exists() override { return layer_ != nullptr; }
    std::size_t count_hint() override;
    std::unique_ptr<IncidentCursor> query(const IncidentQuery& query) override;
    std::unique_ptr<IncidentReads> snapshot() override;
    std::optional<core::Incident> read(std::int64_t fid) override;
    std::vector<std::int64_t> find(std::string_view column, const std::string& text,
                                   TextMatch match) override;
    unsigned scan_parts(const IncidentQuery& query, unsigned threads,
                        const std::function<void(unsigned, const core::Incident&)>& visit,
                        const std::function<void()>& restart) override;
    std::unique_ptr<IncidentWriter> write() override;

  private:
    friend class OgrCursor;
    void decode(const OGRFeature& f, core::Incident& inc) const;

    std::string path_;
    std::shared_ptr<GDALDataset> ds_;
    OGRLayer* layer_;
    std::vector<int> index_;  // field index of each limes column, -1 when absent
    std::recursive_mutex mutex_;
};

}  // namespace limes::geo
