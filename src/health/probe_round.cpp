#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "envctl/health/prober.hpp"
#include "envctl/util/interrupt.hpp"
#include "worker_pool.hpp"

namespace envctl::health {

namespace {
// An attempt given less than this could not connect and get an answer; reporting it as a timeout of a few
// milliseconds would only mislead. (remaining() truncates to whole milliseconds, so the attempts before it
// may each end a little before the deadline and leave crumbs.)
constexpr Duration kMinimumAttempt{20};
}  // namespace

std::vector<ProbeResult> probe_round(const std::vector<Probe>& probes, Duration total, std::size_t max_parallel) {
    std::vector<ProbeResult> results(probes.size());
    if (probes.empty()) return results;
    Deadline deadline = std::chrono::steady_clock::now() + total;
    std::mutex mutex;
    std::condition_variable done_cv;
    std::size_t done = 0;
    std::atomic<bool> cancel{false};
    {
        WorkerPool pool(std::min(std::max<std::size_t>(max_parallel, 1), probes.size()));
        for (std::size_t i = 0; i < probes.size(); ++i) {
            pool.submit([&, i] {
                Duration left = remaining(deadline);
                ProbeResult r;
                if (left < kMinimumAttempt) {
                    r.target = probes[i].target;
                    r.detail = "not probed: the round's " + format_duration(total) + " ran out";
                } else {
                    r = run_attempt(probes[i], AttemptContext{left, &cancel});
                }
                std::lock_guard<std::mutex> lock(mutex);
                results[i] = std::move(r);
                ++done;
                done_cv.notify_all();
            });
        }
        std::unique_lock<std::mutex> lock(mutex);
        while (done < probes.size() && !interrupt::requested()) {
            done_cv.wait_for(lock, std::chrono::milliseconds(50));
        }
        cancel = true;  // interrupted: running attempts stop early; queued ones are dropped by the pool
    }  // the lock is released, then the pool joins its threads
    for (std::size_t i = 0; i < probes.size(); ++i) {
        if (results[i].target.empty()) {
            results[i].target = probes[i].target;
            results[i].detail = "interrupted";
        }
    }
    return results;
}

}  // namespace envctl::health
