#include "envctl/engine/podman_compose_engine.hpp"

#include <utility>

#include "envctl/core/error.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::engine {

PodmanComposeEngine::PodmanComposeEngine(EngineProject project, ComposeRun run)
    : PodmanBackedEngine(std::move(project)), run_(std::move(run)) {}

void PodmanComposeEngine::create(const std::vector<std::string>& services, Deadline deadline) {
    std::filesystem::path file = run_.prepare_file(run_.expected_hashes);
    for (const auto& service : services) {
        if (run_.expected_hashes.count(service) == 0) {
            throw Error(ExitCode::internal, "service " + service + " is not part of the run file");
        }
    }
    auto to_create = remove_stale(services, [&](const std::string& s) { return run_.expected_hashes.at(s); },
                                  deadline);
    if (to_create.empty()) return;

    // `up --no-start` runs `podman create` for each service (and its dependencies, which fail harmlessly when
    // they exist), creating the network and volumes first. Naming every service of the file would only add
    // arguments, so the services are named only when a subset is missing.
    std::vector<std::string> argv{"podman-compose", "-p", cli().project(), "-f", file.string(), "up", "--no-start"};
    if (to_create.size() < run_.expected_hashes.size()) argv.insert(argv.end(), to_create.begin(), to_create.end());
    auto result = cli().run(argv, deadline, "podman-compose up --no-start", ExitCode::preflight);

    // podman-compose carries on past a failed `podman create` and exits 0: check what exists now.
    std::map<std::string, std::string> found;
    auto containers = cli().list(deadline);
    for (const auto& c : containers) found[c.service] = c.config_hash;
    std::string missing;
    for (const auto& service : to_create) {
        auto it = found.find(service);
        if (it == found.end()) {
            missing += (missing.empty() ? "" : ", ") + service;
        } else if (it->second != run_.expected_hashes.at(service)) {
            throw Error(ExitCode::internal, "podman-compose created " + service + " with config hash " + it->second +
                                                " where the run file says " + run_.expected_hashes.at(service));
        }
    }
    if (!missing.empty()) {
        std::string out = result.err.empty() ? result.out : result.err;
        if (out.size() > 2000) out = "..." + out.substr(out.size() - 2000);
        // podman-compose echoes every podman command line, environment values included.
        throw Error(ExitCode::preflight,
                    "podman-compose did not create " + missing + ":\n" + Redactor::global().redact(out));
    }
    remember(std::move(containers));
}

}  // namespace envctl::engine
