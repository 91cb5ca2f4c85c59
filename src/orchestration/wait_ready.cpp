#include "envctl/orchestration/wait_ready.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/orchestration/wait_rule.hpp"
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

bool up_holds_lock(const std::string& project) {
    auto holder = ProjectLock::holder(project);
    return holder && (holder->command == "up" || holder->command == "reset");
}

}  // namespace

WaitOutcome wait_ready(const settings::Settings& settings, const descriptors::Stack& stack,
                       const std::vector<std::string>& services, const WaitOptions& options, StatusDeps& deps,
                       health::Clock& clock) {
    const auto state_file = settings.state_dir() / "state.json";
    const auto started = clock.now();
    const auto deadline = started + options.timeout;
    const WaitRule rule(read_state(state_file), started, options.grace);
    WaitOutcome outcome;
    bool checked_live = false;
    auto next_live = started;
    bool announced = false;

    while (true) {
        const auto state = read_state(state_file);
        const auto now = clock.now();
        const auto decision = rule.next(state, state && writer_alive(*state), up_holds_lock(settings.project), now);
        if (decision.action == WaitRule::Action::fail) {
            outcome.code = decision.code;
            outcome.message = decision.message;
            return outcome;
        }
        // While an up runs, its own probes decide; we only look at the environment once it says ready.
        const bool live_now = decision.action == WaitRule::Action::follow_run ? state_says_ready(*state, services)
                              : decision.action == WaitRule::Action::check_live ? now >= next_live
                                                                                 : false;
        if (live_now) {
            outcome.last = collect_status(settings, stack, services, deps);
            checked_live = true;
            next_live = clock.now() + kLivePoll;
            if (outcome.last.ready) {
                outcome.code = ExitCode::ok;
                outcome.message = "ready";
                return outcome;
            }
        } else if (!announced && decision.action != WaitRule::Action::follow_run) {
            log::info("waiting for an up of project {} to begin (timeout {})", settings.project,
                      format_duration(options.timeout));
            announced = true;
        }
        if (clock.now() >= deadline) break;
        if (!clock.sleep_until(std::min(clock.now() + kStatePoll, deadline)))
            throw Error(ExitCode::interrupted, "interrupted");
    }
    if (!checked_live) outcome.last = collect_status(settings, stack, services, deps);
    outcome.code = outcome.last.any_running ? ExitCode::timed_out : ExitCode::not_started;
    std::vector<std::string> waiting;
    for (const auto& s : outcome.last.services)
        if (s.health != "ready") waiting.push_back(s.name + " (" + (s.detail.empty() ? s.health : s.detail) + ")");
    outcome.message = fmt::format("not ready after {}: {}", format_duration(options.timeout),
                                  outcome.last.any_running ? fmt::format("{}", fmt::join(waiting, ", ")) : "nothing is running");
    return outcome;
}

}  // namespace envctl::orchestration
