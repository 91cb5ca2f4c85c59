#pragma once
// A controllable health::Clock for budget and backoff tests: time moves only when the code under test sleeps
// (sleep_until jumps straight to its target) or the test calls advance(). Thread-safe.

#include <mutex>
#include <vector>

#include "envctl/health/clock.hpp"

namespace envctl::test {

class FakeClock final : public health::Clock {
public:
    FakeClock() : now_(std::chrono::steady_clock::time_point{} + std::chrono::hours(1)) {}

    health::TimePoint now() const override {
        std::lock_guard<std::mutex> lock(mutex_);
        return now_;
    }

    bool sleep_until(health::TimePoint t) override {
        std::lock_guard<std::mutex> lock(mutex_);
        sleeps_.push_back(t - now_);
        if (t > now_) now_ = t;
        return true;
    }

    void advance(std::chrono::milliseconds d) {
        std::lock_guard<std::mutex> lock(mutex_);
        now_ += d;
    }

    // How long each sleep_until call asked to sleep (from the time of the call).
    std::vector<health::TimePoint::duration> sleeps() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return sleeps_;
    }

private:
    mutable std::mutex mutex_;
    health::TimePoint now_;
    std::vector<health::TimePoint::duration> sleeps_;
};

}  // namespace envctl::test
