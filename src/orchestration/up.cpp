#include "envctl/orchestration/up.hpp"

#include <unistd.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/health/container_watch.hpp"
#include "envctl/health/probe_factory.hpp"
#include "envctl/health/prober.hpp"
#include "envctl/orchestration/engine_fault.hpp"
#include "envctl/orchestration/failure_report.hpp"
#include "envctl/orchestration/removal.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/utf8.hpp"

namespace envctl::orchestration {
namespace {

using namespace std::chrono_literals;

constexpr int kLogTailLines = 50;
constexpr auto kEngineStepBudget = 5min;   // create or start of one level, whatever the engine
constexpr auto kTeardownBudget = 2min;

struct AttemptFailure {
    FailureKind kind = FailureKind::internal;
    std::string message;
    std::vector<ServiceFailure> services;
    std::string fault;  // for an engine fault: what happened ("network setup failed")
};

// The service whose container an engine message names (PROJECT_SERVICE_1), or "(environment)".
std::string service_named_in(const std::string& message, const std::string& project, const std::vector<std::string>& services) {
    for (const auto& s : services)
        if (message.find(project + "_" + s + "_1") != std::string::npos) return s;
    return "(environment)";
}

// An error of an attempt that the engine's own words show no retry can fix becomes an engine fault, with doctor's
// diagnosis (when it has one) in its message.
AttemptFailure failure_from(const Error& e, const settings::Settings& settings, const UpRequest& request,
                            const UpDeps& deps) {
    AttemptFailure failure{classify(e.code()), utf8::valid(e.what()), {}, ""};
    if (!retryable(failure.kind)) return failure;
    auto fault = engine_fault(e.what());
    if (!fault) return failure;
    failure.kind = FailureKind::engine_fault;
    failure.fault = *fault;
    std::string fix = deps.diagnose ? deps.diagnose(e.what()) : "";
    if (fix.empty()) fix = "run `envctl doctor`";
    failure.message = utf8::valid(fmt::format("{}: {} (fix: {})", *fault, e.what(), fix));
    failure.services.push_back({service_named_in(e.what(), settings.project, request.services),
                                fmt::format("{} ({})", to_string(FailureKind::engine_fault), *fault),
                                failure.message, std::nullopt, {}, {}});
    return failure;
}

std::int64_t epoch_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Runs one attempt: everything a fresh `up` does. Returns nullopt when every service is ready.
class Attempt {
public:
    Attempt(const settings::Settings& settings, const descriptors::Stack& stack, const UpRequest& request, UpDeps& deps,
            State& state, std::mutex& state_mutex, std::map<std::string, ServiceOutcome>& outcomes,
            const std::map<std::string, ServiceState>& previous, std::optional<ContainerSnapshot>& command_began)
        : settings_(settings), stack_(stack), request_(request), deps_(deps), state_(state), state_mutex_(state_mutex),
          outcomes_(outcomes), previous_(previous), command_began_(command_began) {}

    std::optional<AttemptFailure> run() {
        // What already runs keeps its time to ready: a second `up` of a ready environment changes nothing.
        ContainerSnapshot before;
        for (auto& c : deps_.engine.list(Clock::now() + 30s)) before[c.service] = c;
        if (!command_began_) command_began_ = before;  // the first attempt's: what an interrupt leaves alone

        deps_.progress.note(fmt::format("creating {} containers ({})", request_.services.size(), deps_.engine.name()));
        deps_.engine.create(request_.services, Clock::now() + kEngineStepBudget);
        check_interrupt();
        for (const auto& level : stack_.levels(request_.services)) {
            if (auto failure = start_and_probe(level, before)) return failure;
        }
        return std::nullopt;
    }

private:
    static void check_interrupt() {
        if (interrupt::requested()) throw Error(ExitCode::interrupted, "interrupted");
    }

    void record(const std::string& service, bool ready, std::optional<std::int64_t> after_ms, const std::string& detail) {
        std::lock_guard lock(state_mutex_);
        outcomes_[service] = {service, ready, after_ms, detail};
        state_.service_states[service] = {ready, after_ms, detail};
        write_state(settings_.state_dir() / "state.json", state_);
    }

