#pragma once
// The native engine: drives podman directly from the run file's settings. create() makes the project network
// and volumes once and removes containers whose settings changed; start() starts a level's containers
// concurrently (bounded), creating the missing ones with `podman run -d` (one podman process each, where
// create + start would take two: about 30 % of the up time here). Names and labels are podman-compose's, so
// podman-compose -p PROJECT -f <run file> sees and manages these containers, and this engine sees its.

#include <functional>
#include <optional>

#include "envctl/engine/podman_backed_engine.hpp"
#include "envctl/engine/service_spec.hpp"

namespace envctl::engine {

class PodmanEngine : public PodmanBackedEngine {
public:
    // `spec` is built on first use by create() or start() (resolving the settings then, so remove_all/list work
    // even with settings a create would refuse).
    PodmanEngine(EngineProject project, std::function<ProjectSpec()> spec);

    std::string name() const override { return "podman"; }
    void create(const std::vector<std::string>& services, Deadline deadline) override;

protected:
    std::optional<std::vector<std::string>> run_argv(const std::string& service) const override;

private:
    const ProjectSpec& spec() const;

    std::function<ProjectSpec()> build_spec_;
    mutable std::optional<ProjectSpec> spec_;
};

}  // namespace envctl::engine
