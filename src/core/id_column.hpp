#pragma once
// A column of string-pool ids (core::StringPool) held as narrow as its largest id allows:
// one byte a row while every id is below 256, two below 65,536, else four. The window keeps
// six such columns per incident (reporter, status, actors, location, source) and most pools
// are small (a few reporters and statuses, some hundreds of places), so at ten million rows
// this is ~180 MB less than four bytes a row. A wider id widens the whole column once (a copy
// of the rows so far); ids never narrow back.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace limes::core {

class IdColumn {
  public:
    /** Bytes a row now: 1, 2 or 4. */
    int width() const { return width_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    std::uint32_t operator[](std::size_t i) const {
        switch (width_) {
            case 1: return narrow_[i];
            case 2: return medium_[i];
            default: return wide_[i];
        }
    }
    /** Room for n rows at the current width (and at any width it widens to). */
    void reserve(std::size_t n);
    void push_back(std::uint32_t id);
    void set(std::size_t i, std::uint32_t id);
    /** Bytes held (capacity), for memory figures. */
    std::size_t bytes() const;
    /** Empties the column and frees its storage. */
    void release();

  private:
    /** Makes the column wide enough for id (copies it into the wider vector once). */
    void fit(std::uint32_t id);

    int width_ = 1;
    std::size_t size_ = 0;
    std::size_t reserved_ = 0;  // rows asked for by reserve(), kept across widening
    std::vector<std::uint8_t> narrow_;
    std::vector<std::uint16_t> medium_;
    std::vector<std::uint32_t> wide_;
};

}  // namespace limes::core