    std::optional<AttemptFailure> start_and_probe(const std::vector<std::string>& level,
                                                  const std::map<std::string, engine::ContainerInfo>& before) {
        for (const auto& s : level) deps_.progress.service(s, "starting");
        deps_.engine.start(level, Clock::now() + kEngineStepBudget);
        check_interrupt();
        std::map<std::string, engine::ContainerInfo> now_running;
        for (auto& c : deps_.engine.list(Clock::now() + 30s)) now_running[c.service] = c;

        std::vector<health::ServiceToProbe> probes;
        const auto system_now = epoch_ms_now();
        for (const auto& s : level) {
            const auto& desc = stack_.get(s);
            health::ServiceToProbe p;
            p.name = s;
            p.probe = deps_.make_probe(desc);
            p.budget = health::ready_budget(desc, settings_);
            p.started = deps_.clock.now();
            if (auto it = now_running.find(s); it != now_running.end() && it->second.started_at_ms) {
                auto age = std::max<std::int64_t>(0, system_now - *it->second.started_at_ms);
                p.started = deps_.clock.now() - std::chrono::milliseconds(age);
            }
            probes.push_back(std::move(p));
            deps_.progress.service(s, "probing " + probes.back().probe.target);
        }

        // Seeded with the list just made; later lists run on the watch's own thread, never delaying a probe.
        health::ContainerWatch watch(deps_.engine, deps_.clock, std::chrono::milliseconds(500), now_running);
        health::ProberOptions options;
        options.fail_fast = true;
        options.container_exit = [&](const std::string& s) { return watch.exit_reason(s); };
        options.on_event = [&](const health::ServiceReport& r) {
            if (r.verdict == health::Verdict::ready) {
                auto ms = r.ready_after ? std::optional<std::int64_t>(r.ready_after->count()) : std::nullopt;
                auto prev = before.find(r.name);
                bool unchanged = prev != before.end() && prev->second.state == engine::ContainerState::running &&
                                 now_running.count(r.name) && prev->second.id == now_running.at(r.name).id;
                if (unchanged && previous_.count(r.name) && previous_.at(r.name).ready_after_ms)
                    ms = previous_.at(r.name).ready_after_ms;
                bool migrates = r.name == kMigratedService && deps_.migrate;
                deps_.progress.service(r.name, migrates ? "migrating" : fmt::format("ready ({})", format_duration(Duration(ms.value_or(0)))),
                                       !migrates);
                if (!migrates) record(r.name, true, ms, r.reason);
            } else if (r.verdict == health::Verdict::failed || r.verdict == health::Verdict::timed_out) {
                deps_.progress.service(r.name, health::to_string(r.verdict) + ": " + r.reason, false, true);
                record(r.name, false, std::nullopt, r.reason);
            }
        };
        auto reports = health::probe_until_decided(probes, options, deps_.clock);
        check_interrupt();

        AttemptFailure failure;
        for (const auto& r : reports) {
            if (r.verdict == health::Verdict::failed || r.verdict == health::Verdict::timed_out) {
                if (failure.services.empty()) failure.kind = classify(r);
                failure.services.push_back(describe_failure(r, now_running));
            }
        }
        if (!failure.services.empty()) {
            const auto& first = failure.services.front();
            failure.message = first.service + " " + first.cause;
            return failure;
        }
        for (const auto& r : reports) {
            if (r.verdict != health::Verdict::ready) {  // cancelled without a failure: only an interrupt does that
                check_interrupt();
                failure.kind = FailureKind::internal;
                failure.message = r.name + " was not decided";
                return failure;
            }
        }
        if (deps_.migrate && std::find(level.begin(), level.end(), kMigratedService) != level.end()) {
            auto migration_started = deps_.clock.now();
            deps_.migrate(Clock::now() + settings_.vars.duration("MIGRATION_TIMEOUT") + 10s);
            const auto& r = reports[static_cast<std::size_t>(std::find(level.begin(), level.end(), kMigratedService) - level.begin())];
            auto ms = r.ready_after.value_or(Duration{0}) +
                      std::chrono::duration_cast<Duration>(deps_.clock.now() - migration_started);
            deps_.progress.service(kMigratedService, fmt::format("ready, migrated ({})", format_duration(ms)), true);
            record(kMigratedService, true, ms.count(), "migrated and compliant");
        }
        return std::nullopt;
    }

    ServiceFailure describe_failure(const health::ServiceReport& r, const std::map<std::string, engine::ContainerInfo>& running) {
        ServiceFailure f;
        f.service = r.name;
        f.kind = health::to_string(r.verdict);
        f.cause = r.target.empty() ? r.reason : fmt::format("{} ({})", r.reason, r.target);
        for (const auto& h : r.history)
            f.probes.push_back({h.at.count(), h.result.target, health::to_string(h.result.outcome), h.result.describe(),
                                h.result.latency.count()});
        try {
            for (auto& c : deps_.engine.list(Clock::now() + 30s))
                if (c.service == r.name) f.exit_code = c.state == engine::ContainerState::exited ? c.exit_code : std::nullopt;
            for (const auto& line : deps_.engine.log_tail(r.name, kLogTailLines, Clock::now() + 30s))
                f.log_tail.push_back(utf8::valid(line));  // a container prints whatever bytes it likes
        } catch (const std::exception& e) {
            f.log_tail = {utf8::valid(std::string("(logs unavailable: ") + e.what() + ")")};
        }
        (void)running;
        return f;
    }

