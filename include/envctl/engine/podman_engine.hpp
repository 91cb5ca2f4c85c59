#pragma once
// The native engine: drives podman directly from the run file's settings. create() makes the project network
// and volumes once and removes containers whose settings changed; start() starts a level's containers
// concurrently (bounded), creating the missing ones; remove_all() tears the project down. All of it goes through
// podman's REST API (PodmanApi, started by create() beside the network and volumes, or by remove_all()) when it
// answers: no podman process per container or per teardown step, about a fifth less work per container here.
// Without it (or when it stops answering), each missing container is one `podman run -d`, each created one a
// `podman start`, and the teardown PodmanCli's. Names and labels are podman-compose's, so
// podman-compose -p PROJECT -f <run file> sees and manages these containers, and this engine sees its.

#include <functional>
#include <memory>
#include <optional>

#include "envctl/engine/podman_api.hpp"
#include "envctl/engine/podman_backed_engine.hpp"
#include "envctl/engine/service_spec.hpp"

namespace envctl::engine {

class PodmanEngine : public PodmanBackedEngine {
public:
    // `spec` is built on first use by create() or start() (resolving the settings then, so remove_all/list work
    // even with settings a create would refuse).
    // `use_api` false: podman processes only (tests compare the two ways).
    PodmanEngine(EngineProject project, std::function<ProjectSpec()> spec, bool use_api = true);
    ~PodmanEngine() override;

    std::string name() const override { return "podman"; }
    void create(const std::vector<std::string>& services, Deadline deadline) override;
    // Ends the API service first, so nothing it still has in hand (an interrupted create) outlives the teardown,
    // then tears down through a fresh one (kept for a retry's create and starts).
    void remove_all(bool volumes, Deadline deadline) override;
    // The same, for some services only.
    void remove_services(const std::vector<std::string>& services, bool volumes, Deadline deadline) override;

protected:
    std::optional<std::vector<std::string>> run_argv(const std::string& service) const override;
    std::map<std::string, std::string> run_environment(const std::string& service) const override;
    void start_jobs(const std::vector<PodmanCli::StartJob>& jobs, Deadline deadline) override;
    bool try_remove_project(bool volumes, const std::vector<std::string>& known_volumes,
                            const StopSeconds& stop_seconds, Deadline deadline) override;
    bool try_remove_named(const std::vector<PodmanCli::Removal>& containers, const std::vector<std::string>& volumes,
                          Deadline deadline) override;

private:
    const ProjectSpec& spec() const;
    // Ends the API service (with anything it still has in hand) and starts a fresh one for a teardown.
    void restart_api(Deadline deadline);

    std::function<ProjectSpec()> build_spec_;
    mutable std::optional<ProjectSpec> spec_;
    bool use_api_;
    std::unique_ptr<PodmanApi> api_;  // set by create() when there is something to create or start
};

}  // namespace envctl::engine
