#include "core/columns.hpp"

#include <stdexcept>
#include <string>

namespace limes::core {

IncidentColumns::IncidentColumns(std::initializer_list<std::string_view> names) {
    for (const std::string_view name : names) {
        const int i = incident_column_index(name);
        if (i < 0) throw std::invalid_argument("no incident column '" + std::string(name) + "'");
        bits_.set(static_cast<std::size_t>(i));
    }
}

IncidentColumns IncidentColumns::drawn() {
    static const IncidentColumns kDrawn{"event_date",    "event_type",  "fatalities",
                                        "geo_precision", "reported_by", "status"};
    return kDrawn;
}

bool IncidentColumns::has(std::string_view name) const {
    const int i = incident_column_index(name);
    return i >= 0 && bits_.test(static_cast<std::size_t>(i));
}

}  // namespace limes::core