    const settings::Settings& settings_;
    const descriptors::Stack& stack_;
    const UpRequest& request_;
    UpDeps& deps_;
    State& state_;
    std::mutex& state_mutex_;
    std::map<std::string, ServiceOutcome>& outcomes_;
    const std::map<std::string, ServiceState>& previous_;
    std::optional<ContainerSnapshot>& command_began_;
};

void teardown(UpDeps& deps) {
    interrupt::CleanupScope cleanup;
    try {
        deps.engine.remove_all(false, Clock::now() + kTeardownBudget);
    } catch (const std::exception& e) {
        log::warn("teardown: {}", e.what());
    }
}

// After an interrupt: what this command created or started goes, what ran before it stays. Nothing was created
// before the first listing of the project (`began` empty).
void remove_after_interrupt(UpDeps& deps, const std::optional<ContainerSnapshot>& began,
                            const std::vector<std::string>& services) {
    if (!began) {
        deps.progress.note("interrupted before anything was started");
        return;
    }
    deps.progress.note("interrupted: removing what this command created or started");
    interrupt::CleanupScope cleanup;
    try {
        auto done = remove_started_by_command(deps.engine, *began, services, Clock::now() + kTeardownBudget);
        if (!done.left_running.empty())
            deps.progress.note(fmt::format("left running as before: {}", fmt::join(done.left_running, ", ")));
    } catch (const std::exception& e) {
        log::warn("removing what this command started: {}", e.what());
    }
}

UpOutcome run_attempts(const settings::Settings& settings, const descriptors::Stack& stack, const UpRequest& request,
                       UpDeps& deps, std::optional<ContainerSnapshot>& command_began) {
    const auto state_file = settings.state_dir() / "state.json";
    std::mutex state_mutex;
    // The previous run's records only keep the time to ready of containers this run leaves running; its ready flags
    // are not this run's (a waiter would take them for it, about containers that may be recreated).
    std::map<std::string, ServiceState> previous;
    State state;
    if (auto before = read_state(state_file)) {
        previous = before->service_states;
        if (!request.run_id.empty() && before->run_id == request.run_id) state.started_at_ms = before->started_at_ms;
    }
    state.run_id = request.run_id.empty() ? new_run_id() : request.run_id;
    if (state.started_at_ms == 0) state.started_at_ms = epoch_ms_now();
    state.phase = Phase::starting;
    state.pid = ::getpid();
    state.command = request.command;
    state.attempts = request.attempts;
    state.services = request.services;
    write_state(state_file, state);
    deps.progress.set_services(request.services);

    BackoffPolicy policy;
    policy.attempts = request.attempts;
    UpOutcome outcome;
    std::map<std::string, ServiceOutcome> outcomes;
    auto finish = [&](ExitCode code, std::string message) {
        outcome.code = code;
        outcome.message = std::move(message);
        for (const auto& s : request.services)
            outcome.services.push_back(outcomes.count(s) ? outcomes[s] : ServiceOutcome{s, false, std::nullopt, "not started"});
        std::lock_guard lock(state_mutex);
        state.phase = code == ExitCode::ok ? Phase::ready : code == ExitCode::interrupted ? Phase::stopped : Phase::failed;
        state.failure_code = code == ExitCode::ok ? std::nullopt : std::optional<int>(to_int(code));
        state.failure = code == ExitCode::ok ? "" : outcome.message;
        state.report = outcome.report ? outcome.report->string() : "";
        write_state(state_file, state);
        return outcome;
    };

    for (int attempt = 1; attempt <= request.attempts; ++attempt) {
        outcome.attempts_made = attempt;
        {
            std::lock_guard lock(state_mutex);
            state.attempt = attempt;
            write_state(state_file, state);
        }
        if (attempt > 1) deps.progress.note(fmt::format("attempt {} of {}", attempt, request.attempts));
        std::optional<AttemptFailure> failure;
        try {
            failure = Attempt(settings, stack, request, deps, state, state_mutex, outcomes, previous, command_began).run();
        } catch (const Error& e) {
            if (e.code() == ExitCode::interrupted || interrupt::requested()) {
                remove_after_interrupt(deps, command_began, request.services);
                return finish(ExitCode::interrupted, "interrupted");
            }
            failure = failure_from(e, settings, request, deps);
        } catch (const std::exception& e) {
            // A bug (or a library's exception) is a failed attempt like any other: report, teardown, a final state.
            failure = AttemptFailure{FailureKind::internal, utf8::valid(std::string("internal error: ") + e.what()), {}, ""};
        }
        if (!failure) return finish(ExitCode::ok, "ready");

        FailureReport report;
        report.project = settings.project;
        report.command = request.command;
        report.attempt = attempt;
        report.attempts = request.attempts;
        report.engine = deps.engine.name();
        report.failures = failure->services;
        if (report.failures.empty()) report.failures.push_back({"(environment)", std::string(to_string(failure->kind)), failure->message, std::nullopt, {}, {}});
        for (const auto& [name, o] : outcomes)
            if (o.ready) report.ready_services.push_back(name);
        report.environment = request.keep_on_failure
                                 ? "left as it failed (--keep-on-failure): no teardown, no retry; `envctl down` removes it"
                                 : "torn down (named volumes kept)";
        try {
            outcome.report = write_failure_report(settings.reports_dir(), report);
        } catch (const std::exception& e) {  // no report is no reason to leave the environment half-started
            log::warn("could not write the failure report: {}", e.what());
        }
        deps.progress.note(fmt::format("attempt {} of {} failed: {} (report: {})", attempt, request.attempts,
                                       failure->message, outcome.report ? outcome.report->string() : "none"));
        if (request.keep_on_failure) {
            deps.progress.note("--keep-on-failure: the environment is left as it failed (no teardown, no retry)");
            outcome.kept = true;
            return finish(exit_code(failure->kind), failure->message);
        }
        teardown(deps);
        if (interrupt::requested()) return finish(ExitCode::interrupted, "interrupted");

        auto delay = retryable(failure->kind) ? backoff_delay(policy, attempt, deps.random) : std::nullopt;
        if (!delay) {
            if (failure->kind == FailureKind::engine_fault)
                deps.progress.note(fmt::format("engine fault ({}): no retry follows: a retry would meet the same engine; "
                                               "fix it first (report: {})", failure->fault, outcome.report ? outcome.report->string() : "none"));
            else if (!retryable(failure->kind))
                deps.progress.note(fmt::format("not retrying: {} cannot be fixed by a retry", to_string(failure->kind)));
            return finish(exit_code(failure->kind), failure->message);
        }
        deps.progress.note(fmt::format("retrying in {}", format_duration(*delay)));
        for (const auto& s : request.services) {
            outcomes.erase(s);
            deps.progress.service(s, "waiting");
        }
        if (!deps.clock.sleep_until(deps.clock.now() + *delay)) return finish(ExitCode::interrupted, "interrupted");
    }
    return finish(ExitCode::internal, "no attempt was made");
}

}  // namespace

UpOutcome run_up(const settings::Settings& settings, const descriptors::Stack& stack, const UpRequest& request, UpDeps& deps) {
    // Nothing is removed before preflight has passed: a busy port or a missing image costs no data. A refusal here
    // (or a failed reset) propagates: nothing was started, so there is nothing to tear down; the caller records it.
    if (deps.preflight) deps.preflight();
    if (request.reset) reset_containers_and_volumes(deps.engine, settings.project, *request.reset, Clock::now() + kTeardownBudget);
    std::optional<ContainerSnapshot> command_began;  // the project as the first attempt found it
    try {
        return run_attempts(settings, stack, request, deps, command_began);
    } catch (const std::exception& e) {
        // Whatever escaped the attempts (state or report not writable, a library's exception): nothing stays
        // half-started and state.json does not stay "starting".
        const auto* error = dynamic_cast<const Error*>(&e);
        const bool interrupted = interrupt::requested() || (error && error->code() == ExitCode::interrupted);
        UpOutcome outcome;
        outcome.code = interrupted ? ExitCode::interrupted
                       : error && error->code() != ExitCode::ok ? error->code()
                                                                : ExitCode::internal;
        outcome.message = utf8::valid(interrupted ? std::string("interrupted")
                                      : error     ? std::string(e.what())
                                                  : std::string("internal error: ") + e.what());
        if (interrupted)
            remove_after_interrupt(deps, command_began, request.services);
        else if (!request.keep_on_failure)
            teardown(deps);
        try {
            const auto state_file = settings.state_dir() / "state.json";
            State state = read_state(state_file).value_or(State{});
            if (!request.run_id.empty()) state.run_id = request.run_id;
            state.phase = interrupted ? Phase::stopped : Phase::failed;
            state.failure_code = to_int(outcome.code);
            state.failure = outcome.message;
            write_state(state_file, state);
        } catch (const std::exception& w) {
            log::warn("could not record the outcome in state.json: {}", w.what());
        }
        return outcome;
    }
}

}  // namespace envctl::orchestration
