// core::run_beside: both pieces run, at once, and neither's exception is lost.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/parallel.hpp"

using limes::core::run_beside;

TEST_CASE("run_beside: both run at once, on two threads, and have finished on return",
          "[parallel]") {
    // A handshake only two pieces running at the same time can complete (each gives up after
    // 10 s, so a sequential run fails instead of hanging).
    std::atomic<bool> main_here{false}, side_here{false}, side_done{false};
    auto wait_for = [](const std::atomic<bool>& flag) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!flag && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        return flag.load();
    };
    std::thread::id main_id, side_id;
    bool main_met_side = false, side_met_main = false;
    run_beside(
        [&] {
            main_id = std::this_thread::get_id();
            main_here = true;
            main_met_side = wait_for(side_here);
        },
        [&] {
            side_id = std::this_thread::get_id();
            side_here = true;
            side_met_main = wait_for(main_here);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            side_done = true;
        });
    CHECK(main_met_side);
    CHECK(side_met_main);
    CHECK(side_done);  // run_beside waited for it
    CHECK(main_id == std::this_thread::get_id());
    CHECK(side_id != main_id);
}

TEST_CASE("run_beside: an exception from either side reaches the caller, main's first",
          "[parallel]") {
    std::atomic<bool> side_done{false};
    CHECK_THROWS_WITH(run_beside([] { throw std::runtime_error("main"); },
                                 [&] {
                                     std::this_thread::sleep_for(std::chrono::milliseconds(20));
                                     side_done = true;
                                 }),
                      "main");
    CHECK(side_done);  // joined before the rethrow
    CHECK_THROWS_WITH(run_beside([] {}, [] { throw std::runtime_error("side"); }), "side");
    CHECK_THROWS_WITH(run_beside([] { throw std::runtime_error("main"); },
                                 [] { throw std::runtime_error("side"); }),
                      "main");
}
