#pragma once
// The rule a `wait-ready` caller follows about .envctl/state.json (README "wait-ready"; contract):
//   - a failure recorded after the waiter started (a run it saw begin, or any run it did not see at its start)
//     ends it at once, with that run's exit code;
//   - a failure already recorded when it started ends it only if no new up or reset begins within `grace`: a CI job
//     that starts its waiters a moment before its `up` is not ended by the previous pipeline's failure;
//   - while an up runs (its writer alive) the waiter follows that run: only that run's ready flags count;
//   - otherwise (ready, stopped, no state, a dead writer) it checks the live environment.
// Pure: no files, no clock of its own, so every case is tested directly.

#include <optional>
#include <string>

#include "envctl/core/duration.hpp"
#include "envctl/core/exit_code.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/orchestration/state.hpp"

namespace envctl::orchestration {

class WaitRule {
public:
    enum class Action {
        fail,        // end now with `code` and `message`
        follow_run,  // an up runs: look at the environment only once its record says every service is ready
        wait,        // an old failure within the grace period, or a new up holding the lock: read state only
        check_live,  // nothing runs: look at the environment now and then
    };
    struct Decision {
        Action action = Action::check_live;
        ExitCode code = ExitCode::ok;
        std::string message;
    };

    WaitRule(std::optional<State> at_start, health::TimePoint started, Duration grace)
        : at_start_(std::move(at_start)), started_(started), grace_(grace) {}

    // `state`: state.json now; `writer_alive`: the process that wrote it still runs; `up_holds_lock`: an up or
    // reset holds the project lock (it has begun; its first record is on the way).
    Decision next(const std::optional<State>& state, bool writer_alive, bool up_holds_lock, health::TimePoint now) const;

private:
    bool seen_at_start(const State& state) const;

    std::optional<State> at_start_;
    health::TimePoint started_;
    Duration grace_;
};

}  // namespace envctl::orchestration
