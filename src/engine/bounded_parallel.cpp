#include "envctl/engine/bounded_parallel.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>

#include "envctl/core/error.hpp"

namespace envctl::engine {

std::size_t default_parallelism() {
    unsigned cores = std::thread::hardware_concurrency();
    return 4 * static_cast<std::size_t>(cores == 0 ? 1 : cores);
}

std::vector<std::exception_ptr> run_bounded(std::size_t count, std::size_t limit,
                                            const std::function<void(std::size_t)>& task) {
    std::vector<std::exception_ptr> failures(count);
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                task(i);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    std::size_t threads = std::min(count, std::max<std::size_t>(limit, 1));
    if (threads <= 1) {
        worker();
        return failures;
    }
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    return failures;
}

void rethrow_failures(const std::vector<std::exception_ptr>& failures) {
    std::vector<std::exception_ptr> failed;
    for (const auto& f : failures) {
        if (f) failed.push_back(f);
    }
    if (failed.empty()) return;
    if (failed.size() == 1) std::rethrow_exception(failed.front());
    ExitCode code = ExitCode::internal;
    std::string message;
    for (std::size_t i = 0; i < failed.size(); ++i) {
        try {
            std::rethrow_exception(failed[i]);
        } catch (const Error& e) {
            // An interrupt wins: the command must end with 130 whatever else failed meanwhile.
            if (i == 0 || e.code() == ExitCode::interrupted) code = e.code();
            message += (i == 0 ? "" : "\n") + std::string(e.what());
        } catch (const std::exception& e) {
            message += (i == 0 ? "" : "\n") + std::string(e.what());
        }
    }
    throw Error(code, message);
}

void in_parallel(const std::function<void()>& first, const std::function<void()>& second) {
    rethrow_failures(run_bounded(2, 2, [&](std::size_t i) { i == 0 ? first() : second(); }));
}

}  // namespace envctl::engine
