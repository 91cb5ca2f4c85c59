#include "envctl/health/prober.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

#include <fmt/format.h>

#include "envctl/util/interrupt.hpp"
#include "worker_pool.hpp"

namespace envctl::health {

namespace {

using std::chrono::duration_cast;
constexpr Duration kMinAttemptTimeout{std::chrono::milliseconds(100)};
constexpr Duration kWaitSlice{std::chrono::milliseconds(50)};  // how often a wait looks at the interrupt flag

struct Tracker {
    const ServiceToProbe* service = nullptr;
    ServiceReport report;
    TimePoint budget_end;
    TimePoint next_attempt;
    bool in_flight = false;
    bool decided = false;
    std::deque<HistoryEntry> tail;  // the last history_limit attempts (the first is report.history[0])
    ProbeResult last;
};

struct Completion {
    std::size_t index = 0;
    HistoryEntry entry;
    TimePoint finished;
};

// Shared between the prober's thread and the workers.
struct Mailbox {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<Completion> completions;
    std::atomic<bool> cancel{false};
};

class Run {
public:
    Run(const std::vector<ServiceToProbe>& services, const ProberOptions& options, Clock& clock)
        : options_(options), clock_(clock) {
        for (const auto& s : services) {
            Tracker t;
            t.service = &s;
            t.report.name = s.name;
            t.report.target = s.probe.target;
            t.budget_end = s.started + s.budget;
            t.next_attempt = clock.now();
            trackers_.push_back(std::move(t));
        }
    }

    std::vector<ServiceReport> execute() {
        std::size_t threads = std::min(options_.max_parallel, std::max<std::size_t>(trackers_.size(), 1));
        WorkerPool pool(threads);  // joined when execute() returns, while mailbox_ still exists
        struct CancelOnExit {      // destroyed before the pool: running attempts stop early, even on a throw
            std::atomic<bool>& flag;
            ~CancelOnExit() { flag = true; }
        } cancel_on_exit{mailbox_.cancel};
        while (undecided() > 0 && !stop_) {
            if (interrupt::requested()) {
                cancel_rest("interrupted");
                break;
            }
            harvest();
            if (stop_) break;
            dispatch(pool);
            if (stop_ || undecided() == 0) break;
            if (!wait()) cancel_rest("interrupted");
        }
        std::vector<ServiceReport> reports;
        for (auto& t : trackers_) {
            finish_history(t);
            reports.push_back(std::move(t.report));
        }
        return reports;
    }

private:
    std::size_t undecided() const {
        return static_cast<std::size_t>(std::count_if(trackers_.begin(), trackers_.end(), [](const Tracker& t) { return !t.decided; }));
    }

    Duration since_start(const Tracker& t, TimePoint at) const {
        return duration_cast<Duration>(at - t.service->started);
    }

    void decide(Tracker& t, Verdict verdict, FailCause cause, std::string reason, TimePoint at) {
        t.decided = true;
        t.report.verdict = verdict;
        t.report.cause = cause;
        t.report.reason = std::move(reason);
        t.report.decided_after = since_start(t, at);
        if (verdict == Verdict::ready) t.report.ready_after = t.report.decided_after;
        if (options_.on_event) {
            ServiceReport snapshot = t.report;
            snapshot.history.insert(snapshot.history.end(), t.tail.begin(), t.tail.end());
            options_.on_event(snapshot);
        }
        if (options_.fail_fast && (verdict == Verdict::failed || verdict == Verdict::timed_out)) {
            cancel_rest("stopped: " + t.report.name + " " + to_string(verdict));
        }
    }

    void cancel_rest(const std::string& reason) {
        stop_ = true;
        mailbox_.cancel = true;
        TimePoint now = clock_.now();
        for (auto& t : trackers_) {
            if (t.decided) continue;
            t.decided = true;
            t.report.verdict = Verdict::cancelled;
            t.report.reason = reason;
            t.report.decided_after = since_start(t, now);
        }
    }

    void record(Tracker& t, const HistoryEntry& entry) {
        t.report.attempts += 1;
        t.last = entry.result;
        if (t.report.history.empty()) {
            t.report.history.push_back(entry);
            return;
        }
        t.tail.push_back(entry);
        if (t.tail.size() > options_.history_limit) {
            t.tail.pop_front();
            t.report.history_dropped += 1;
        }
    }

    static void finish_history(Tracker& t) {
        t.report.history.insert(t.report.history.end(), t.tail.begin(), t.tail.end());
        t.tail.clear();
    }

