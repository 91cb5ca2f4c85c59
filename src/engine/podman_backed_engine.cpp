#include "envctl/engine/podman_backed_engine.hpp"

#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/engine/service_spec.hpp"
#include "envctl/util/log.hpp"

namespace envctl::engine {
namespace {

// Stop grace when tearing down: keeping data (a retry, `down`) gives processes a second to shut down cleanly;
// deleting the data too (`down --volumes`, `reset`) needs none. A container that ignores SIGTERM costs at most
// this once, since podman removes the containers of one call in parallel.
constexpr int kStopSecondsKeepingData = 1;
constexpr int kStopSecondsDeletingData = 0;
constexpr int kStopSecondsRecreate = 1;

std::map<std::string, ContainerInfo> by_service(std::vector<ContainerInfo> containers) {
    std::map<std::string, ContainerInfo> out;
    for (auto& c : containers) {
        if (!c.service.empty()) out[c.service] = std::move(c);
    }
    return out;
}

}  // namespace

PodmanBackedEngine::PodmanBackedEngine(EngineProject project)
    : cli_(std::move(project.project), std::move(project.environment)),
      known_volumes_(std::move(project.known_volumes)) {}

std::string PodmanBackedEngine::container(const std::string& service) const {
    return container_name(cli_.project(), service);
}

std::optional<std::vector<std::string>> PodmanBackedEngine::run_argv(const std::string& /*service*/) const {
    return std::nullopt;
}

std::map<std::string, std::string> PodmanBackedEngine::run_environment(const std::string& /*service*/) const {
    return {};
}

void PodmanBackedEngine::start_jobs(const std::vector<PodmanCli::StartJob>& jobs, Deadline deadline) {
    cli_.start(jobs, deadline);
}

std::vector<ContainerInfo> PodmanBackedEngine::list(Deadline deadline) { return cli_.list(deadline); }

std::vector<std::string> PodmanBackedEngine::remove_stale(
    const std::vector<std::string>& services, const std::function<std::string(const std::string&)>& expected_hash,
    Deadline deadline) {
    known_.reset();
    auto existing = by_service(cli_.list(deadline));
    std::vector<std::string> stale_containers;
    std::vector<std::string> to_create;
    for (const auto& service : services) {
        auto it = existing.find(service);
        if (it == existing.end()) {
            to_create.push_back(service);
            continue;
        }
        std::string expected = expected_hash(service);
        if (it->second.config_hash == expected) continue;
        log::info("{}: settings changed (config hash {} -> {}), recreating its container", service,
                  it->second.config_hash.empty() ? "none" : it->second.config_hash.substr(0, 12),
                  expected.substr(0, 12));
        stale_containers.push_back(it->second.name);
        to_create.push_back(service);
    }
    cli_.remove_containers(stale_containers, kStopSecondsRecreate, deadline);
    for (const auto& service : to_create) existing.erase(service);
    known_ = std::move(existing);
    return to_create;
}

void PodmanBackedEngine::remember(std::vector<ContainerInfo> containers) { known_ = by_service(std::move(containers)); }

bool PodmanBackedEngine::all_running(const std::vector<std::string>& services) const {
    if (!known_) return false;
    for (const auto& service : services) {
        auto it = known_->find(service);
        if (it == known_->end() || it->second.state != ContainerState::running) return false;
    }
    return true;
}

void PodmanBackedEngine::start(const std::vector<std::string>& services, Deadline deadline) {
    auto existing = known_ ? std::move(*known_) : by_service(cli_.list(deadline));
    known_.reset();  // until the starts succeed
    std::vector<PodmanCli::StartJob> jobs;
    std::vector<std::string> started;
    for (const auto& service : services) {
        auto it = existing.find(service);
        if (it != existing.end()) {
            if (it->second.state != ContainerState::running) {
                jobs.push_back({service, it->second.name, {}});
                started.push_back(service);
            }
            continue;
        }
        auto argv = run_argv(service);
        if (!argv) throw Error(ExitCode::internal, "cannot start " + service + ": it has no container (create it first)");
        jobs.push_back({service, container(service), std::move(*argv), run_environment(service)});
        started.push_back(service);
    }
    start_jobs(jobs, deadline);
    for (const auto& service : started) {
        ContainerInfo& c = existing[service];
        c.service = service;
        if (c.name.empty()) c.name = container(service);
        c.state = ContainerState::running;
        c.exit_code.reset();
    }
    known_ = std::move(existing);
}

void PodmanBackedEngine::remove_all(bool volumes, Deadline deadline) {
    known_.reset();
    const int stop_seconds = volumes ? kStopSecondsDeletingData : kStopSecondsKeepingData;
    const std::vector<std::string> known = volumes ? known_volumes_ : std::vector<std::string>{};
    if (try_remove_project(volumes, known, stop_seconds, deadline)) return;
    cli_.remove_project(volumes, known, stop_seconds, deadline);
}

bool PodmanBackedEngine::try_remove_project(bool /*volumes*/, const std::vector<std::string>& /*known_volumes*/,
                                            int /*stop_seconds*/, Deadline /*deadline*/) {
    return false;
}

std::vector<std::string> PodmanBackedEngine::log_tail(const std::string& service, int lines, Deadline deadline) {
    return cli_.log_tail(container(service), lines, deadline);
}

ExecResult PodmanBackedEngine::exec(const std::string& service, const std::vector<std::string>& argv,
                                    Deadline deadline) {
    return cli_.exec(container(service), argv, deadline);
}

int PodmanBackedEngine::follow_logs(const std::string& service, int tail,
                                    const std::function<void(const std::string&)>& on_line) {
    return cli_.follow_logs(container(service), tail, on_line);
}

}  // namespace envctl::engine
