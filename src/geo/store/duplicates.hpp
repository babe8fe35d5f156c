#pragma once
// The one duplicates check of limes: an incident whose event_id_cnty is already stored, or
// appeared earlier in the same write, is left out (with a diagnostic; a duplicate is not bad
// data, it counts apart from skipped rows). Every write of new incidents goes through it
// (IncidentWriter::duplicate_check): an import of any format, the window's new incidents.
//
// In bounded memory: every id seen goes into a Bloom filter (12 bits an id: 15 MB for ten
// million), which clears most ids at once. An id it cannot clear (a duplicate, or about one id
// in a hundred by chance) is looked up exactly: in the workspace by the writer, on the thread
// that writes, where every row before it has been written already, and among the rows before
// it in its own batch. Holding the ids themselves cost ~100 bytes an id (a gigabyte at ten
// million).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/incident.hpp"

namespace limes::geo {

/** A set of strings that answers "certainly not in it" or "maybe": a scalable Bloom filter
 *  (parts of doubling capacity, each at ~0.3 % false "maybe" when full), so no count need be
 *  known in advance. */
class IdFilter {
  public:
    explicit IdFilter(std::size_t expected = 0);
    void add(std::string_view id);
    bool may_contain(std::string_view id) const;
    std::size_t bytes() const;

  private:
    struct Part {
        std::vector<std::uint64_t> bits;
        std::size_t capacity = 0, count = 0;
    };
    std::vector<Part> parts_;
};

/** Where an event id is stored now: nowhere, before this write began, or by this write. */
enum class IdPlace { New, InWorkspace, EarlierInWrite };

/** The exact places of ids (one per id, in order), from the workspace as the writer sees it:
 *  called on the thread that writes. */
using IdLookup = std::function<std::vector<IdPlace>(const std::vector<std::string_view>& ids)>;

/** Every event id stored when a check begins, each given to add once. */
using StoredIds = std::function<void(const std::function<void(std::string_view)>& add)>;

/** Keeps the first incident of each event_id_cnty: later ones in the write, and ones whose id
 *  is already in the workspace, are dropped with a diagnostic. Incidents without an id are
 *  always kept. Rows go through screen() (any thread, in order) and then resolve() (the
 *  writing thread, in the same order, each batch after the ones before it were written). */
class DuplicateCheck {
  public:
    DuplicateCheck(const StoredIds& stored, IdLookup lookup, std::size_t expected_rows = 0);

    /** Sets maybe[i] to 1 for each of the n incidents whose id may be a duplicate, to 0 for
     *  the others (certainly new), and remembers every id. */
    void screen(const core::Incident* incidents, std::size_t n, unsigned char* maybe);
    /** Drops the duplicates among the n screened incidents in place, in order (kept ones move
     *  to the front, swapped, so that the dropped ones' strings keep their buffers); rows[i]
     *  is the line of incidents[i]. Appends one diagnostic per dropped row to out (file, row,
     *  "event_id_cnty"); returns how many are kept. */
    std::size_t resolve(core::Incident* incidents, long* rows, const unsigned char* maybe,
                        std::size_t n, const std::string& file, std::vector<core::Diagnostic>& out);
    /** screen() and resolve() of one batch on this thread; returns how many were dropped. */
    std::size_t filter(std::vector<core::Incident>& incidents, std::vector<long>& rows,
                       const std::string& file, std::vector<core::Diagnostic>& out);

  private:
    IdFilter seen_;
    IdLookup lookup_;
};

}  // namespace limes::geo
