#pragma once
// What the lifecycle subcommands share: choosing services, building the engine, probes and migrator for the
// orchestrator, and the preflight `up` runs before it starts anything.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/health/probe.hpp"
#include "envctl/orchestration/status.hpp"

namespace envctl::cli {

// The named services (checked to exist) or, when none are named, the profile's; with `with_dependencies`, plus
// their transitive dependencies.
std::vector<std::string> select_services(Context& ctx, const std::vector<std::string>& named, bool with_dependencies);

std::unique_ptr<engine::Engine> make_engine(Context& ctx, const std::vector<std::string>& services);

// Builds a service's probe (a command probe runs through `engine`).
std::function<health::Probe(const descriptors::ServiceDescriptor&)> probe_factory(Context& ctx, engine::Engine& engine);

// The databases' migration state for status/wait-ready (empty function when no database is configured).
std::function<std::vector<migrations::DatabaseStatus>()> database_status(Context& ctx);

// Runs every migration; throws Error(migration) naming the failure. Empty function when nothing to migrate.
std::function<void(Deadline)> migrator(Context& ctx, const std::vector<std::string>& services);

// Refuses (Error preflight, exit 7) before anything starts: an engine that does not answer, a host port held by
// another program (naming it). Images are not its business: pull_absent (cli/pull.hpp) pulls them, after it.
void preflight(Context& ctx, engine::Engine& engine, const std::vector<std::string>& services);

// Writes text on stdout through the redactor.
void print_stdout(const std::string& text);
// Writes a JSON document (and a newline) on stdout, its string values redacted before it is serialized.
void print_json(const nlohmann::json& doc);
void print_json(const nlohmann::ordered_json& doc);

}  // namespace envctl::cli
