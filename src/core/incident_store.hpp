#pragma once
// The incidents of an open workspace held as columns, for a window that shows a million of
// them: a 32-byte mark per incident (what the map and the time filter need), the fid, and
// small ids into string pools for the text columns that filters, the table and sorting use
// (reporter, status, actors, location, source: few distinct values, so 1 or 2 bytes a row
// each, core::IdColumn).
// Everything else of a row (notes, ids, admin names, ...) stays in the workspace and is
// read when someone looks at that one incident. 47-53 bytes a row (as the pools' sizes need)
// instead of ~2 KB.
//
// Rows are never erased: a removal only flags the row, so indices stay valid for undo, for
// the positions the app keeps beside the marks, and for the selection.
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/columns.hpp"
#include "core/id_column.hpp"
#include "core/incident.hpp"
#include "core/incident_mark.hpp"

namespace limes::core {

/** Distinct strings, each stored once, by a dense id (0, 1, ...) in order of first sight. */
class StringPool {
  public:
    std::uint32_t intern(const std::string& s);
    const std::string& operator[](std::uint32_t id) const { return values_[id]; }
    std::size_t size() const { return values_.size(); }
    const std::vector<std::string>& values() const { return values_; }

  private:
    std::vector<std::string> values_;
    std::unordered_map<std::string, std::uint32_t> ids_;
};

class IncidentStore {
  public:
    /** The text columns kept in memory (as pool ids). Actor1 and Actor2 share one pool. */
    enum class Text { ReportedBy, Status, Actor1, Actor2, Location, Source };
    static constexpr int kTextColumns = 6;

    /** Reads the stored incident with this fid (from the workspace); throws when it cannot. */
    using Fetch = std::function<Incident(std::int64_t fid)>;

    /** The columns add_stored() keeps (what a load needs to read): the mark's and the text
     *  columns above. */
    static IncidentColumns columns();

    IncidentStore() = default;
    explicit IncidentStore(Fetch fetch) : fetch_(std::move(fetch)) {}
    /** How row() reads a stored row (a store loaded on another thread gets it afterwards). */
    void set_fetch(Fetch fetch) { fetch_ = std::move(fetch); }

    /** Room for n rows (a load that knows the count). */
    void reserve(std::size_t n);
    /** Appends a row read from the workspace (inc.fid > 0); only its columns are kept. */
    void add_stored(const Incident& inc);
    /** Appends every row of other, a store of stored rows only (add_stored: a part of a
     *  load), after this one's rows, in order; its text ids are mapped into this store's
     *  pools. other is left empty, each of its columns freed as soon as it is copied (a
     *  load's second half costs one column more, not a second copy). */
    void append_stored(IncidentStore&& other);
    /** Appends a row made in this session (not stored yet); its full value is kept. */
    std::size_t add_new(Incident inc);
    /** Replaces row i's value (an edit); the full value is kept until saved. */
    void set(std::size_t i, Incident inc);
    /** Flags row i removed or brings it back; a removed row keeps its full value in memory
     *  (its stored copy goes at the next save, and undo may bring it back after that). */
    void set_removed(std::size_t i, bool removed);

    std::size_t size() const { return marks_.size(); }  ///< rows, removed ones included
    std::size_t live() const { return marks_.size() - removed_count_; }
    bool removed(std::size_t i) const { return removed_[i] != 0; }
    const std::vector<IncidentMark>& marks() const { return marks_; }
    std::int64_t fid(std::size_t i) const { return fids_[i]; }

    std::uint32_t text_id(Text column, std::size_t i) const;
    const std::string& text(Text column, std::size_t i) const {
        return pool(column)[text_id(column, i)];
    }
    const StringPool& pool(Text column) const;

    /** The whole row: the value edited here, else the stored one (cached: a tooltip asks
     *  every frame). Throws what the fetch throws. */
    const Incident& row(std::size_t i) const;
    /** The edited value of row i, or null when the row is as stored. */
    const Incident* edited(std::size_t i) const;

    /** Rows added, changed or removed since the last mark_saved(), ascending. */
    std::vector<std::uint32_t> unsaved() const;
    /** After a save: row i is now stored under fid (0 for a removed row, gone from the
     *  workspace). A live row's full value is dropped and read back when needed. */
    void mark_saved(std::size_t i, std::int64_t fid);

    /** Rows whose mark changed since the last call (added or edited): the app reprojects
     *  just those. */
    std::vector<std::uint32_t> take_moved();

    /** Approximate bytes held, for the benchmark's memory figure. */
    std::size_t bytes() const;

  private:
    StringPool& pool_for(Text column);
    void put_columns(std::size_t i, const Incident& inc);

    Fetch fetch_;
    std::vector<IncidentMark> marks_;
    std::vector<std::int64_t> fids_;  // 0: not stored
    IdColumn text_[kTextColumns];  // pool ids, 1, 2 or 4 bytes a row (core/id_column.hpp)
    std::vector<std::uint8_t> removed_;
    std::size_t removed_count_ = 0;
    StringPool reporters_, statuses_, actors_, locations_, sources_;
    std::unordered_map<std::uint32_t, Incident> edited_;  // full values of rows edited here
    std::unordered_set<std::uint32_t> unsaved_;
    std::vector<std::uint32_t> moved_;
    // Two most recently read stored rows (index, value): the hovered and the selected one.
    mutable std::vector<std::pair<std::uint32_t, Incident>> cache_;
};

}  // namespace limes::core
