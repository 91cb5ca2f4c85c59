#include "envctl/engine/podman_engine.hpp"

#include <set>
#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/engine/create_args.hpp"

namespace envctl::engine {
namespace {

const ServiceSpec& service_of(const ProjectSpec& project, const std::string& service) {
    const ServiceSpec* s = project.find(service);
    if (s == nullptr) throw Error(ExitCode::internal, "service " + service + " is not part of the run file");
    return *s;
}

}  // namespace

PodmanEngine::PodmanEngine(EngineProject project, std::function<ProjectSpec()> spec)
    : PodmanBackedEngine(std::move(project)), build_spec_(std::move(spec)) {}

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
    if (missing.empty()) return;  // everything exists with its settings: nothing to prepare
    in_parallel([&] { cli().ensure_network(deadline); }, [&] { cli().ensure_volumes(volumes, deadline); });
}

std::optional<std::vector<std::string>> PodmanEngine::run_argv(const std::string& service) const {
    const ProjectSpec& project = spec();
    std::vector<std::string> argv{"podman"};
    auto args = run_args(project, service_of(project, service));
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

}  // namespace envctl::engine
