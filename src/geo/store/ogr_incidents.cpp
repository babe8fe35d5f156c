#include "geo/store/ogr_incidents.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/store/ogr_convert.hpp"

namespace limes::geo {
namespace {

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

OgrIncidentTable::OgrIncidentTable(std::string path, std::shared_ptr<GDALDataset> ds,
                                   OGRLayer* layer)
    : path_(std::move(path)), ds_(std::move(ds)), layer_(layer) {
    if (!layer_) return;
    OGRFeatureDefn* defn = layer_->GetLayerDefn();
    for (const auto& c : core::incident_columns())
        index_.push_back(defn->GetFieldIndex(std::string(c.name).c_str()));
}

void OgrIncidentTable::decode(const OGRFeature& f, core::Incident& inc) const {
    inc = core::Incident{};
    inc.fid = f.GetFID();
    if (const OGRGeometry* g = f.GetGeometryRef();
        g && wkbFlatten(g->getGeometryType()) == wkbPoint && !g->IsEmpty()) {
        inc.lon = g->toPoint()->getX();
        inc.lat = g->toPoint()->getY();
    }
    const auto& columns = core::incident_columns();
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int k = index_[i];
        if (k < 0 || !f.IsFieldSetAndNotNull(k)) continue;
        const auto& c = columns[i];
        switch (c.type) {
            case core::ColumnType::Text: inc.*c.text = f.GetFieldAsString(k); break;
            case core::ColumnType::Integer: inc.*c.integer = f.GetFieldAsInteger64(k); break;
            case core::ColumnType::Date:
                inc.event_date = field_date(f, k).value_or(core::Date{});
                break;
        }
    }
}

/** A pass over the layer, holding the table's lock while it lives. Every column is read
 *  (OGR decodes whole features anyway); the filter and the fid list are applied here. */
class OgrCursor : public IncidentCursor {
  public:
    OgrCursor(OgrIncidentTable& t, const IncidentQuery& q) : t_(t), lock_(t.mutex_), q_(q) {
        if (t_.layer_) t_.layer_->ResetReading();
    }
    bool next(core::Incident& out) override {
        if (!t_.layer_) return false;
        const core::Filter* filter = q_.filter && !q_.filter->is_empty() ? q_.filter : nullptr;
        while (OGRFeatureUniquePtr f{t_.layer_->GetNextFeature()}) {
            if (q_.fids && !std::binary_search(q_.fids->begin(), q_.fids->end(), f->GetFID()))
                continue;
            t_.decode(*f, out);
            if (filter && !filter->accepts(out)) continue;
            return true;
        }
        return false;
    }

  private:
    OgrIncidentTable& t_;
    std::lock_guard<std::recursive_mutex> lock_;
    IncidentQuery q_;
};

std::size_t OgrIncidentTable::count_hint() {
    if (!layer_) return 0;
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    return static_cast<std::size_t>(std::max<GIntBig>(0, layer_->GetFeatureCount(FALSE)));
}

std::unique_ptr<IncidentCursor> OgrIncidentTable::query(const IncidentQuery& q) {
    return std::make_unique<OgrCursor>(*this, q);
}

std::unique_ptr<IncidentReads> OgrIncidentTable::snapshot() {
    // A file GDAL reads is not changed under it by limes (it writes only GeoPackages): the
    // table itself is its snapshot.
    struct Same : IncidentReads {
        explicit Same(OgrIncidentTable& t) : t(t) {}
        std::unique_ptr<IncidentCursor> query(const IncidentQuery& q) override {
            return t.query(q);
        }
        std::size_t count_hint() override { return t.count_hint(); }
        OgrIncidentTable& t;
    };
    return std::make_unique<Same>(*this);
}

std::optional<core::Incident> OgrIncidentTable::read(std::int64_t fid) {
    if (!layer_) return std::nullopt;
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    // One feature by id: the drivers GDAL reads whole (GeoJSON) answer from memory, the
    // others seek; never a pass over the file per row looked at.
    OGRFeatureUniquePtr f{layer_->GetFeature(fid)};
    if (!f) return std::nullopt;
    core::Incident inc;
    decode(*f, inc);
    return inc;
}

std::vector<std::int64_t> OgrIncidentTable::find(std::string_view column, const std::string& text,
                                                 TextMatch match) {
    const int i = core::incident_column_index(column);
    if (i < 0 ||
        core::incident_columns()[static_cast<std::size_t>(i)].type != core::ColumnType::Text)
        throw core::UsageError("'" + std::string(column) +
                               "' is not a text column of the incidents");
    const auto member = core::incident_columns()[static_cast<std::size_t>(i)].text;
    const std::string needle = core::to_lower(text);
    std::vector<std::int64_t> out;
    core::Incident inc;
    for (auto rows = query({}); rows->next(inc);) {
        const std::string& value = inc.*member;
        if (match == TextMatch::Equals ? value == text
                                       : core::to_lower(value).find(needle) != std::string::npos)
            out.push_back(inc.fid);
    }
    std::sort(out.begin(), out.end());
    return out;
}

unsigned OgrIncidentTable::scan_parts(
    const IncidentQuery& q, unsigned,
    const std::function<void(unsigned, const core::Incident&)>& visit,
    const std::function<void()>&) {
    std::size_t n = 0;
    for_each(q, [&](const core::Incident& inc) {
        visit(0, inc);
        ++n;
    });
    return n > 0 ? 1 : 0;
}

std::unique_ptr<IncidentWriter> OgrIncidentTable::write() {
    const char* driver =
        ds_ && ds_->GetDriver() ? ds_->GetDriver()->GetDescription() : "non-GeoPackage";
    throw core::UsageError(path_ + ": a " + std::string(driver) +
                           " source is read-only in limes (it writes GeoPackage workspaces only); "
                           "import it into one to edit it: limes import NEW.gpkg " +
                           path_);
}

}  // namespace

std::unique_ptr<IncidentTable> make_ogr_incidents(std::string path, std::shared_ptr<GDALDataset> ds,
                                                  OGRLayer* layer) {
    return std::make_unique<OgrIncidentTable>(std::move(path), std::move(ds), layer);
}

}  // namespace limes::geo
