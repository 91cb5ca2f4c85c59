#include "envctl/engine/podman_engine.hpp"

#include <atomic>
#include <set>
#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/engine/container_spec_json.hpp"
#include "envctl/engine/create_args.hpp"
#include "envctl/util/log.hpp"

namespace envctl::engine {
namespace {

const ServiceSpec& service_of(const ProjectSpec& project, const std::string& service) {
    const ServiceSpec* s = project.find(service);
    if (s == nullptr) throw Error(ExitCode::internal, "service " + service + " is not part of the run file");
    return *s;
}

// Runs remove(i) for every i at once (bounded); false when any of them could not reach the API service.
bool remove_each(std::size_t count, const std::function<bool(std::size_t)>& remove) {
    std::atomic<bool> reached{true};
    rethrow_failures(run_bounded(count, default_parallelism(), [&](std::size_t i) {
        if (!remove(i)) reached = false;
    }));
    return reached;
}

}  // namespace

PodmanEngine::PodmanEngine(EngineProject project, std::function<ProjectSpec()> spec, bool use_api)
    : PodmanBackedEngine(std::move(project)), build_spec_(std::move(spec)), use_api_(use_api) {}

PodmanEngine::~PodmanEngine() = default;

const ProjectSpec& PodmanEngine::spec() const {
    if (!spec_) spec_ = build_spec_();
    return *spec_;
}

void PodmanEngine::create(const std::vector<std::string>& services, Deadline deadline) {
    const ProjectSpec& project = spec();
    std::vector<std::string> volumes;
    std::set<std::string> seen;
    for (const auto& service : services) {
        const ServiceSpec& s = service_of(project, service);
        for (const auto& m : s.mounts) {
            if (!std::filesystem::exists(m.source)) {
                throw Error(ExitCode::usage, "service " + s.name + " mounts " + m.source.string() +
                                                 ", which does not exist: restore it from the repository");
            }
        }
        for (const auto& v : s.volumes) {
            if (seen.insert(v.volume).second) volumes.push_back(v.volume);
        }
    }
    auto missing = remove_stale(services, [&](const std::string& s) { return service_of(project, s).config_hash; },
                                deadline);
    const bool start_api = use_api_ && !api_;
    if (missing.empty()) {
        // Everything exists with its settings: nothing to prepare; the API only if something is to be started.
        if (start_api && !all_running(services)) api_ = PodmanApi::start(cli().environment(), deadline);
        return;
    }
    in_parallel([&] { cli().ensure_network(deadline); },
                [&] {
                    if (start_api) api_ = PodmanApi::start(cli().environment(), deadline);
                    cli().ensure_volumes(volumes, deadline);
                });
}

void PodmanEngine::restart_api(Deadline deadline) {
    api_.reset();
    if (use_api_) api_ = PodmanApi::start(cli().environment(), deadline);
}

void PodmanEngine::remove_all(bool volumes, Deadline deadline) {
    restart_api(deadline);
    PodmanBackedEngine::remove_all(volumes, deadline);
}

void PodmanEngine::remove_services(const std::vector<std::string>& services, bool volumes, Deadline deadline) {
    restart_api(deadline);
    PodmanBackedEngine::remove_services(services, volumes, deadline);
}

bool PodmanEngine::try_remove_project(bool volumes, const std::vector<std::string>& known_volumes,
                                      const StopSeconds& stop_seconds, Deadline deadline) {
    if (!api_) return false;
    const std::string label = std::string(kProjectLabel) + "=" + cli().project();
    std::optional<std::vector<std::string>> containers;
    std::optional<std::vector<std::string>> labelled_volumes;
    std::optional<std::vector<std::string>> existing_volumes;
    in_parallel([&] { containers = api_->containers_labelled(label, deadline); },
                [&] {
                    if (!volumes) {
                        labelled_volumes.emplace();
                        existing_volumes.emplace();
                        return;
                    }
                    labelled_volumes = api_->volumes_labelled(label, deadline);
                    if (labelled_volumes) existing_volumes = api_->volumes(deadline);
                });
    if (!containers || !labelled_volumes || !existing_volumes) return false;
    // Every container at once (their network teardowns queue on netavark's lock), then the network and volumes,
    // which the containers no longer hold. Anything unreachable half-way: podman processes do it all again.
    if (!remove_each(containers->size(), [&](std::size_t i) {
            const std::string& name = (*containers)[i];
            return api_->remove_container(name, stop_seconds(name), deadline);
        }))
        return false;
    const auto volume_names = volumes_to_remove(known_volumes, *labelled_volumes, *existing_volumes);
    return remove_each(volume_names.size() + 1, [&](std::size_t i) {
        return i == 0 ? api_->remove_network(network_name(cli().project()), deadline)
                      : api_->remove_volume(volume_names[i - 1], deadline);
    });
}

bool PodmanEngine::try_remove_named(const std::vector<PodmanCli::Removal>& containers,
                                    const std::vector<std::string>& volumes, Deadline deadline) {
    if (!api_) return false;
    return remove_each(containers.size(),
                       [&](std::size_t i) {
                           return api_->remove_container(containers[i].container, containers[i].stop_seconds, deadline);
                       }) &&
           remove_each(volumes.size(), [&](std::size_t i) { return api_->remove_volume(volumes[i], deadline); });
}

void PodmanEngine::start_jobs(const std::vector<PodmanCli::StartJob>& jobs, Deadline deadline) {
    if (!api_) {
        PodmanBackedEngine::start_jobs(jobs, deadline);
        return;
    }
    const ProjectSpec& project = spec();
    auto failures = run_bounded(jobs.size(), default_parallelism(), [&](std::size_t i) {
        const PodmanCli::StartJob& job = jobs[i];
        auto create = [&] {
            return api_->create_container(container_spec_json(project, service_of(project, job.service)), deadline);
        };
        const bool creates = !job.run_argv.empty();  // a missing container: create, then start
        if ((!creates || create()) && api_->start_container(job.container, deadline)) return;
        // The service stopped answering: this job as podman processes (a create that went through is started).
        log::debug("{}: through podman processes", job.container);
        bool exists = cli().run_allowing_failure({"podman", "container", "exists", job.container}, deadline,
                                                 "checking container " + job.container).ok();
        PodmanCli::StartJob fallback = job;
        if (exists) fallback.run_argv.clear();
        cli().start({fallback}, deadline);
    });
    rethrow_failures(failures);
}

std::optional<std::vector<std::string>> PodmanEngine::run_argv(const std::string& service) const {
    const ProjectSpec& project = spec();
    std::vector<std::string> argv{"podman"};
    auto args = run_args(project, service_of(project, service));
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

std::map<std::string, std::string> PodmanEngine::run_environment(const std::string& service) const {
    return engine::run_environment(service_of(spec(), service));
}

}  // namespace envctl::engine
