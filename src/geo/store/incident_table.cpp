#include "geo/store/incident_table.hpp"

namespace limes::geo {

namespace {

std::string stale_message(const std::string& workspace, const core::Incident& mine,
                          const std::optional<core::Incident>& theirs) {
    std::string m = workspace + ": incident " + std::to_string(mine.fid);
    if (!mine.event_id_cnty.empty()) m += " (" + mine.event_id_cnty + ")";
    if (!theirs)
        return m + " was deleted by someone else since it was read: not saved";
    m += " was changed by someone else since it was read (version " +
         std::to_string(mine.version) + " read, " + std::to_string(theirs->version) +
         " stored): not saved";
    std::string cols;
    for (auto c : core::differing_columns(mine, *theirs))
        cols += (cols.empty() ? "" : ", ") + std::string(c) + " '" + core::column_text(*theirs, c) +
                "' there, '" + core::column_text(mine, c) + "' here";
    return m + (cols.empty() ? "" : "; " + cols);
}

}  // namespace

std::string require_text_column(std::string_view column) {
    const int i = core::incident_column_index(column);
    if (i < 0 ||
        core::incident_columns()[static_cast<std::size_t>(i)].type != core::ColumnType::Text)
        throw core::UsageError("'" + std::string(column) +
                               "' is not a text column of the incidents");
    return std::string(column);
}

StaleRowError::StaleRowError(const std::string& workspace, core::Incident mine,
                             std::optional<core::Incident> theirs)
    : core::Error(core::ErrorKind::Data, stale_message(workspace, mine, theirs)),
      mine_(std::move(mine)),
      theirs_(std::move(theirs)) {}

void IncidentReads::for_each(const IncidentQuery& query,
                             const std::function<void(const core::Incident&)>& visit) {
    core::Incident inc;  // one for every row: its strings keep their buffers
    for (auto rows = this->query(query); rows->next(inc);) visit(inc);
}

std::vector<core::Incident> IncidentReads::read_all(const IncidentQuery& query) {
    std::vector<core::Incident> out;
    out.reserve(count_hint() + 1);  // + the one next() finds no row for: no regrowth at the end
    auto rows = this->query(query);
    while (rows->next(out.emplace_back())) {
    }
    out.pop_back();  // the one next() found no row for
    return out;
}

}  // namespace limes::geo
