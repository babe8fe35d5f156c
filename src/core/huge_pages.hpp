#pragma once
// Large arrays backed by transparent huge pages. A render or the window at ten million incidents
// allocates arrays of hundreds of MB (marks, positions) and writes them once, front to back;
// with 4 KiB pages that is a page fault every 4 KiB (about 160,000 at 10M), and in a virtual
// machine each fault costs microseconds: a fifth of a 10M render's CPU time went to them
// (BENCHMARKS.md, "Ten million rows"). Asked for 2 MiB pages, the kernel faults them in 512
// times less often. A hint only: where transparent huge pages are off, or for less than 2 MiB,
// nothing changes.
#include <cstddef>
#include <new>
#include <vector>

namespace limes::core {

/** Bytes of a cache line on the x86-64 and ARM64 cores limes runs on. State that two threads
 *  write row after row (a part's vector, its count) is aligned to it, one line each: two
 *  threads writing one line pass it between their cores at every write ("false sharing"). Not
 *  std::hardware_destructive_interference_size: GCC warns that its value may change between
 *  compiler versions. */
inline constexpr std::size_t kCacheLine = 64;

/** An allocator whose blocks start on a cache line and fill whole lines: the small arrays of
 *  per-thread counts (a country's tally) then never share a line with another thread's, as
 *  two blocks from plain new, side by side in the heap, could. */
template <class T>
struct LineAllocator {
    using value_type = T;
    LineAllocator() = default;
    template <class U>
    LineAllocator(const LineAllocator<U>&) {}
    T* allocate(std::size_t n) {
        const std::size_t bytes = (n * sizeof(T) + kCacheLine - 1) / kCacheLine * kCacheLine;
        return static_cast<T*>(::operator new(bytes, std::align_val_t(kCacheLine)));
    }
    void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(kCacheLine)); }
    template <class U>
    bool operator==(const LineAllocator<U>&) const {
        return true;
    }
    template <class U>
    bool operator!=(const LineAllocator<U>&) const {
        return false;
    }
};

/** A vector of per-thread state that no other thread's shares a cache line with. */
template <class T>
using LineVector = std::vector<T, LineAllocator<T>>;

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
