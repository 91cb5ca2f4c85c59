#include "envctl/orchestration/wait_rule.hpp"

namespace envctl::orchestration {
namespace {

WaitRule::Decision failure(const State& state, const std::string& note) {
    WaitRule::Decision d;
    d.action = WaitRule::Action::fail;
    d.code = state.failure_code ? static_cast<ExitCode>(*state.failure_code) : ExitCode::service_failed;
    if (d.code == ExitCode::ok) d.code = ExitCode::service_failed;  // a foreign file: a failure is never 0
    d.message = "the last " + (state.command.empty() ? std::string("up") : state.command) + " failed: " + state.failure +
                (state.report.empty() ? "" : " (report: " + state.report + ")") + note;
    return d;
}

}  // namespace

// The same record the waiter saw when it started: same run, same write.
bool WaitRule::seen_at_start(const State& state) const {
    return at_start_ && at_start_->phase == state.phase && at_start_->run_id == state.run_id &&
           at_start_->updated_at_ms == state.updated_at_ms;
}

WaitRule::Decision WaitRule::next(const std::optional<State>& state, bool writer_alive, bool up_holds_lock,
                                  health::TimePoint now) const {
    if (state && state->phase == Phase::failed) {
        if (!seen_at_start(*state)) return failure(*state, "");
        if (up_holds_lock) return {Action::wait, ExitCode::ok, ""};
        if (now - started_ >= grace_)
            return failure(*state, " (recorded before this wait-ready began; no new up began within " +
                                       format_duration(grace_) + ")");
        return {Action::wait, ExitCode::ok, ""};
    }
    if (state && state->phase == Phase::starting && writer_alive) return {Action::follow_run, ExitCode::ok, ""};
    return {Action::check_live, ExitCode::ok, ""};
}

}  // namespace envctl::orchestration
