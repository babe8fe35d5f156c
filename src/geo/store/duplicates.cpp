#include "geo/store/duplicates.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace limes::geo {

// ---------------------------------------------------------------------------------------------
// [SECTION] IdFilter
// ---------------------------------------------------------------------------------------------

namespace {

constexpr std::size_t kBitsPerId = 12;  // with 8 probes: 0.31 % false "maybe" at capacity
constexpr int kProbes = 8;
constexpr std::size_t kFirstCapacity = std::size_t{1} << 16;

// splitmix64's finaliser: a second, independent-looking hash from the first.
std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Kirsch-Mitzenmacher: probe i at h1 + i * h2 (h2 odd), modulo the part's bits.
template <typename F>
void probes(std::string_view id, std::size_t bits, F&& f) {
    const std::uint64_t h1 = std::hash<std::string_view>()(id);
    const std::uint64_t h2 = mix(h1) | 1;
    for (int i = 0; i < kProbes; ++i) f((h1 + static_cast<std::uint64_t>(i) * h2) % bits);
}

}  // namespace

IdFilter::IdFilter(std::size_t expected) {
    Part p;
    p.capacity = std::max(expected, kFirstCapacity);
    p.bits.assign((p.capacity * kBitsPerId + 63) / 64, 0);
    parts_.push_back(std::move(p));
}

void IdFilter::add(std::string_view id) {
    if (parts_.back().count == parts_.back().capacity) {
        Part p;
        p.capacity = 2 * parts_.back().capacity;
        p.bits.assign((p.capacity * kBitsPerId + 63) / 64, 0);
        parts_.push_back(std::move(p));
    }
    Part& p = parts_.back();
    probes(id, p.bits.size() * 64, [&](std::uint64_t b) { p.bits[b / 64] |= 1ULL << (b % 64); });
    ++p.count;
}

bool IdFilter::may_contain(std::string_view id) const {
    for (const Part& p : parts_) {
        bool all = true;
        probes(id, p.bits.size() * 64,
               [&](std::uint64_t b) { all = all && (p.bits[b / 64] >> (b % 64) & 1); });
        if (all) return true;
    }
    return false;
}

std::size_t IdFilter::bytes() const {
    std::size_t n = 0;
    for (const Part& p : parts_) n += p.bits.size() * 8;
    return n;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] DuplicateCheck
// ---------------------------------------------------------------------------------------------

DuplicateCheck::DuplicateCheck(const StoredIds& stored, IdLookup lookup,
                               std::size_t expected_rows)
    : seen_(expected_rows), lookup_(std::move(lookup)) {
    stored([&](std::string_view id) { seen_.add(id); });
}

void DuplicateCheck::screen(const core::Incident* incidents, std::size_t n,
                            unsigned char* maybe) {
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& id = incidents[i].event_id_cnty;
        maybe[i] = !id.empty() && seen_.may_contain(id);
        if (!id.empty() && !maybe[i]) seen_.add(id);  // a "maybe" is in the filter already
    }
}

std::size_t DuplicateCheck::resolve(core::Incident* incidents, long* rows,
                                    const unsigned char* maybe, std::size_t n,
                                    const std::string& file, std::vector<core::Diagnostic>& out) {
    std::vector<std::string_view> asked;
    for (std::size_t i = 0; i < n; ++i)
        if (maybe[i]) asked.push_back(incidents[i].event_id_cnty);
    if (asked.empty()) return n;
    const std::vector<IdPlace> places = lookup_(asked);
    // An id the filter could not clear may also repeat one of this batch's earlier rows,
    // which are not written yet: the kept ones' ids, as the batch is walked in order.
    std::unordered_set<std::string_view> kept_ids;
    std::size_t kept = 0, k = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& id = incidents[i].event_id_cnty;
        if (maybe[i]) {
            const IdPlace place = k < places.size() ? places[k] : IdPlace::New;
            ++k;
            const bool in_batch = place == IdPlace::New && kept_ids.count(id) > 0;
            if (place != IdPlace::New || in_batch) {
                out.push_back({core::Severity::Skipped,
                               {file, rows[i], "event_id_cnty"},
                               "'" + id + "' is already " +
                                   (place == IdPlace::InWorkspace ? "in the workspace"
                                                                  : "earlier in this file")});
                continue;
            }
        }
        if (kept != i) {
            std::swap(incidents[kept], incidents[i]);
            rows[kept] = rows[i];
        }
        // The view points into the kept row's string, which stays where it is from now on.
        if (!incidents[kept].event_id_cnty.empty()) kept_ids.insert(incidents[kept].event_id_cnty);
        ++kept;
    }
    return kept;
}

std::size_t DuplicateCheck::filter(std::vector<core::Incident>& incidents, std::vector<long>& rows,
                                   const std::string& file, std::vector<core::Diagnostic>& out) {
    std::vector<unsigned char> maybe(incidents.size());
    screen(incidents.data(), incidents.size(), maybe.data());
    const std::size_t kept =
        resolve(incidents.data(), rows.data(), maybe.data(), incidents.size(), file, out);
    const std::size_t dropped = incidents.size() - kept;
    incidents.resize(kept);
    rows.resize(kept);
    return dropped;
}

}  // namespace limes::geo
