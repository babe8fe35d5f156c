#include "geo/store/incident_table.hpp"

namespace limes::geo {

void IncidentReads::for_each(const IncidentQuery& query,
                             const std::function<void(const core::Incident&)>& visit) {
    core::Incident inc;  // one for every row: its strings keep their buffers
    for (auto rows = this->query(query); rows->next(inc);) visit(inc);
}

std::vector<core::Incident> IncidentReads::read_all(const IncidentQuery& query) {
    std::vector<core::Incident> out;
    out.reserve(count_hint());
    auto rows = this->query(query);
    while (rows->next(out.emplace_back())) {
    }
    out.pop_back();  // the one next() found no row for
    return out;
}

}  // namespace limes::geo
