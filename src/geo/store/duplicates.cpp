#include "geo/store/duplicates.hpp"

#include <functional>
#include <utility>

namespace limes::geo {

// ---------------------------------------------------------------------------------------------
// [SECTION] StringSet
// ---------------------------------------------------------------------------------------------

StringSet::StringSet(std::size_t expected) {
    std::size_t n = 16;
    while (n < 2 * expected) n *= 2;
    slots_.resize(n);
}

std::size_t StringSet::find(std::string_view s, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    while (slots_[i].used) {
        const Slot& slot = slots_[i];
        if (slot.hash == hash && std::string_view(arena_.data() + slot.offset, slot.length) == s)
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

bool StringSet::contains(std::string_view s) const {
    return slots_[find(s, std::hash<std::string_view>()(s))].used;
}

bool StringSet::insert(std::string_view s) {
    const std::uint64_t hash = std::hash<std::string_view>()(s);
    std::size_t i = find(s, hash);
    if (slots_[i].used) return false;
    if (2 * (count_ + 1) > slots_.size()) {
        grow();
        i = find(s, hash);
    }
    slots_[i] = {hash, arena_.size(), static_cast<std::uint32_t>(s.size()), true};
    arena_.append(s.data(), s.size());
    ++count_;
    return true;
}

void StringSet::grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (!slot.used) continue;
        std::size_t i = slot.hash & mask;
        while (slots_[i].used) i = (i + 1) & mask;
        slots_[i] = slot;
    }
}

// ---------------------------------------------------------------------------------------------
// [SECTION] DuplicateCheck
// ---------------------------------------------------------------------------------------------

DuplicateCheck::DuplicateCheck(std::shared_ptr<const StringSet> stored, std::size_t expected_rows)
    : stored_(std::move(stored)), seen_(expected_rows) {}

std::size_t DuplicateCheck::keep_first(core::Incident* incidents, long* rows, std::size_t n,
                                       const std::string& file,
                                       std::vector<core::Diagnostic>& out) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& id = incidents[i].event_id_cnty;
        if (!id.empty()) {
            const bool in_workspace = stored_ && stored_->contains(id);
            if (in_workspace || !seen_.insert(id)) {
                out.push_back({core::Severity::Skipped,
                               {file, rows[i], "event_id_cnty"},
                               "'" + id + "' is already " +
                                   (in_workspace ? "in the workspace" : "earlier in this file")});
                continue;
            }
        }
        if (kept != i) {
            std::swap(incidents[kept], incidents[i]);
            rows[kept] = rows[i];
        }
        ++kept;
    }
    return kept;
}

std::size_t DuplicateCheck::filter(std::vector<core::Incident>& incidents, std::vector<long>& rows,
                                   const std::string& file, std::vector<core::Diagnostic>& out) {
    const std::size_t kept = keep_first(incidents.data(), rows.data(), incidents.size(), file, out);
    const std::size_t dropped = incidents.size() - kept;
    incidents.resize(kept);
    rows.resize(kept);
    return dropped;
}

}  // namespace limes::geo
