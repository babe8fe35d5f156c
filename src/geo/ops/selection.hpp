#pragma once
// Which incidents and claims the shared filters select (--from/--to, --bbox, --region, --type,
// --reported-by ...), for every command that shows or counts them: export, stats, render and
// the window's briefing.
#include <string>
#include <vector>

#include "core/claim.hpp"
#include "core/filter.hpp"
#include "core/incident_mark.hpp"
#include "geo/geometry/region_test.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

/** The --region test of filter.region (inactive when empty); UsageError for an unknown name. */
RegionTest region_test(const Workspace& ws, const std::string& region);

/** Incidents that pass every filter, as marks: only what a map draws (4 of 33 columns; a
 *  million incidents cost 32 bytes each instead of ~2 KB). Read in two fid halves on two
 *  threads when the workspace is large. */
std::vector<core::IncidentMark> select_marks(Workspace& ws, const core::Filter& filter);

/** Incidents that pass every filter, the region included, whole. */
std::vector<core::Incident> select_incidents(Workspace& ws, const core::Filter& filter);

/** Whether a claim's validity [valid_from, valid_to] meets the filter's [from, to]. */
bool claim_in_time(const core::Claim& c, const core::Filter& f);

/** Claims the filter selects: in time, by claimant (--reported-by), touching --bbox and the
 *  region. */
std::vector<core::Claim> select_claims(const Workspace& ws, const core::Filter& filter);

}  // namespace limes::geo
