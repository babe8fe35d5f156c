#pragma once
// Two pieces of work at once: the one idiom limes' fast paths use for a second core (the
// halves of a table scan, of a projection, of a PNG; a briefing's text beside its symbols).
#include <exception>
#include <thread>
#include <utility>

namespace limes::core {

/** Runs side() on a second thread while main() runs on this one, and returns when both have
 *  finished. An exception from either is rethrown here, main's first; neither is lost, and the
 *  second thread is always joined. */
template <typename Main, typename Side>
void run_beside(Main&& main, Side&& side) {
    std::exception_ptr side_failed;
    std::thread second([&] {
        try {
            side();
        } catch (...) {
            side_failed = std::current_exception();
        }
    });
    try {
        std::forward<Main>(main)();
    } catch (...) {
        second.join();
        throw;
    }
    second.join();
    if (side_failed) std::rethrow_exception(side_failed);
}

}  // namespace limes::core
