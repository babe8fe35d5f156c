#include "ui/viewer_state.hpp"

#include <algorithm>
#include <cctype>

namespace limes::ui {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool icontains(const std::string& hay, const std::string& needle) {
    if (needle.empty()) return true;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

}  // namespace

void ViewerState::reset_time_range() {
    if (incidents.empty()) {
        span_from = span_to = range_from = range_to = 0;
    } else {
        auto [lo, hi] = std::minmax_element(incidents.begin(), incidents.end(),
                                            [](const core::Incident& a, const core::Incident& b) {
                                                return a.event_date < b.event_date;
                                            });
        span_from = range_from = lo->event_date.days;
        span_to = range_to = hi->event_date.days;
    }
    refilter();
}

bool ViewerState::passes(const core::Incident& inc) const {
    const std::int32_t d = inc.event_date.days;
    if (d < range_from || d > range_to) return false;
    if (!types_off.empty() && contains(types_off, inc.event_type)) return false;
    if (!reported_by_off.empty() && contains(reported_by_off, inc.reported_by)) return false;
    if (!status_off.empty() && contains(status_off, inc.status)) return false;
    if (min_fatalities > 0 && inc.fatalities.value_or(0) < min_fatalities) return false;
    if (!actor_search.empty() && !icontains(inc.actor1, actor_search) &&
        !icontains(inc.actor2, actor_search))
        return false;
    return true;
}

void ViewerState::refilter() {
    visible.clear();
    const bool incidents_shown = !layer("incidents") || layer("incidents")->visible;
    if (incidents_shown) {
        visible.reserve(incidents.size());
        for (std::size_t i = 0; i < incidents.size(); ++i)
            if (passes(incidents[i])) visible.push_back(static_cast<std::uint32_t>(i));
    }
    ++visible_version;
    if (hovered >= static_cast<int>(incidents.size())) hovered = -1;
    if (selected >= static_cast<int>(incidents.size())) selected = -1;
}

void ViewerState::add(core::Incident inc) {
    if (inc.event_id_cnty.empty()) {
        // A stable id for incidents made here, so exports and logs can name them.
        inc.event_id_cnty = "LOCAL-" + inc.event_date.iso() + "-" + std::to_string(++local_ids_);
        while (std::any_of(incidents.begin(), incidents.end(),
                           [&](const core::Incident& i) { return i.event_id_cnty == inc.event_id_cnty; }))
            inc.event_id_cnty = "LOCAL-" + inc.event_date.iso() + "-" + std::to_string(++local_ids_);
    }
    const bool first = incidents.empty();
    incidents.push_back(inc);
    undo_stack.push_back({Edit::Kind::Add, incidents.size() - 1, {}, std::move(inc)});
    redo_stack.clear();
    dirty = true;
    // A new incident outside the range would vanish: widen the span and range to hold it.
    if (first) span_from = span_to = range_from = range_to = incidents.back().event_date.days;
    span_from = std::min(span_from, incidents.back().event_date.days);
    span_to = std::max(span_to, incidents.back().event_date.days);
    range_from = std::min(range_from, incidents.back().event_date.days);
    range_to = std::max(range_to, incidents.back().event_date.days);
    refilter();
}

void ViewerState::change(std::size_t index, core::Incident inc) {
    if (index >= incidents.size()) return;
    undo_stack.push_back({Edit::Kind::Change, index, incidents[index], inc});
    redo_stack.clear();
    incidents[index] = std::move(inc);
    dirty = true;
    refilter();
}

void ViewerState::remove(std::size_t index) {
    if (index >= incidents.size()) return;
    undo_stack.push_back({Edit::Kind::Remove, index, incidents[index], {}});
    redo_stack.clear();
    incidents.erase(incidents.begin() + static_cast<long>(index));
    selected = hovered = -1;
    dirty = true;
    refilter();
}

bool ViewerState::undo() {
    if (undo_stack.empty()) return false;
    Edit e = std::move(undo_stack.back());
    undo_stack.pop_back();
    switch (e.kind) {
        case Edit::Kind::Add: incidents.erase(incidents.begin() + static_cast<long>(e.index)); break;
        case Edit::Kind::Change: incidents[e.index] = e.before; break;
        case Edit::Kind::Remove: incidents.insert(incidents.begin() + static_cast<long>(e.index), e.before); break;
    }
    redo_stack.push_back(std::move(e));
    selected = hovered = -1;
    dirty = true;
    refilter();
    return true;
}

bool ViewerState::redo() {
    if (redo_stack.empty()) return false;
    Edit e = std::move(redo_stack.back());
    redo_stack.pop_back();
    switch (e.kind) {
        case Edit::Kind::Add: incidents.insert(incidents.begin() + static_cast<long>(e.index), e.after); break;
        case Edit::Kind::Change: incidents[e.index] = e.after; break;
        case Edit::Kind::Remove: incidents.erase(incidents.begin() + static_cast<long>(e.index)); break;
    }
    undo_stack.push_back(std::move(e));
    selected = hovered = -1;
    dirty = true;
    refilter();
    return true;
}

LayerSetting* ViewerState::layer(const std::string& name) {
    for (auto& l : layers)
        if (l.name == name) return &l;
    return nullptr;
}

std::vector<std::string> validate_incident(const core::Incident& inc) {
    std::vector<std::string> problems;
    if (inc.event_date.days == 0 && inc.event_date.year() == 1970)
        problems.push_back("date: required");
    if (core::canonical_event_type(inc.event_type).empty())
        problems.push_back("event type: choose one of the six ACLED types");
    else if (!inc.sub_event_type.empty() &&
             core::canonical_sub_event_type(core::canonical_event_type(inc.event_type),
                                            inc.sub_event_type).empty())
        problems.push_back("sub-event type: not one of " +
                           core::sub_event_types_of(core::canonical_event_type(inc.event_type)));
    if (inc.lat < -90 || inc.lat > 90 || inc.lon < -180 || inc.lon > 180)
        problems.push_back("location: outside -180..180 / -90..90");
    if (inc.source.empty()) problems.push_back("source: required (who published it?)");
    if (inc.reported_by.empty()) problems.push_back("reported by: required (whose statement?)");
    if (inc.fatalities && *inc.fatalities < 0) problems.push_back("fatalities: negative");
    return problems;
}

}  // namespace limes::ui
