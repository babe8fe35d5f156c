#include "geo/ops/save_copy.hpp"

#include <map>
#include <unordered_set>
#include <vector>

#include "core/error.hpp"
#include "geo/formats/safe_output.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

std::size_t save_copy(Workspace& source, const core::IncidentStore& store,
                      const std::string& path) {
    // The session's unsaved rows by what they do to the stored ones.
    std::map<std::int64_t, std::size_t> edited;  // fid -> store row (in fid order)
    std::unordered_set<std::int64_t> removed;
    std::vector<core::Incident> added;
    for (const std::uint32_t i : store.unsaved()) {
        const std::int64_t fid = store.fid(i);
        if (store.removed(i)) {
            if (fid > 0) removed.insert(fid);
        } else if (fid > 0) {
            edited[fid] = i;
        } else {
            added.push_back(store.row(i));
        }
    }

    // Written inside a private folder beside path and renamed into place (safe_output.hpp):
    // a failure leaves nothing under path, and no name in the way is followed.
    const StagingDir staging(path);
    const std::string name = file_name_of(path);
    const std::string staged = staging.path(name);
    std::size_t written = 0;
    {
        Workspace copy = Workspace::create(staged);
        copy_basemap(copy, source.gdal(), source.path());
        std::vector<core::Claim> claims = source.read_claims();
        if (!claims.empty()) copy.append_claims(claims);
        // One snapshot of the source (every row as of one moment), written in batches: a
        // million rows never sit in memory twice.
        const std::unique_ptr<IncidentWriter> writer = copy.incidents().write();
        const std::unique_ptr<IncidentReads> rows = source.incidents().snapshot();
        std::vector<core::Incident> batch;
        batch.reserve(4096);
        auto flush = [&] {
            writer->append(batch);
            written += batch.size();
            batch.clear();
        };
        rows->for_each({}, [&](const core::Incident& inc) {
            if (removed.count(inc.fid)) return;
            const auto it = edited.find(inc.fid);
            if (it == edited.end()) {
                batch.push_back(inc);
            } else {
                batch.push_back(store.row(it->second));
                edited.erase(it);
            }
            if (batch.size() == 4096) flush();
        });
        // Rows edited here that someone deleted from the source since the load: the edit is
        // this session's, so the copy keeps it (as a new row, after the stored ones).
        for (const auto& [fid, i] : edited) batch.push_back(store.row(i));
        for (core::Incident& inc : added) batch.push_back(std::move(inc));
        flush();
        writer->commit();
    }
    staging.publish_new(name, path);
    return written;
}

}  // namespace limes::geo
