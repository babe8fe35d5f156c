#include "core/incident_store.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "core/error.hpp"
#include "core/huge_pages.hpp"

namespace limes::core {

std::uint32_t StringPool::intern(const std::string& s) {
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(values_.size());
    values_.push_back(s);
    ids_.emplace(s, id);
    return id;
}

namespace {

const std::string Incident::*text_member(IncidentStore::Text column) {
    switch (column) {
        case IncidentStore::Text::ReportedBy: return &Incident::reported_by;
        case IncidentStore::Text::Status: return &Incident::status;
        case IncidentStore::Text::Actor1: return &Incident::actor1;
        case IncidentStore::Text::Actor2: return &Incident::actor2;
        case IncidentStore::Text::Location: return &Incident::location;
        case IncidentStore::Text::Source: return &Incident::source;
    }
    return &Incident::location;
}

}  // namespace

const StringPool& IncidentStore::pool(Text column) const {
    return const_cast<IncidentStore*>(this)->pool_for(column);
}

StringPool& IncidentStore::pool_for(Text column) {
    switch (column) {
        case Text::ReportedBy: return reporters_;
        case Text::Status: return statuses_;
        case Text::Actor1:
        case Text::Actor2: return actors_;
        case Text::Location: return locations_;
        case Text::Source: return sources_;
    }
    return locations_;
}

std::uint32_t IncidentStore::text_id(Text column, std::size_t i) const {
    return text_[static_cast<int>(column)][i];
}

void IncidentStore::put_columns(std::size_t i, const Incident& inc) {
    marks_[i] = mark_of(inc);
    for (int c = 0; c < kTextColumns; ++c) {
        const auto column = static_cast<Text>(c);
        text_[c].set(i, pool_for(column).intern(inc.*text_member(column)));
    }
}

IncidentColumns IncidentStore::columns() {
    return IncidentColumns::drawn() |
           IncidentColumns{"reported_by", "status", "actor1", "actor2", "location", "source"};
}

void IncidentStore::reserve(std::size_t n) {
    reserve_big(marks_, n);
    reserve_big(fids_, n);
    for (auto& t : text_) t.reserve(n);
    reserve_big(removed_, n);
}

void IncidentStore::add_stored(const Incident& inc) {
    const std::size_t i = marks_.size();
    marks_.emplace_back();
    fids_.push_back(inc.fid);
    for (auto& t : text_) t.push_back(0);
    removed_.push_back(0);
    put_columns(i, inc);
}

void IncidentStore::append_stored(IncidentStore&& other) {
    // The merge of a load's halves: other must hold stored rows only, as read.
    if (!other.edited_.empty() || !other.unsaved_.empty() || other.removed_count_ != 0)
        throw std::logic_error("IncidentStore::append_stored: the other store has edits");
    auto move_column = [](auto& to, auto& from) {
        to.insert(to.end(), from.begin(), from.end());
        std::decay_t<decltype(from)>().swap(from);  // freed now, not with the store
    };
    move_column(marks_, other.marks_);
    move_column(fids_, other.fids_);
    move_column(removed_, other.removed_);
    for (int c = 0; c < kTextColumns; ++c) {
        const auto column = static_cast<Text>(c);
        const StringPool& theirs = other.pool(column);
        std::vector<std::uint32_t> to_mine(theirs.size());
        for (std::uint32_t id = 0; id < theirs.size(); ++id)
            to_mine[id] = pool_for(column).intern(theirs[id]);
        auto& mine = text_[c];
        mine.reserve(mine.size() + other.text_[c].size());
        const IdColumn& ids = other.text_[c];
        for (std::size_t i = 0; i < ids.size(); ++i) mine.push_back(to_mine[ids[i]]);
        other.text_[c].release();
    }
    other = IncidentStore{};
}

std::size_t IncidentStore::add_new(Incident inc) {
    inc.fid = 0;
    add_stored(inc);
    const auto i = static_cast<std::uint32_t>(marks_.size() - 1);
    edited_[i] = std::move(inc);
    unsaved_.insert(i);
    moved_.push_back(i);
    return i;
}

void IncidentStore::set(std::size_t i, Incident inc) {
    inc.fid = fids_[i];
    put_columns(i, inc);
    const auto k = static_cast<std::uint32_t>(i);
    edited_[k] = std::move(inc);
    unsaved_.insert(k);
    moved_.push_back(k);
    cache_.erase(
        std::remove_if(cache_.begin(), cache_.end(), [&](const auto& c) { return c.first == k; }),
        cache_.end());
}

void IncidentStore::set_removed(std::size_t i, bool removed) {
    if ((removed_[i] != 0) == removed) return;
    const auto k = static_cast<std::uint32_t>(i);
    if (removed && !edited_.count(k)) edited_[k] = row(i);  // kept for undo after a save
    removed_[i] = removed ? 1 : 0;
    if (removed)
        ++removed_count_;
    else
        --removed_count_;
    unsaved_.insert(k);
}

const Incident* IncidentStore::edited(std::size_t i) const {
    auto it = edited_.find(static_cast<std::uint32_t>(i));
    return it == edited_.end() ? nullptr : &it->second;
}

const Incident& IncidentStore::row(std::size_t i) const {
    if (i >= marks_.size()) throw UsageError("incident row " + std::to_string(i) + " out of range");
    if (const Incident* e = edited(i)) return *e;
    const auto k = static_cast<std::uint32_t>(i);
    for (auto& c : cache_)
        if (c.first == k) return c.second;
    if (!fetch_)
        throw IoError("incidents",
                      "row " + std::to_string(i) + " is not in memory and no workspace is open");
    Incident inc = fetch_(fids_[i]);
    if (cache_.size() >= 2) cache_.erase(cache_.begin());
    cache_.emplace_back(k, std::move(inc));
    return cache_.back().second;
}

std::vector<std::uint32_t> IncidentStore::unsaved() const {
    std::vector<std::uint32_t> out(unsaved_.begin(), unsaved_.end());
    std::sort(out.begin(), out.end());
    return out;
}

void IncidentStore::mark_saved(std::size_t i, std::int64_t fid) {
    const auto k = static_cast<std::uint32_t>(i);
    fids_[i] = fid;
    unsaved_.erase(k);
    if (!removed(i)) edited_.erase(k);
    cache_.erase(
        std::remove_if(cache_.begin(), cache_.end(), [&](const auto& c) { return c.first == k; }),
        cache_.end());
}

std::vector<std::uint32_t> IncidentStore::take_moved() {
    std::vector<std::uint32_t> out;
    out.swap(moved_);
    return out;
}

std::size_t IncidentStore::bytes() const {
    std::size_t n = marks_.capacity() * sizeof(IncidentMark) +
                    fids_.capacity() * sizeof(std::int64_t) + removed_.capacity();
    for (const auto& t : text_) n += t.bytes();
    for (const StringPool* p : {&reporters_, &statuses_, &actors_, &locations_, &sources_})
        for (const auto& s : p->values()) n += sizeof(std::string) * 2 + s.capacity() + 16;
    n += edited_.size() * (sizeof(Incident) + 64);
    return n;
}

}  // namespace limes::core
