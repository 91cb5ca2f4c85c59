#pragma once
// The time source of the prober and of the retry loop, behind an interface so budget and backoff logic can be
// tested with a controllable clock (tests/support/fake_clock.hpp). The real one is the steady clock.

#include <chrono>

namespace envctl::health {

using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // Sleeps until `t` (returns at once when `t` has passed). Returns false when envctl was interrupted
    // (SIGINT/SIGTERM) before `t`; true otherwise.
    virtual bool sleep_until(TimePoint t) = 0;
};

// The steady clock; sleeps through envctl::interrupt::sleep_for, so Ctrl-C ends a sleep promptly.
Clock& real_clock();

// A container's start time (unix epoch milliseconds, as the engine reports it) on the real steady clock.
TimePoint steady_from_epoch_ms(long long epoch_ms);

}  // namespace envctl::health
