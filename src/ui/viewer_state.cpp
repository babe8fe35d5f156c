#include "ui/viewer_state.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace limes::ui {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

bool icontains(const std::string& hay, const std::string& needle) {
    if (needle.empty()) return true;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

using Text = core::IncidentStore::Text;

}  // namespace

std::string ViewerState::type_name(std::uint8_t type) {
    return type < core::kEventTypes.size() ? std::string(core::kEventTypes[type]) : std::string();
}

void ViewerState::reset_time_range() {
    bool any = false;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        if (incidents.removed(i)) continue;
        const std::int32_t d = incidents.marks()[i].days;
        if (!any) span_from = span_to = d;
        span_from = std::min(span_from, d);
        span_to = std::max(span_to, d);
        any = true;
    }
    if (!any) span_from = span_to = 0;
    range_from = span_from;
    range_to = span_to;
    refilter();
}

void ViewerState::select_row_filters() {
    auto switches = [](const core::StringPool& pool, auto on) {
        std::vector<std::uint8_t> out(pool.size());
        for (std::size_t id = 0; id < pool.size(); ++id)
            out[id] = on(pool[static_cast<std::uint32_t>(id)]) ? 1 : 0;
        return out;
    };
    type_on_.assign(core::kOtherEventType + 1, 1);
    for (std::uint8_t t = 0; t <= core::kOtherEventType; ++t)
        type_on_[t] = contains(types_off, type_name(t)) ? 0 : 1;
    reporter_on_ = switches(incidents.pool(Text::ReportedBy),
                            [&](const std::string& v) { return !contains(reported_by_off, v); });
    status_on_ = switches(incidents.pool(Text::Status),
                          [&](const std::string& v) { return !contains(status_off, v); });
    actor_match_ = switches(incidents.pool(Text::Actor1),
                            [&](const std::string& v) { return icontains(v, actor_search); });
}

void ViewerState::advance_playback(double seconds) {
    if (!playing) return;
    play_accum_ += seconds * play_days_per_second;
    const int days = static_cast<int>(play_accum_);
    if (days <= 0) return;
    play_accum_ -= days;
    const int len = range_to - range_from;
    if (range_to >= span_to) {
        playing = false;
        return;
    }
    range_to = std::min(span_to, range_to + days);
    if (!cumulative) range_from = range_to - len;
    refilter();
}

void ViewerState::toggle_playback() {
    if (playing) {
        playing = false;
        return;
    }
    if (span_to <= span_from) {
        messages.push_back("nothing to play: the incidents are all of one day");
        return;
    }
    const int len = range_to - range_from;
    if (cumulative) {
        // Grows from the start of the range; at the end, from the first day again.
        if (range_to >= span_to) range_from = range_to = span_from;
    } else if (range_from <= span_from && range_to >= span_to) {
        // The whole span shown (All): a window sweeps through it from the first day, shorter
        // than the span so that there is a sweep.
        const int window = std::clamp(play_window_days, 1, span_to - span_from);
        range_from = span_from;
        range_to = span_from + window - 1;
    } else if (range_to >= span_to) {
        range_from = span_from;  // at the end: again from the start, as long as before
        range_to = std::min(span_to, span_from + len);
    }
    play_accum_ = 0;
    playing = true;
    refilter();
}

void ViewerState::set_search(const std::string& text) {
    search = text;
    search_notes_.clear();
    if (!search.empty() && find_in_notes) {
        try {
            search_notes_ = find_in_notes(search);
        } catch (const std::exception& e) {
            messages.push_back(std::string("error: searching the notes: ") + e.what());
        }
    }
    search_data_ = ~0ull;  // match again
    refilter();
}

void ViewerState::match_search() {
    if (search_for_ == search && search_data_ == data_version &&
        search_match_.size() == incidents.size())
        return;
    search_for_ = search;
    search_data_ = data_version;
    search_match_.assign(incidents.size(), 1);
    if (search.empty()) return;
    const std::string needle = core::to_lower(search);
    // One test per distinct value, not per row.
    auto matches = [&](Text column) {
        const core::StringPool& pool = incidents.pool(column);
        std::vector<std::uint8_t> m(pool.size());
        for (std::size_t id = 0; id < pool.size(); ++id)
            m[id] = core::to_lower(pool[static_cast<std::uint32_t>(id)]).find(needle) !=
                    std::string::npos;
        return m;
    };
    const auto location = matches(Text::Location), actor = matches(Text::Actor1),
               source = matches(Text::Source), reporter = matches(Text::ReportedBy);
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        bool hit = location[incidents.text_id(Text::Location, i)] ||
                   actor[incidents.text_id(Text::Actor1, i)] ||
                   actor[incidents.text_id(Text::Actor2, i)] ||
                   source[incidents.text_id(Text::Source, i)] ||
                   reporter[incidents.text_id(Text::ReportedBy, i)];
        if (!hit) {
            // The notes stay on disk: the workspace answered for the stored rows once per
            // search; a row edited here is read from its edit.
            if (const core::Incident* e = incidents.edited(i))
                hit = core::to_lower(e->notes).find(needle) != std::string::npos;
            else
                hit = std::binary_search(search_notes_.begin(), search_notes_.end(),
                                         incidents.fid(i));
        }
        search_match_[i] = hit ? 1 : 0;
    }
}

bool ViewerState::passes(std::size_t i) const {
    const core::IncidentMark& m = incidents.marks()[i];
    if (m.days < range_from || m.days > range_to) return false;
    return passes_except_time(i);
}

