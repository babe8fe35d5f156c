#include "core/error.hpp"

#include "core/diagnostics.hpp"

namespace limes::core {

std::string Location::describe() const {
    std::string out = file.empty() ? std::string() : file;
    if (row >= 0) out += (out.empty() ? "row " : ":") + std::to_string(row);
    if (!out.empty()) out += ": ";
    if (!field.empty()) out += "field '" + field + "': ";
    return out;
}

void Diagnostics::add(Severity severity, Location where, std::string message) {
    ++counts_[static_cast<int>(severity)];
    if (items_.size() < kKept) items_.push_back({severity, std::move(where), std::move(message)});
}

void Diagnostics::append(Diagnostics&& later) {
    std::size_t kept[2] = {0, 0};
    for (Diagnostic& d : later.items_) {
        ++kept[static_cast<int>(d.severity)];
        add(d.severity, std::move(d.where), std::move(d.message));
    }
    for (int s = 0; s < 2; ++s) counts_[s] += later.counts_[s] - kept[s];  // counted only there
    later = Diagnostics();
}

std::size_t Diagnostics::count(Severity severity) const {
    return counts_[static_cast<int>(severity)];
}

void Diagnostics::print(std::ostream& out, std::size_t max_lines) const {
    std::size_t shown = 0;
    for (const auto& d : items_) {
        if (shown == max_lines) break;
        out << (d.severity == Severity::Skipped ? "skipped: " : "repaired: ") << d.where.describe()
            << d.message << '\n';
        ++shown;
    }
    if (size() > shown) out << "... and " << size() - shown << " more\n";
}

}  // namespace limes::core
