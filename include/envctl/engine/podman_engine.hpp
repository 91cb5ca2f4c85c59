#pragma once
// The native engine: drives podman directly from the run file's settings. The project network and volumes are
// created once; the containers are created concurrently (bounded) and started concurrently, level by level as
// the caller asks. Names and labels are podman-compose's, so podman-compose -p PROJECT -f <run file> sees and
// manages these containers, and this engine sees podman-compose's.

#include <functional>
#include <optional>

#include "envctl/engine/podman_backed_engine.hpp"
#include "envctl/engine/service_spec.hpp"

namespace envctl::engine {

class PodmanEngine : public PodmanBackedEngine {
public:
    // `spec` is built on first create() (resolving the settings then, so remove_all/list work even with
    // settings a create would refuse).
    PodmanEngine(EngineProject project, std::function<ProjectSpec()> spec);

    std::string name() const override { return "podman"; }
    void create(const std::vector<std::string>& services, Deadline deadline) override;

private:
    const ProjectSpec& spec();

    std::function<ProjectSpec()> build_spec_;
    std::optional<ProjectSpec> spec_;
};

}  // namespace envctl::engine
