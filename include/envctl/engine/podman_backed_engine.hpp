#pragma once
// What both engines do the same way, straight through podman (podman-compose is slow or unfit for these):
// listing, starting created containers concurrently, teardown, log tail, exec. Subclasses only create.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "envctl/engine/engine.hpp"
#include "envctl/engine/podman_cli.hpp"

namespace envctl::engine {

// Stop grace of a service whose descriptor gives none, on the paths that keep data (`down`, a failure's teardown,
// an interrupt, a recreate): a second to shut down cleanly. Deleting the data too (`down --volumes`, `reset`)
// kills at once.
inline constexpr int kDefaultStopSeconds = 1;

// What removing one service's container involves.
struct ServiceTeardown {
    int stop_seconds = kDefaultStopSeconds;     // its descriptor's stop_grace, else kDefaultStopSeconds
    std::vector<std::string> volumes = {};      // its named volumes, full names
};

struct EngineProject {
    std::string project;                        // ENVCTL_PROJECT
    subprocess::Environment environment;        // settings.child_environment()
    std::vector<std::string> known_volumes;     // full names, removed by remove_all(volumes) even when unlabelled
    std::map<std::string, ServiceTeardown> teardown = {};  // per service of the stack; others get the defaults
};

class PodmanBackedEngine : public Engine {
public:
    explicit PodmanBackedEngine(EngineProject project);

    void start(const std::vector<std::string>& services, Deadline deadline) override;
    void remove_all(bool volumes, Deadline deadline) override;
    void remove_services(const std::vector<std::string>& services, bool volumes, Deadline deadline) override;
    std::vector<ContainerInfo> list(Deadline deadline) override;
    std::vector<std::string> log_tail(const std::string& service, int lines, Deadline deadline) override;
    ExecResult exec(const std::string& service, const std::vector<std::string>& argv, Deadline deadline) override;
    int follow_logs(const std::string& service, int tail,
                    const std::function<void(const std::string&)>& on_line) override;
    int stream_logs(const std::string& service, const LogOptions& options,
                    const std::function<void(const std::string&)>& on_line, Deadline deadline) override;

protected:
    // Removes (in one call) the containers of `services` whose io.envctl.config-hash differs from
    // `expected_hash(service)`, and returns the services that now have no container: those to create.
    std::vector<std::string> remove_stale(const std::vector<std::string>& services,
                                          const std::function<std::string(const std::string&)>& expected_hash,
                                          Deadline deadline);
    // The full `podman run -d ...` argv of a service whose container does not exist yet, for engines that create
    // containers as they start them; nullopt (the default): start() refuses a service without a container.
    virtual std::optional<std::vector<std::string>> run_argv(const std::string& service) const;
    // What run_argv's `-e KEY` options take from podman's environment (the default: nothing).
    virtual std::map<std::string, std::string> run_environment(const std::string& service) const;
    // Removes every container of the project (each with stop_seconds(its name) of grace), then its network and,
    // with `volumes`, its volumes (labelled ones and `known_volumes`) some other way than podman processes; false
    // when it could not (not all done), and the podman processes do it. The default: false.
    virtual bool try_remove_project(bool volumes, const std::vector<std::string>& known_volumes,
                                    const StopSeconds& stop_seconds, Deadline deadline);
    // Removes the named containers (with their grace), then the named volumes, as try_remove_project does.
    virtual bool try_remove_named(const std::vector<PodmanCli::Removal>& containers,
                                  const std::vector<std::string>& volumes, Deadline deadline);
    // Runs the start jobs of one start() call, concurrently (bounded); the default through podman processes.
    // Throws service_failed naming each container that did not start.
    virtual void start_jobs(const std::vector<PodmanCli::StartJob>& jobs, Deadline deadline);
    const PodmanCli& cli() const { return cli_; }
    // The name of a service's container (podman-compose's PROJECT_SERVICE_1 unless the engine names them otherwise).
    virtual std::string container(const std::string& service) const;
    // Seconds of stop grace for a container of this project (by name): its service's, or none with `volumes`.
    StopSeconds stop_seconds(bool volumes) const;

    // What this engine knows of the project's containers from its own last listing and what it did since:
    // remove_stale() and remember() set it, start() keeps it up to date, remove_all() drops it. start() works from
    // it instead of listing the project again for every level (a `podman ps` costs about a tenth of a container
    // start here).
    void remember(std::vector<ContainerInfo> containers);
    // Whether every one of `services` has a running container as far as that snapshot knows (false without one).
    bool all_running(const std::vector<std::string>& services) const;

private:
    PodmanCli cli_;
    std::optional<std::map<std::string, ContainerInfo>> known_;
    std::vector<std::string> known_volumes_;
    std::map<std::string, ServiceTeardown> teardown_;
};

}  // namespace envctl::engine
