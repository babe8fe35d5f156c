#pragma once
// Which attribute columns of the incidents layer a piece of work reads: a set over
// incident_columns(). Storage reads only these (a map needs 4 of 33 columns, a fifth of the
// row), and a Filter says which it needs (Filter::columns()), so a scan can never leave out a
// column a test looks at. The fid and the point are always read.
#include <bitset>
#include <initializer_list>
#include <string_view>

#include "core/incident.hpp"

namespace limes::core {

class IncidentColumns {
  public:
    static constexpr std::size_t kCount = 33;
    static_assert(kCount ==
                  std::tuple_size_v<std::remove_reference_t<decltype(incident_columns())>>);

    IncidentColumns() = default;  ///< none: fid and point only
    /** The named columns; throws std::invalid_argument for a name that is not a column. */
    IncidentColumns(std::initializer_list<std::string_view> names);
    static IncidentColumns all() {
        IncidentColumns c;
        c.bits_.set();
        return c;
    }
    /** What a map draws (core::IncidentMark): event_date, event_type, fatalities, geo_precision,
     *  reported_by and status (the symbol's outline and hollowness). */
    static IncidentColumns drawn();

    bool has(std::size_t index) const { return bits_.test(index); }
    bool has(std::string_view name) const;
    bool is_all() const { return bits_.all(); }
    bool empty() const { return bits_.none(); }
    IncidentColumns& add(std::size_t index) {
        bits_.set(index);
        return *this;
    }
    IncidentColumns& add(const IncidentColumns& other) {
        bits_ |= other.bits_;
        return *this;
    }
    friend IncidentColumns operator|(IncidentColumns a, const IncidentColumns& b) {
        return a.add(b);
    }
    friend bool operator==(const IncidentColumns& a, const IncidentColumns& b) {
        return a.bits_ == b.bits_;
    }

  private:
    std::bitset<kCount> bits_;
};

}  // namespace limes::core
