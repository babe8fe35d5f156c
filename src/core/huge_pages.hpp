#pragma once
// Large arrays backed by transparent huge pages. A render or the window at ten million incidents
// allocates arrays of hundreds of MB (marks, positions) and writes them once, front to back;
// with 4 KiB pages that is a page fault every 4 KiB (about 160,000 at 10M), and in a virtual
// machine each fault costs microseconds: a fifth of a 10M render's CPU time went to them
// (BENCHMARKS.md, "Ten million rows"). Asked for 2 MiB pages, the kernel faults them in 512
// times less often. A hint only: where transparent huge pages are off, or for less than 2 MiB,
// nothing changes.
#include <cstddef>
#include <vector>

namespace limes::core {

/** Asks for huge pages behind the 2 MiB-aligned part of [p, p + bytes). Call before the memory
 *  is first written (a page already faulted in stays small). */
void prefer_huge_pages(const void* p, std::size_t bytes);

/** v.reserve(n) on an empty vector, with its new storage preferring huge pages. */
template <class T>
void reserve_big(std::vector<T>& v, std::size_t n) {
    v.reserve(n);
    prefer_huge_pages(v.data(), v.capacity() * sizeof(T));
}

}  // namespace limes::core
