#pragma once
// Moving a million incidents through limes without holding them all: a two-thread pipeline in
// which one thread reads rows (a CSV for `limes import`, the workspace for `limes export`)
// while the other writes them, chunk by chunk, so that reading and writing do not take their
// times one after the other.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/incident.hpp"

namespace limes::geo {

/** A batch of checked incidents and the lines they came from: the first size of the slots
 *  are filled. Chunks go back and forth between the threads, so the Incidents in the slots
 *  are overwritten rather than made anew (core::IncidentRowMapper::map_into). */
struct IncidentChunk {
    std::vector<core::Incident> incidents;
    std::vector<long> rows;
    std::vector<unsigned char> maybe_duplicate;  ///< DuplicateCheck::screen's flags
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
