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

// The volumes a teardown removes: the project's labelled ones, and those of `known` that exist under exactly that
// name. Never a name that does not exist: podman's API would remove another volume it is a prefix of.
std::vector<std::string> volumes_to_remove(const std::vector<std::string>& known,
                                           const std::vector<std::string>& labelled,
                                           const std::vector<std::string>& existing);

// Seconds of stop grace for a container, by its name.
using StopSeconds = std::function<int(const std::string& container)>;

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
    // The names of the project's volumes (by label), or with `all_of_host` of every volume.
    std::vector<std::string> volumes(bool all_of_host, Deadline deadline) const;
    // A container to remove and its stop grace.
    struct Removal {
        std::string container;
        int stop_seconds = 0;
    };
    // One `podman rm -f -i -t <grace>` per distinct grace, all at once: every container gets its own grace and
    // the slowest decides how long it takes. Containers already gone are no failure.
    void remove_containers(const std::vector<Removal>& containers, Deadline deadline) const;
    // The named volumes, forced; those already gone are no failure.
    void remove_volumes(const std::vector<std::string>& names, Deadline deadline) const;
    // Every container of the project (as remove_containers, each with stop_seconds(name)), then the network;
    // with `volumes`, the project's volumes (by label) and `known_volumes` (full names).
    void remove_project(bool volumes, const std::vector<std::string>& known_volumes, const StopSeconds& stop_seconds,
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
    // `podman logs` with `options`; without follow, within `deadline`. Lines as they arrive. Returns its exit code.
    int stream_logs(const std::string& container, const LogOptions& options,
                    const std::function<void(const std::string&)>& on_line, Deadline deadline) const;

private:
    // Runs a removal of `names` (podman objects of `kind`: container, network, volume); when podman refuses,
    // it still succeeded if none of them exists any more (removed meanwhile).
    void remove_or_gone(const std::vector<std::string>& argv, const std::string& kind,
                        const std::vector<std::string>& names, Deadline deadline, const std::string& what) const;
    subprocess::Spec spec(std::vector<std::string> argv, Deadline deadline, const std::string& what) const;

    std::string project_;
    subprocess::Environment environment_;
};

}  // namespace envctl::engine
