#include "envctl/orchestration/status.hpp"

#include <algorithm>
#include <future>
#include <map>

#include <fmt/format.h>

#include "envctl/health/prober.hpp"
#include "envctl/migrations/json.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/orchestration/up.hpp"
#include "envctl/settings/connect_host.hpp"

namespace envctl::orchestration {
std::string endpoint_of(const descriptors::ServiceDescriptor& d, const settings::Settings& s) {
    if (d.ports.empty()) return "";
    const auto* value = s.vars.find(d.ports.front().variable);
    return value ? settings::host_port(settings::connect_host(s.bind_address), *value) : "";
}

ExitCode StatusReport::exit_code() const {
    if (ready) return ExitCode::ok;
    if (!any_running) return ExitCode::not_started;
    return ExitCode::service_failed;
}

StatusReport collect_status(const settings::Settings& settings, const descriptors::Stack& stack,
                            const std::vector<std::string>& services, StatusDeps& deps) {
    StatusReport report;
    report.project = settings.project;

    // The listing (one podman ps) runs beside the probe round and the databases' state: they do not depend on it.
    // A service whose container turns out not to be running has its probe result set aside.
    auto listing = std::async(std::launch::async, [&] { return deps.engine.list(Clock::now() + std::chrono::seconds(30)); });
    std::vector<health::Probe> probes;
    for (const auto& name : services) probes.push_back(deps.make_probe(stack.get(name)));
    auto results = health::probe_round(probes, deps.probe_round);
    const auto pg_index = static_cast<std::size_t>(std::find(services.begin(), services.end(), kMigratedService) - services.begin());
    std::vector<migrations::DatabaseStatus> database_states;
    if (deps.databases && pg_index < services.size() && results[pg_index].outcome == health::Outcome::ok)
        database_states = deps.databases();
    std::map<std::string, engine::ContainerInfo> containers;
    for (auto& c : listing.get()) containers[c.service] = c;
    const auto state = read_state(settings.state_dir() / "state.json");

    for (std::size_t i = 0; i < services.size(); ++i) {
        const auto& name = services[i];
        const auto& d = stack.get(name);
        ServiceStatus st;
        st.name = name;
        st.group = descriptors::to_string(d.group);
        st.endpoint = endpoint_of(d, settings);
        auto it = containers.find(name);
        st.state = it == containers.end() ? "missing" : engine::to_string(it->second.state);
        if (it != containers.end() && it->second.state == engine::ContainerState::running) {
            report.any_running = true;
            st.detail = results[i].describe();
            st.health = results[i].outcome == health::Outcome::ok       ? "ready"
                        : results[i].outcome == health::Outcome::failed ? "failed"
                                                                        : "not_ready";
            if (st.health == "ready" && state && state->service_states.count(st.name) &&
                state->service_states.at(st.name).ready)
                st.ready_after_ms = state->service_states.at(st.name).ready_after_ms;
        } else {
            st.health = "stopped";
            st.detail = it == containers.end() ? "no container"
                        : it->second.exit_code ? fmt::format("container {} (exit code {})", st.state, *it->second.exit_code)
                                               : "container " + st.state;
        }
        report.services.push_back(std::move(st));
    }
    // postgresql counts as ready only when every database is migrated and compliant.
    auto pg = std::find_if(report.services.begin(), report.services.end(),
                           [](const ServiceStatus& s) { return s.name == kMigratedService; });
    if (pg != report.services.end() && pg->health == "ready" && deps.databases) {
        report.databases = std::move(database_states);
        for (const auto& db : report.databases) {
            if (!db.ready()) {
                pg->health = "not_ready";
                pg->ready_after_ms.reset();
                pg->detail = db.detail.empty() ? fmt::format("database {} is not migrated and compliant", db.name)
                                               : fmt::format("database {}: {}", db.name, db.detail);
                break;
            }
        }
    }
    report.ready = !report.services.empty() &&
                   std::all_of(report.services.begin(), report.services.end(), [](const ServiceStatus& s) { return s.health == "ready"; });
    return report;
}

nlohmann::json to_json(const StatusReport& report, const std::string& command) {
    nlohmann::json j;
    j["schema"] = "envctl." + command + "/v1";
    j["project"] = report.project;
    j["ready"] = report.ready;
    j["services"] = nlohmann::json::array();
    for (const auto& s : report.services) {
        nlohmann::json sj{{"name", s.name}, {"group", s.group}, {"state", s.state}, {"health", s.health},
                          {"endpoint", s.endpoint.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.endpoint)},
                          {"detail", s.detail}};
        sj["ready_after_ms"] = s.ready_after_ms ? nlohmann::json(*s.ready_after_ms) : nlohmann::json(nullptr);
        j["services"].push_back(sj);
    }
    j["databases"] = nlohmann::json::array();
    for (const auto& d : report.databases) j["databases"].push_back(migrations::to_json(d));
    return j;
}

std::string to_text(const StatusReport& report) {
    std::size_t w = 7;
    for (const auto& s : report.services) w = std::max(w, s.name.size());
    std::string out = fmt::format("{:<{}}  {:<9}  {:<9}  {:<21}  {:>8}  {}\n", "SERVICE", w, "STATE", "HEALTH", "ENDPOINT", "READY IN", "DETAIL");
    for (const auto& s : report.services)
        out += fmt::format("{:<{}}  {:<9}  {:<9}  {:<21}  {:>8}  {}\n", s.name, w, s.state, s.health,
                           s.endpoint.empty() ? "-" : s.endpoint,
                           s.ready_after_ms ? format_duration(Duration(*s.ready_after_ms)) : "-", s.detail);
    for (const auto& d : report.databases)
        out += fmt::format("database {}: version {}, {} pending, {}, {}{}\n", d.name, d.version, d.pending.size(),
                           d.drift.empty() ? "no drift" : "DRIFT", d.compliant ? "compliant" : "NOT compliant",
                           d.detail.empty() ? "" : " (" + d.detail + ")");
    out += report.ready ? "ready\n" : "not ready\n";
    return out;
}

}  // namespace envctl::orchestration
