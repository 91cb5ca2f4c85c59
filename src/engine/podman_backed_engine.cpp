#include "envctl/engine/podman_backed_engine.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/engine/service_spec.hpp"
#include "envctl/util/log.hpp"

namespace envctl::engine {
namespace {

// Stop grace when deleting the data too (`down --volumes`, `reset`): none. Keeping it, each service's own
// (kDefaultStopSeconds without one); the containers of one teardown stop in parallel, so a container that
// ignores SIGTERM costs its grace once, not once per container.
constexpr int kStopSecondsDeletingData = 0;

std::map<std::string, ContainerInfo> by_service(std::vector<ContainerInfo> containers) {
    std::map<std::string, ContainerInfo> out;
    for (auto& c : containers) {
        if (!c.service.empty()) out[c.service] = std::move(c);
    }
    return out;
}

// The named volumes of `services`, except one a container of another service uses (removing it would remove
// that container too): it stays, with a warning.
std::vector<std::string> volumes_of(const std::map<std::string, ServiceTeardown>& teardown,
                                    const std::vector<std::string>& services,
                                    const std::map<std::string, ContainerInfo>& existing) {
    std::set<std::string> named(services.begin(), services.end());
    std::vector<std::string> out;
    for (const auto& service : services) {
        auto it = teardown.find(service);
        if (it == teardown.end()) continue;
        for (const auto& volume : it->second.volumes) {
            std::string user;
            for (const auto& [other, t] : teardown) {
                if (named.count(other) == 0 && existing.count(other) != 0 &&
                    std::find(t.volumes.begin(), t.volumes.end(), volume) != t.volumes.end())
                    user = other;
            }
            if (!user.empty()) {
                log::warn("volume {} of {} kept: {} uses it too", volume, service, user);
            } else if (std::find(out.begin(), out.end(), volume) == out.end()) {
                out.push_back(volume);
            }
        }
    }
    return out;
}

}  // namespace

PodmanBackedEngine::PodmanBackedEngine(EngineProject project)
    : cli_(std::move(project.project), std::move(project.environment)),
      known_volumes_(std::move(project.known_volumes)), teardown_(std::move(project.teardown)) {}

std::string PodmanBackedEngine::container(const std::string& service) const {
    return container_name(cli_.project(), service);
}

StopSeconds PodmanBackedEngine::stop_seconds(bool volumes) const {
    if (volumes) return [](const std::string&) { return kStopSecondsDeletingData; };
    std::map<std::string, int> by_container;
    for (const auto& [service, t] : teardown_) by_container[container(service)] = t.stop_seconds;
    return [by_container](const std::string& name) {
        auto it = by_container.find(name);
        return it == by_container.end() ? kDefaultStopSeconds : it->second;
    };
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
    std::vector<PodmanCli::Removal> stale_containers;
    std::vector<std::string> to_create;
    const StopSeconds grace = stop_seconds(false);
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
        stale_containers.push_back({it->second.name, grace(it->second.name)});
        to_create.push_back(service);
    }
    cli_.remove_containers(stale_containers, deadline);
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
    const StopSeconds grace = stop_seconds(volumes);
    const std::vector<std::string> known = volumes ? known_volumes_ : std::vector<std::string>{};
    if (try_remove_project(volumes, known, grace, deadline)) return;
    cli_.remove_project(volumes, known, grace, deadline);
}

void PodmanBackedEngine::remove_services(const std::vector<std::string>& services, bool volumes, Deadline deadline) {
    known_.reset();
    const StopSeconds grace = stop_seconds(volumes);
    auto existing = by_service(cli_.list(deadline));
    std::vector<PodmanCli::Removal> containers;
    for (const auto& service : services) {
        auto it = existing.find(service);
        if (it != existing.end()) containers.push_back({it->second.name, grace(it->second.name)});
    }
    std::vector<std::string> volume_names;
    if (volumes) {
        // Only those that exist under exactly their name (see volumes_to_remove in podman_cli.hpp).
        volume_names = volumes_to_remove(volumes_of(teardown_, services, existing), {}, cli_.volumes(true, deadline));
    }
    if (try_remove_named(containers, volume_names, deadline)) return;
    cli_.remove_containers(containers, deadline);
    cli_.remove_volumes(volume_names, deadline);
}

bool PodmanBackedEngine::try_remove_project(bool /*volumes*/, const std::vector<std::string>& /*known_volumes*/,
                                            const StopSeconds& /*stop_seconds*/, Deadline /*deadline*/) {
    return false;
}

bool PodmanBackedEngine::try_remove_named(const std::vector<PodmanCli::Removal>& /*containers*/,
                                          const std::vector<std::string>& /*volumes*/, Deadline /*deadline*/) {
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

int PodmanBackedEngine::stream_logs(const std::string& service, const LogOptions& options,
                                    const std::function<void(const std::string&)>& on_line, Deadline deadline) {
    return cli_.stream_logs(container(service), options, on_line, deadline);
}

}  // namespace envctl::engine
