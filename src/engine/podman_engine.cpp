#include "envctl/engine/podman_engine.hpp"

#include <set>
#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/engine/create_args.hpp"
#include "envctl/util/log.hpp"

namespace envctl::engine {

PodmanEngine::PodmanEngine(EngineProject project, std::function<ProjectSpec()> spec)
    : PodmanBackedEngine(std::move(project)), build_spec_(std::move(spec)) {}

const ProjectSpec& PodmanEngine::spec() {
    if (!spec_) spec_ = build_spec_();
    return *spec_;
}

void PodmanEngine::create(const std::vector<std::string>& services, Deadline deadline) {
    const ProjectSpec& project = spec();
    for (const auto& service : services) {
        if (project.find(service) == nullptr) {
            throw Error(ExitCode::internal, "service " + service + " is not part of the run file");
        }
    }
    auto to_create = remove_stale(services, [&](const std::string& s) { return project.find(s)->config_hash; },
                                  deadline);
    if (to_create.empty()) return;

    std::vector<std::string> volumes;
    std::set<std::string> seen;
    for (const auto& service : to_create) {
        for (const auto& v : project.find(service)->volumes) {
            if (seen.insert(v.volume).second) volumes.push_back(v.volume);
        }
    }
    cli().ensure_network(deadline);
    cli().ensure_volumes(volumes, deadline);

    auto failures = run_bounded(to_create.size(), default_parallelism(), [&](std::size_t i) {
        const ServiceSpec& s = *project.find(to_create[i]);
        for (const auto& m : s.mounts) {
            if (!std::filesystem::exists(m.source)) {
                throw Error(ExitCode::usage, "service " + s.name + " mounts " + m.source.string() +
                                                 ", which does not exist: restore it from the repository");
            }
        }
        std::vector<std::string> argv{"podman"};
        auto args = create_args(project, s);
        argv.insert(argv.end(), args.begin(), args.end());
        cli().run(argv, deadline, "creating the container of " + s.name, ExitCode::preflight);
        log::debug("created {}", container_name(project.project, s.name));
    });
    rethrow_failures(failures);
}

}  // namespace envctl::engine
