#pragma once
// A thin layer over the podman commands both engines use directly, where podman-compose is slow or unfit:
// listing (one `podman ps`), starting created containers concurrently, teardown in one `podman rm` call plus the
// network and volumes, log tails and exec. Every call goes through subprocess::run with the project's
// environment and a timeout taken from the caller's deadline.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/core/exit_code.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::engine {

// Label podman-compose puts on every container, network and volume of a project.
inline constexpr const char* kProjectLabel = "io.podman.compose.project";

// The non-empty lines of a program's output.
std::vector<std::string> output_lines(const std::string& text);

class PodmanCli {
public:
    PodmanCli(std::string project, subprocess::Environment environment);

    const std::string& project() const { return project_; }
    const subprocess::Environment& environment() const { return environment_; }

    // Runs `program args...` (program "podman" unless given). Throws envctl::Error when it does not succeed:
    // timed_out / interrupted / preflight (program missing) / `failure_code` (non-zero exit, with its stderr).
    subprocess::Result run(const std::vector<std::string>& argv, Deadline deadline, const std::string& what,
                           ExitCode failure_code) const;
    // As run(), but a non-zero exit is returned rather than thrown (deadline, interrupt and spawn still throw).
    subprocess::Result run_allowing_failure(const std::vector<std::string>& argv, Deadline deadline,
                                            const std::string& what) const;

    // Every container of the project: one `podman ps -a --format json --filter label=...`.
    std::vector<ContainerInfo> list(Deadline deadline) const;
    // One `podman rm -f -t <stop_seconds>` of the named containers.
    void remove_containers(const std::vector<std::string>& names, int stop_seconds, Deadline deadline) const;
    // Every container of the project in one call, then the network; with `volumes`, the project's volumes
    // (by label) and `known_volumes` (full names).
    void remove_project(bool volumes, const std::vector<std::string>& known_volumes, int stop_seconds,
                        Deadline deadline) const;
    // The project network <project>_default, created (with podman-compose's labels) unless it exists.
    void ensure_network(Deadline deadline) const;
    // The named volumes (full names), created with podman-compose's labels unless they exist.
    void ensure_volumes(const std::vector<std::string>& names, Deadline deadline) const;
    // One container to start: `podman start NAME`, or (when `run_argv` is given) that `podman run -d ...`.
    struct StartJob {
        std::string service;
        std::string container;
        std::vector<std::string> run_argv;
        std::map<std::string, std::string> run_environment{};  // added to podman's environment for run_argv
    };
    // Every job concurrently (bounded). Throws service_failed naming each container that did not start.
    void start(const std::vector<StartJob>& jobs, Deadline deadline) const;
    std::vector<std::string> log_tail(const std::string& container, int lines, Deadline deadline) const;
    ExecResult exec(const std::string& container, const std::vector<std::string>& argv, Deadline deadline) const;
    int follow_logs(const std::string& container, int tail, const std::function<void(const std::string&)>& on_line) const;

private:
    subprocess::Spec spec(std::vector<std::string> argv, Deadline deadline, const std::string& what) const;

    std::string project_;
    subprocess::Environment environment_;
};

}  // namespace envctl::engine
