#pragma once
// The one duplicates check of limes: an incident whose event_id_cnty is already stored, or
// appeared earlier in the same write, is left out (with a diagnostic; a duplicate is not bad
// data, it counts apart from skipped rows). Every write of new incidents goes through it
// (IncidentWriter::duplicate_check): an import of any format, the window's new incidents.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/incident.hpp"

namespace limes::geo {

/** A set of strings in one arena (open addressing): a million ids cost two allocations, not a
 *  million nodes as in std::unordered_set. */
class StringSet {
  public:
    explicit StringSet(std::size_t expected = 0);
    /** Adds s; false when it was there already. */
    bool insert(std::string_view s);
    bool contains(std::string_view s) const;
    std::size_t size() const { return count_; }

  private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint64_t offset = 0;  // into arena_
        std::uint32_t length = 0;
        bool used = false;
    };
    std::size_t find(std::string_view s, std::uint64_t hash) const;  // slot of s, or a free one
    void grow();

    std::string arena_;
    std::vector<Slot> slots_;
    std::size_t count_ = 0;
};

/** Keeps the first incident of each event_id_cnty: later ones in the file, and ones whose id is
 *  already in the workspace, are dropped with a diagnostic (a duplicate is not bad data: it
 *  counts apart from skipped rows). Incidents without an id are always kept. */
class DuplicateCheck {
  public:
    /** stored: the event ids already in the workspace (shared: it may outlive the writer). */
    DuplicateCheck(std::shared_ptr<const StringSet> stored, std::size_t expected_rows);
    /** Drops duplicates in place, in order; rows[i] is the line of incidents[i]. Appends one
     *  diagnostic per dropped row to out (file, row, "event_id_cnty"); returns how many. */
    std::size_t filter(std::vector<core::Incident>& incidents, std::vector<long>& rows,
                       const std::string& file, std::vector<core::Diagnostic>& out);
    /** The same on the first n of arrays: kept ones move to the front (swapped, so that the
     *  dropped ones' strings keep their buffers); returns how many are kept. */
    std::size_t keep_first(core::Incident* incidents, long* rows, std::size_t n,
                           const std::string& file, std::vector<core::Diagnostic>& out);

  private:
    std::shared_ptr<const StringSet> stored_;
    StringSet seen_;
};

}  // namespace limes::geo
