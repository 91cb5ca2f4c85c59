#include "envctl/orchestration/wait_ready.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"

namespace envctl::orchestration {
namespace {

using namespace std::chrono_literals;
constexpr auto kStatePoll = 200ms;   // reading state.json: cheap
constexpr auto kLivePoll = 1s;       // an engine list + probe round: not free with many callers

bool state_says_ready(const State& s, const std::vector<std::string>& services) {
    return std::all_of(services.begin(), services.end(), [&](const std::string& name) {
        auto it = s.service_states.find(name);
        return it != s.service_states.end() && it->second.ready;
    });
}

}  // namespace

WaitOutcome wait_ready(const settings::Settings& settings, const descriptors::Stack& stack,
                       const std::vector<std::string>& services, Duration timeout, StatusDeps& deps) {
    const auto deadline = Clock::now() + timeout;
    const auto state_file = settings.state_dir() / "state.json";
    WaitOutcome outcome;
    bool checked_live = false;
    auto next_live = Clock::now();
    bool announced = false;

    while (true) {
        if (interrupt::requested()) throw Error(ExitCode::interrupted, "interrupted");
        const auto state = read_state(state_file);
        const bool up_running = state && state->phase == Phase::starting && writer_alive(*state);
        const bool lock_held = ProjectLock::holder(settings.project).has_value();

        if (state && state->phase == Phase::failed && !lock_held) {
            outcome.code = state->failure_code ? static_cast<ExitCode>(*state->failure_code) : ExitCode::service_failed;
            outcome.message = "the last " + state->command + " failed: " + state->failure +
                              (state->report.empty() ? "" : " (report: " + state->report + ")");
            return outcome;
        }
        // While an up runs, its own probes decide; we only look at the environment once it says ready.
        const bool live_now = up_running ? state_says_ready(*state, services) : Clock::now() >= next_live;
        if (live_now) {
            outcome.last = collect_status(settings, stack, services, deps);
            checked_live = true;
            next_live = Clock::now() + kLivePoll;
            if (outcome.last.ready) {
                outcome.code = ExitCode::ok;
                outcome.message = "ready";
                return outcome;
            }
        } else if (!announced && !up_running) {
            log::info("waiting for an up of project {} to begin (timeout {})", settings.project, format_duration(timeout));
            announced = true;
        }
        if (Clock::now() >= deadline) break;
        interrupt::sleep_for(std::min<Duration>(kStatePoll, remaining(deadline)));
    }
    if (!checked_live) outcome.last = collect_status(settings, stack, services, deps);
    outcome.code = outcome.last.any_running ? ExitCode::timed_out : ExitCode::not_started;
    std::vector<std::string> waiting;
    for (const auto& s : outcome.last.services)
        if (s.health != "ready") waiting.push_back(s.name + " (" + (s.detail.empty() ? s.health : s.detail) + ")");
    outcome.message = fmt::format("not ready after {}: {}", format_duration(timeout),
                                  outcome.last.any_running ? fmt::format("{}", fmt::join(waiting, ", ")) : "nothing is running");
    return outcome;
}

}  // namespace envctl::orchestration