    void harvest() {
        std::vector<Completion> done;
        {
            std::lock_guard<std::mutex> lock(mailbox_.mutex);
            done.swap(mailbox_.completions);
        }
        for (auto& c : done) {
            Tracker& t = trackers_[c.index];
            t.in_flight = false;
            if (t.decided) continue;
            record(t, c.entry);
            const ProbeResult& r = c.entry.result;
            if (r.outcome == Outcome::ok) decide(t, Verdict::ready, FailCause::none, r.describe(), c.finished);
            else if (r.outcome == Outcome::failed) decide(t, Verdict::failed, FailCause::probe_failed, r.describe(), c.finished);
            if (stop_) return;
        }
    }

    std::string timeout_reason(const Tracker& t) const {
        std::string last = t.report.attempts == 0 ? "no attempt finished" : "last: " + t.last.describe();
        return fmt::format("not ready within {} ({} attempts; {})", format_duration(t.service->budget),
                           t.report.attempts, last);
    }

    void dispatch(WorkerPool& pool) {
        for (std::size_t i = 0; i < trackers_.size() && !stop_; ++i) {
            Tracker& t = trackers_[i];
            if (t.decided || t.in_flight) continue;
            TimePoint now = clock_.now();
            bool out_of_budget = now >= t.budget_end && t.report.attempts > 0;
            if (!out_of_budget && now < t.next_attempt) continue;
            if (options_.container_exit) {
                if (auto why = options_.container_exit(t.report.name)) {
                    decide(t, Verdict::failed, FailCause::container_exited, *why, now);
                    continue;
                }
            }
            if (out_of_budget) {
                decide(t, Verdict::timed_out, FailCause::none, timeout_reason(t), now);
                continue;
            }
            start_attempt(pool, i, now);
        }
    }

    void start_attempt(WorkerPool& pool, std::size_t index, TimePoint now) {
        Tracker& t = trackers_[index];
        Duration left = duration_cast<Duration>(t.budget_end - now);
        Duration timeout = std::min(options_.attempt_timeout, std::max(left, kMinAttemptTimeout));
        t.in_flight = true;
        t.next_attempt = now + options_.poll_interval;
        Duration at = since_start(t, now);
        const Probe* probe = &t.service->probe;
        Mailbox* mailbox = &mailbox_;
        Clock* clock = &clock_;
        pool.submit([index, at, timeout, probe, mailbox, clock] {
            AttemptContext ctx{timeout, &mailbox->cancel};
            ProbeResult result = run_attempt(*probe, ctx);
            Completion c{index, HistoryEntry{at, std::move(result)}, clock->now()};
            {
                std::lock_guard<std::mutex> lock(mailbox->mutex);
                mailbox->completions.push_back(std::move(c));
            }
            mailbox->arrived.notify_all();
        });
    }

    // Waits until an attempt completes or the next idle service is due. False when interrupted.
    bool wait() {
        bool any_in_flight = false;
        std::optional<TimePoint> wake;
        for (const auto& t : trackers_) {
            if (t.decided) continue;
            if (t.in_flight) {
                any_in_flight = true;
                continue;
            }
            TimePoint due = std::min(t.next_attempt, t.budget_end);
            wake = wake ? std::min(*wake, due) : due;
        }
        if (!any_in_flight) return clock_.sleep_until(wake.value_or(clock_.now()));
        std::unique_lock<std::mutex> lock(mailbox_.mutex);
        while (mailbox_.completions.empty()) {
            if (interrupt::requested()) return false;
            Duration slice = kWaitSlice;
            if (wake) {
                TimePoint now = clock_.now();
                if (now >= *wake) break;
                slice = std::min(slice, std::chrono::ceil<Duration>(*wake - now));
            }
            mailbox_.arrived.wait_for(lock, slice);
        }
        return true;
    }

    const ProberOptions& options_;
    Clock& clock_;
    std::vector<Tracker> trackers_;
    Mailbox mailbox_;
    bool stop_ = false;
};

}  // namespace

std::string to_string(Verdict v) {
    switch (v) {
    case Verdict::ready: return "ready";
    case Verdict::failed: return "failed";
    case Verdict::timed_out: return "timed_out";
    case Verdict::cancelled: return "cancelled";
    }
    return "unknown";
}

std::vector<ServiceReport> probe_until_decided(const std::vector<ServiceToProbe>& services,
                                               const ProberOptions& options, Clock& clock) {
    Run run(services, options, clock);
    return run.execute();
}

}  // namespace envctl::health
