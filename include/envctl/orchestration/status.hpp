#pragma once
// `envctl status` and the readiness check `wait-ready` repeats: one engine list call and one concurrent probe
// round. A service is ready when its container runs and its live probe succeeds; postgresql also needs every
// database migrated and compliant.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/core/exit_code.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/health/probe.hpp"
#include "envctl/migrations/status.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::orchestration {

struct ServiceStatus {
    std::string name;
    std::string group;
    std::string state;      // container state: running, exited, created, missing, ...
    std::string health;     // ready, not_ready, failed, stopped
    std::string endpoint;   // "127.0.0.1:5432" (empty when the service publishes nothing)
    std::optional<std::int64_t> ready_after_ms;
    std::string detail;
};


// Where a service is reached from the host: "host:port" of its first published port ("" when it publishes none).
std::string endpoint_of(const descriptors::ServiceDescriptor& d, const settings::Settings& s);

struct StatusReport {
    std::string project;
    bool ready = false;
    bool any_running = false;
    std::vector<ServiceStatus> services;
    std::vector<migrations::DatabaseStatus> databases;

    // 0 every selected service ready, 5 none running, 4 some not ready.
    ExitCode exit_code() const;
};

struct StatusDeps {
    engine::Engine& engine;
    std::function<health::Probe(const descriptors::ServiceDescriptor&)> make_probe;
    // The databases' migration state; called only when postgresql is selected and its probe answers. Empty: none.
    std::function<std::vector<migrations::DatabaseStatus>()> databases;
    Duration probe_round{std::chrono::seconds(3)};
};

StatusReport collect_status(const settings::Settings& settings, const descriptors::Stack& stack,
                            const std::vector<std::string>& services, StatusDeps& deps);

// {"schema": "envctl.<command>/v1", "project", "ready", "services": [...], "databases": [...]}
nlohmann::json to_json(const StatusReport& report, const std::string& command);
// Human-readable table.
std::string to_text(const StatusReport& report);

}  // namespace envctl::orchestration
