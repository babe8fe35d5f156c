#pragma once
// Moving a million incidents through limes without holding them all: a two-thread pipeline in
// which one thread reads rows (a CSV for `limes import`, the workspace for `limes export`)
// while the other writes them, chunk by chunk, so that reading and writing do not take their
// times one after the other; and the import's duplicates check by event_id_cnty.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
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
    DuplicateCheck(const std::unordered_set<std::string>& stored, std::size_t expected_rows);
    /** Drops duplicates in place, in order; rows[i] is the line of incidents[i]. Appends one
     *  diagnostic per dropped row to out (file, row, "event_id_cnty"); returns how many. */
    std::size_t filter(std::vector<core::Incident>& incidents, std::vector<long>& rows,
                       const std::string& file, std::vector<core::Diagnostic>& out);
    /** The same on the first n of arrays: kept ones move to the front (swapped, so that the
     *  dropped ones' strings keep their buffers); returns how many are kept. */
    std::size_t keep_first(core::Incident* incidents, long* rows, std::size_t n,
                           const std::string& file, std::vector<core::Diagnostic>& out);

private:
    const std::unordered_set<std::string>& stored_;
    StringSet seen_;
};

/** A batch of checked incidents and the lines they came from: the first size of the slots
 *  are filled. Chunks go back and forth between the threads, so the Incidents in the slots
 *  are overwritten rather than made anew (core::IncidentRowMapper::map_into). */
struct IncidentChunk {
    std::vector<core::Incident> incidents;
    std::vector<long> rows;
    std::size_t size = 0;
};

/** Runs produce on the calling thread and consume on a second one. produce fills chunks and
 *  hands each to the emit function it is given, which passes it on and replaces it by an
 *  empty one (a chunk consume has finished with, slots and all, or a new one); emit returns
 *  false once the consumer has failed, and produce should then return. consume sees the
 *  chunks in order; at most max_queued wait at a time. An exception of either side stops
 *  both and is rethrown here (the consumer's first). */
void run_pipeline(const std::function<void(const std::function<bool(IncidentChunk&)>&)>& produce,
                  const std::function<void(IncidentChunk&)>& consume, std::size_t max_queued = 4);

}  // namespace limes::geo
