#include "core/id_column.hpp"

#include <algorithm>
#include <cassert>

#include "core/huge_pages.hpp"

namespace limes::core {

namespace {

// Room for n in v (its rows kept), the new storage preferring huge pages as reserve_big's.
template <class T>
void reserve_keeping(std::vector<T>& v, std::size_t n) {
    if (v.capacity() >= n) return;
    std::vector<T> out;
    reserve_big(out, n);
    out.assign(v.begin(), v.end());
    v.swap(out);
}

// Copies from into to, a wider type, with room for at least reserved rows; frees from.
template <class To, class From>
void widen(std::vector<From>& from, std::vector<To>& to, std::size_t reserved) {
    // As much room as the narrow column had: the push that follows a widening does not
    // copy the whole column again.
    reserve_keeping(to, std::max(reserved, from.capacity()));
    to.assign(from.begin(), from.end());
    std::vector<From>().swap(from);
}

}  // namespace

void IdColumn::reserve(std::size_t n) {
    reserved_ = std::max(reserved_, n);
    switch (width_) {
        case 1: reserve_keeping(narrow_, n); break;
        case 2: reserve_keeping(medium_, n); break;
        default: reserve_keeping(wide_, n);
    }
}

void IdColumn::fit(std::uint32_t id) {
    if (width_ == 1 && id > 0xFF) {
        if (id > 0xFFFF) {
            widen(narrow_, wide_, reserved_);
            width_ = 4;
        } else {
            widen(narrow_, medium_, reserved_);
            width_ = 2;
        }
    } else if (width_ == 2 && id > 0xFFFF) {
        widen(medium_, wide_, reserved_);
        width_ = 4;
    }
}

void IdColumn::push_back(std::uint32_t id) {
    fit(id);
    switch (width_) {
        case 1: narrow_.push_back(static_cast<std::uint8_t>(id)); break;
        case 2: medium_.push_back(static_cast<std::uint16_t>(id)); break;
        default: wide_.push_back(id);
    }
    ++size_;
}

void IdColumn::set(std::size_t i, std::uint32_t id) {
    assert(i < size_);
    fit(id);
    switch (width_) {
        case 1: narrow_[i] = static_cast<std::uint8_t>(id); break;
        case 2: medium_[i] = static_cast<std::uint16_t>(id); break;
        default: wide_[i] = id;
    }
}

std::size_t IdColumn::bytes() const {
    return narrow_.capacity() + medium_.capacity() * sizeof(std::uint16_t) +
           wide_.capacity() * sizeof(std::uint32_t);
}

void IdColumn::release() {
    *this = IdColumn{};
}

}  // namespace limes::core
