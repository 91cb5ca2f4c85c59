#include "envctl/verify/runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "envctl/core/error.hpp"

namespace envctl::verify {
namespace {

using namespace std::chrono_literals;

// Where the checks' threads report back; shared with them, so a check left behind after the grace is still safe.
struct Board {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<bool> done;
    std::vector<Outcome> outcomes;
};

struct Running {
    std::size_t index;
    health::TimePoint deadline;  // on the runner's clock
    std::thread thread;
};

}  // namespace

std::string to_string(Status s) {
    switch (s) {
        case Status::pass: return "pass";
        case Status::fail: return "fail";
        case Status::skipped: return "skipped";
        case Status::timeout: return "timeout";
    }
    return "fail";
}

bool Report::passed() const {
    return std::all_of(checks.begin(), checks.end(),
                       [](const CheckResult& c) { return c.status == Status::pass || c.status == Status::skipped; });
}

Report run_checks(std::vector<Check> checks, const RunOptions& options, health::Clock& clock) {
    Report report;
    auto board = std::make_shared<Board>();
    board->done.assign(checks.size(), false);
    board->outcomes.resize(checks.size());
    const auto start = clock.now();
    const auto clock_deadline = start + options.category_timeout;
    const Deadline check_deadline = Clock::now() + options.category_timeout;  // what the checks themselves see

    std::vector<Running> running;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        auto& c = checks[i];
        report.checks.push_back({c.category, c.service, c.name, Status::skipped, Duration{0}, c.skip_reason});
        if (!c.skip_reason.empty()) continue;
        if (!c.run) {
            report.checks.back().status = Status::fail;
            report.checks.back().detail = "the check has nothing to run";
            continue;
        }
        running.push_back({i, clock_deadline, std::thread([board, i, fn = std::move(c.run), check_deadline] {
                               Outcome o;
                               try {
                                   o = fn(check_deadline);
                               } catch (const std::exception& e) {
                                   o = {false, e.what()};
                               }
                               std::lock_guard<std::mutex> lock(board->mutex);
                               board->outcomes[i] = std::move(o);
                               board->done[i] = true;
                               board->changed.notify_all();
                           })});
    }

    // Collect results as they come; a check past its category's deadline is a timeout.
    std::vector<bool> settled(checks.size(), false);
    std::size_t open = running.size();
    bool interrupted = false;
    while (open > 0) {
        bool progress = false;
        {
            std::unique_lock<std::mutex> lock(board->mutex);
            board->changed.wait_for(lock, 5ms, [&] {
                return std::any_of(running.begin(), running.end(),
                                   [&](const Running& r) { return !settled[r.index] && board->done[r.index]; });
            });
            for (auto& r : running) {
                if (settled[r.index] || !board->done[r.index]) continue;
                auto& result = report.checks[r.index];
                result.status = board->outcomes[r.index].ok          ? Status::pass
                                : board->outcomes[r.index].timed_out ? Status::timeout
                                                                     : Status::fail;
                result.detail = board->outcomes[r.index].detail;
                result.duration = std::chrono::duration_cast<Duration>(clock.now() - start);
                settled[r.index] = true;
                --open;
                progress = true;
            }
        }
        if (open == 0) break;
        const auto now = clock.now();
        for (auto& r : running) {
            if (settled[r.index] || now < r.deadline) continue;
            auto& result = report.checks[r.index];
            result.status = Status::timeout;
            result.detail = fmt::format("still running at the category's deadline ({})", format_duration(options.category_timeout));
            result.duration = options.category_timeout;
            settled[r.index] = true;
            --open;
        }
        if (open == 0 || progress) continue;
        if (!clock.sleep_until(std::min(now + options.poll, clock_deadline))) {
            interrupted = true;
            for (auto& r : running) {
                if (settled[r.index]) continue;
                report.checks[r.index].status = Status::timeout;
                report.checks[r.index].detail = "interrupted";
                settled[r.index] = true;
            }
            break;
        }
    }

    // Late checks get the grace to clean up after themselves; any still running after it is left behind.
    {
        std::unique_lock<std::mutex> lock(board->mutex);
        board->changed.wait_for(lock, options.cleanup_grace, [&] {
            return std::all_of(board->done.begin(), board->done.end(), [](bool d) { return d; }) ||
                   std::all_of(running.begin(), running.end(), [&](const Running& r) { return board->done[r.index]; });
        });
    }
    for (auto& r : running) {
        bool done;
        {
            std::lock_guard<std::mutex> lock(board->mutex);
            done = board->done[r.index];
        }
        if (done) r.thread.join();
        else r.thread.detach();
    }
    if (interrupted) throw Error(ExitCode::interrupted, "verify interrupted (its checks' containers are removed)");

    for (const auto& result : report.checks) {
        auto it = std::find_if(report.categories.begin(), report.categories.end(),
                               [&](const CategoryResult& c) { return c.name == result.category; });
        if (it == report.categories.end()) {
            report.categories.push_back({result.category});
            it = std::prev(report.categories.end());
        }
        switch (result.status) {
            case Status::pass: ++it->passed; break;
            case Status::fail: ++it->failed; break;
            case Status::skipped: ++it->skipped; break;
            case Status::timeout: ++it->timeout; break;
        }
        it->duration = std::max(it->duration, result.duration);
    }
    return report;
}

}  // namespace envctl::verify
