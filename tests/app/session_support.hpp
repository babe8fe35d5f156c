// The window's data side (app::Session) driven without a display, for the tests of no lost
// updates: a workspace's rows as the window holds them, and a frame's worth of its loop.
#pragma once
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "app/session.hpp"

namespace limes_test {

/** The session's row with this event id, or -1. */
inline int row_of(const limes::app::Session& s, const std::string& id) {
    for (std::size_t i = 0; i < s.state.incidents.size(); ++i)
        if (!s.state.incidents.removed(i) && s.state.incidents.row(i).event_id_cnty == id)
            return static_cast<int>(i);
    return -1;
}

struct Window {
    std::ostringstream log;
    limes::app::Session s;
    explicit Window(const std::string& ws) : s(options(ws), log) {
        s.start_loading();
        s.poll_loading(true);
    }
    static limes::app::ViewerOptions options(const std::string& ws) {
        limes::app::ViewerOptions o;
        o.workspace = ws;
        return o;
    }
    /** A frame's worth of the loop's work on the data: notice, and finish a reload. */
    bool frame() {
        const bool reload = s.check_external_changes();
        s.poll_loading(true);
        return reload;
    }
    void edit_notes(const std::string& id, const std::string& notes) {
        const int i = row_of(s, id);
        REQUIRE(i >= 0);
        limes::core::Incident inc = s.state.incidents.row(static_cast<std::size_t>(i));
        inc.notes = notes;
        s.state.change(static_cast<std::size_t>(i), inc);
    }
};


}  // namespace limes_test
