#pragma once
// `envctl up`: create the selected services' containers, start them level by level in dependency order (each level
// once the one before is ready), probe every service under its budget, migrate once postgresql is ready, and on a
// failure write a report, tear the whole environment down (named volumes stay) and try again after a backoff, up
// to `attempts` attempts (or, with keep_on_failure, leave it as it failed and stop). Failures retrying cannot fix
// (settings, preflight, migrations, a probe that says broken, an engine fault) are not retried. An interrupt removes only what
// this command created or started: containers already running when it began stay.
//
// Everything outside the algorithm (the engine, the probes, the migrator, the clock, progress) comes in through
// UpDeps, so the orchestrator is tested against a fake engine.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/exit_code.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/health/probe.hpp"
#include "envctl/orchestration/retry_policy.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/ui/progress.hpp"

namespace envctl::orchestration {

// The service whose readiness includes "migrated and compliant".
inline constexpr const char* kMigratedService = "postgresql";

struct UpDeps {
    engine::Engine& engine;
    health::Clock& clock;
    ui::Progress& progress;
    std::function<health::Probe(const descriptors::ServiceDescriptor&)> make_probe;
    // Migrates every database; throws Error(migration) with the report's summary on failure. Empty: no migrations.
    std::function<void(Deadline)> migrate;
    UniformRandom random = default_random();
    // Runs first, before anything is removed or started; refuses by throwing Error(preflight). Empty: none.
    std::function<void()> preflight = {};
    // Doctor's fix for an engine's error text ("" when it knows none): an engine fault's message carries it.
    std::function<std::string(const std::string&)> diagnose = {};
};

struct UpRequest {
    std::vector<std::string> services;   // already expanded with their dependencies, declaration order
    int attempts = 3;
    std::string command = "up";          // "up" or "reset" (named in state and reports)
    std::string run_id = {};             // from begin_run (state.hpp); empty: run_up makes a new one
    // `reset`: after preflight, before the first attempt, remove containers and named volumes: the whole
    // project's (an empty list), or only these services'.
    std::optional<std::vector<std::string>> reset = std::nullopt;
    bool keep_on_failure = false;        // on a failure: no teardown, no retry
};

struct ServiceOutcome {
    std::string name;
    bool ready = false;
    std::optional<std::int64_t> ready_after_ms;
    std::string detail;
};

struct UpOutcome {
    ExitCode code = ExitCode::ok;
    std::string message;                  // one line: why it failed, or "ready"
    std::vector<ServiceOutcome> services;
    std::optional<std::filesystem::path> report;  // the last failure report
    int attempts_made = 0;
    bool kept = false;                    // keep_on_failure: the environment was left as it failed
};

UpOutcome run_up(const settings::Settings& settings, const descriptors::Stack& stack, const UpRequest& request, UpDeps& deps);

}  // namespace envctl::orchestration
