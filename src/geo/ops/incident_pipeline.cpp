#include "geo/ops/incident_pipeline.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace limes::geo {

// ---------------------------------------------------------------------------------------------
// [SECTION] run_pipeline
// ---------------------------------------------------------------------------------------------

void run_pipeline(const std::function<void(const std::function<bool(IncidentChunk&)>&)>& produce,
                  const std::function<void(IncidentChunk&)>& consume, std::size_t max_queued) {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<IncidentChunk> queue;   // filled, waiting for consume
    std::vector<IncidentChunk> spare;  // consumed, back for produce to fill again
    bool closed = false, failed = false;
    std::exception_ptr consumer_error, producer_error;

    std::thread consumer([&] {
        for (;;) {
            IncidentChunk chunk;
            {
                std::unique_lock<std::mutex> lock(mutex);
                changed.wait(lock, [&] { return !queue.empty() || closed; });
                if (queue.empty()) return;
                chunk = std::move(queue.front());
                queue.pop_front();
            }
            changed.notify_all();
            try {
                consume(chunk);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                consumer_error = std::current_exception();
                failed = true;
                queue.clear();
                changed.notify_all();
                return;
            }
            chunk.size = 0;
            std::lock_guard<std::mutex> lock(mutex);
            spare.push_back(std::move(chunk));
        }
    });

    const std::function<bool(IncidentChunk&)> emit = [&](IncidentChunk& chunk) {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return queue.size() < max_queued || failed; });
        if (failed) return false;
        queue.push_back(std::move(chunk));
        if (spare.empty()) {
            chunk = IncidentChunk{};
        } else {
            chunk = std::move(spare.back());
            spare.pop_back();
        }
        changed.notify_all();
        return true;
    };
    try {
        produce(emit);
    } catch (...) {
        producer_error = std::current_exception();
    }
    {
        std::lock_guard<std::mutex> lock(mutex);
        closed = true;
        if (producer_error) queue.clear();  // what is not written yet need not be
    }
    changed.notify_all();
    consumer.join();
    if (consumer_error) std::rethrow_exception(consumer_error);
    if (producer_error) std::rethrow_exception(producer_error);
}

}  // namespace limes::geo
