#pragma once
// A sink for per-row and per-feature problems: importers report here and go on, so one bad
// row never aborts an import; the caller decides afterwards (print a report, or --strict).
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace limes::core {

enum class Severity {
    Repaired,  ///< the value was fixed (e.g. an invalid polygon made valid) and kept
    Skipped,   ///< the row or feature was left out
};

struct Diagnostic {
    Severity severity;
    Location where;
    std::string message;
};

/** The first kKept problems are kept whole, the rest only counted: a re-import of ten million
 *  rows reports ten million duplicates, whose messages would take gigabytes. */
class Diagnostics {
  public:
    static constexpr std::size_t kKept = 10000;
    void add(Severity severity, Location where, std::string message);
    /** n more problems of this severity found past the kept ones, counted only. */
    void add_count(Severity severity, std::size_t n) { counts_[static_cast<int>(severity)] += n; }
    /** Adds later's problems after these: its kept ones while there is room, the rest counted. */
    void append(Diagnostics&& later);
    /** The first kKept problems, in the order they were found. */
    const std::vector<Diagnostic>& items() const { return items_; }
    /** All problems of this severity, kept or only counted. */
    std::size_t count(Severity severity) const;
    std::size_t size() const { return counts_[0] + counts_[1]; }
    bool empty() const { return size() == 0; }

    /** Prints one line per problem ("file:row: field 'x': message"), at most max_lines, then
     *  a count of the rest. */
    void print(std::ostream& out, std::size_t max_lines = 50) const;

  private:
    std::vector<Diagnostic> items_;
    std::size_t counts_[2] = {0, 0};  // by Severity
};

}  // namespace limes::core
