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

class Diagnostics {
  public:
    void add(Severity severity, Location where, std::string message);
    const std::vector<Diagnostic>& items() const { return items_; }
    std::size_t count(Severity severity) const;
    bool empty() const { return items_.empty(); }

    /** Prints one line per problem ("file:row: field 'x': message"), at most max_lines, then
     *  a count of the rest. */
    void print(std::ostream& out, std::size_t max_lines = 50) const;

  private:
    std::vector<Diagnostic> items_;
};

}  // namespace limes::core
