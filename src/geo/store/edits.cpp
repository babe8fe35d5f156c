#include "geo/store/edits.hpp"

#include "core/error.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

core::IncidentStore::Fetch fetch_from(std::shared_ptr<IncidentTable> table, std::string workspace) {
    return [table = std::move(table), workspace = std::move(workspace)](std::int64_t fid) {
        std::optional<core::Incident> inc = table->read(fid);
        if (!inc)
            throw core::IoError(workspace,
                                "incident fid " + std::to_string(fid) + " is no longer stored");
        return std::move(*inc);
    };
}

core::IncidentStore::Fetch fetch_from(const std::shared_ptr<Workspace>& workspace,
                                      std::string name) {
    // Aliasing: the table pointer shares the workspace's ownership.
    return fetch_from(std::shared_ptr<IncidentTable>(workspace, &workspace->incidents()),
                      std::move(name));
}

std::size_t save_edits(IncidentTable& table, core::IncidentStore& store) {
    const std::vector<std::uint32_t> rows = store.unsaved();
    if (rows.empty()) return 0;
    std::vector<core::Incident> added;  // new rows: appended, given fids
    std::vector<std::uint32_t> added_rows;
    {
        const std::unique_ptr<IncidentWriter> writer = table.write();  // rolled back on throw
        for (const std::uint32_t i : rows) {
            const std::int64_t fid = store.fid(i);
            if (store.removed(i)) {
                // With the version it was read at: refused (StaleRowError) when someone
                // else changed it since, as an update is.
                if (fid > 0) writer->remove(fid, store.row(i).version);
            } else if (fid > 0) {
                core::Incident inc = store.row(i);
                inc.fid = fid;
                writer->update(inc);
            } else {
                added.push_back(store.row(i));
                added_rows.push_back(i);
            }
        }
        writer->append(added);
        writer->commit();
    }
    // Only after the commit: a failed save leaves the store's idea of the workspace unchanged.
    for (std::size_t k = 0; k < added.size(); ++k) store.mark_saved(added_rows[k], added[k].fid);
    for (const std::uint32_t i : rows) {
        if (store.removed(i))
            store.mark_saved(i, 0);
        else if (store.fid(i) > 0)
            store.mark_saved(i, store.fid(i));
    }
    return rows.size();
}

}  // namespace limes::geo