bool ViewerState::passes_except_time(std::size_t i) const {
    if (incidents.removed(i)) return false;
    const core::IncidentMark& m = incidents.marks()[i];
    if (!type_on_[m.type]) return false;
    if (!reporter_on_[incidents.text_id(Text::ReportedBy, i)]) return false;
    if (!status_on_[incidents.text_id(Text::Status, i)]) return false;
    if (min_fatalities > 0 && std::max(m.fatalities, 0) < min_fatalities) return false;
    if (!actor_search.empty() && !actor_match_[incidents.text_id(Text::Actor1, i)] &&
        !actor_match_[incidents.text_id(Text::Actor2, i)])
        return false;
    if (!search.empty() && !search_match_[i]) return false;
    return true;
}

void ViewerState::refilter() {
    select_row_filters();
    match_search();
    visible.clear();
    const bool incidents_shown = !layer("incidents") || layer("incidents")->visible;
    if (incidents_shown) {
        visible.reserve(incidents.size());
        for (std::size_t i = 0; i < incidents.size(); ++i)
            if (passes(i)) visible.push_back(static_cast<std::uint32_t>(i));
    }
    ++visible_version;
    count_days();
    if (hovered >= static_cast<int>(incidents.size())) hovered = -1;
    if (selected >= static_cast<int>(incidents.size())) selected = -1;
}

void ViewerState::count_days() {
    // Counted again only when a filter other than the time range changed: playback moves
    // the range every frame and must not cost a pass over the rows for this.
    std::string key = std::to_string(data_version) + "|" + std::to_string(span_from) + "|" +
                      std::to_string(span_to) + "|" + actor_search + "|" + search + "|" +
                      std::to_string(min_fatalities) + "|" +
                      std::to_string(!layer("incidents") || layer("incidents")->visible);
    for (const auto* list : {&types_off, &reported_by_off, &status_off}) {
        key += "|";
        for (const auto& v : *list) key += v + "\x1f";
    }
    if (key == day_counts_key_) return;
    day_counts_key_ = std::move(key);
    day_counts.assign(static_cast<std::size_t>(std::max(span_to - span_from + 1, 1)), 0);
    if (layer("incidents") && !layer("incidents")->visible) return;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        const std::int32_t d = incidents.marks()[i].days;
        if (d < span_from || d > span_to || !passes_except_time(i)) continue;
        ++day_counts[static_cast<std::size_t>(d - span_from)];
    }
}

void ViewerState::add(core::Incident inc) {
    if (inc.event_id_cnty.empty()) {
        // A stable id for incidents made here, so exports and logs can name them; unique
        // among the rows edited here and (asked of the app) those stored.
        auto taken = [&](const std::string& id) {
            for (std::size_t i = 0; i < incidents.size(); ++i)
                if (const core::Incident* e = incidents.edited(i); e && e->event_id_cnty == id)
                    return true;
            return event_id_stored && event_id_stored(id);
        };
        do inc.event_id_cnty = "LOCAL-" + inc.event_date.iso() + "-" + std::to_string(++local_ids_);
        while (taken(inc.event_id_cnty));
    }
    const bool first = incidents.live() == 0;
    const std::int32_t d = inc.event_date.days;
    const std::size_t index = incidents.add_new(inc);
    undo_stack.push_back({Edit::Kind::Add, index, {}, std::move(inc)});
    redo_stack.clear();
    ++data_version;
    dirty = true;
    // A new incident outside the range would vanish: widen the span and range to hold it.
    if (first) span_from = span_to = range_from = range_to = d;
    span_from = std::min(span_from, d);
    span_to = std::max(span_to, d);
    range_from = std::min(range_from, d);
    range_to = std::max(range_to, d);
    refilter();
}

void ViewerState::change(std::size_t index, core::Incident inc) {
    if (index >= incidents.size() || incidents.removed(index)) return;
    if (incidents.fid(index) > 0 && !incidents.edited(index))
        edit_bases.emplace(incidents.fid(index), incidents.row(index));
    undo_stack.push_back({Edit::Kind::Change, index, incidents.row(index), inc});
    redo_stack.clear();
    incidents.set(index, std::move(inc));
    ++data_version;
    dirty = true;
    refilter();
}

void ViewerState::remove(std::size_t index) {
    if (index >= incidents.size() || incidents.removed(index)) return;
    if (incidents.fid(index) > 0 && !incidents.edited(index))
        edit_bases.emplace(incidents.fid(index), incidents.row(index));
    undo_stack.push_back({Edit::Kind::Remove, index, incidents.row(index), {}});
    redo_stack.clear();
    incidents.set_removed(index, true);
    selected = hovered = -1;
    ++data_version;
    dirty = true;
    refilter();
}

bool ViewerState::step_history(std::deque<Edit>& from, std::deque<Edit>& to, bool forward) {
    if (from.empty()) return false;
    Edit e = std::move(from.back());
    from.pop_back();
    // Undo (forward false) takes an edit back; redo does it again.
    switch (e.kind) {
        case Edit::Kind::Add: incidents.set_removed(e.index, !forward); break;
        case Edit::Kind::Change: incidents.set(e.index, forward ? e.after : e.before); break;
        case Edit::Kind::Remove: incidents.set_removed(e.index, forward); break;
    }
    to.push_back(std::move(e));
    selected = hovered = -1;
    ++data_version;
    dirty = true;
    refilter();
    return true;
}

bool ViewerState::undo() {
    return step_history(undo_stack, redo_stack, false);
}

bool ViewerState::redo() {
    return step_history(redo_stack, undo_stack, true);
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
                                            inc.sub_event_type)
                 .empty())
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
