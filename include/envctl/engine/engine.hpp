#pragma once
// The container engine, behind a small interface. Two implementations: podman-compose (driving the rendered run
// file) and native podman (same settings, containers created and started concurrently). Both give containers the
// names and labels podman-compose gives them, so each sees the other's containers.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::engine {

enum class ContainerState { missing, created, running, exited, paused, unknown };
std::string to_string(ContainerState s);

struct ContainerInfo {
    std::string service;        // label com.docker.compose.service
    std::string name;           // PROJECT_SERVICE_1
    std::string id;
    ContainerState state = ContainerState::unknown;
    std::optional<int> exit_code;
    std::optional<std::int64_t> started_at_ms;  // unix epoch ms, when running/exited
    std::string config_hash;    // label io.envctl.config-hash
    std::string image;
};

// What `envctl logs` asks of a service's log.
struct LogOptions {
    int tail = 100;            // lines from the end (-1: all)
    bool follow = false;       // keep streaming until the container exits or envctl is interrupted
    std::string since;         // only lines newer than this (podman's --since: a duration such as 10m, or a time)
    bool timestamps = false;   // each line starts with its RFC 3339 time
};

struct ExecResult {
    int exit_code = -1;
    std::string output;         // stdout+stderr, bounded
    bool timed_out = false;
};

class Engine {
public:
    virtual ~Engine() = default;
    virtual std::string name() const = 0;

    // Prepares `services` to be started: the project network and named volumes exist, and a container whose
    // config hash differs from the run file's is removed; an unchanged one is left alone. The podman-compose
    // engine creates the missing containers here (`up --no-start`); the native engine creates each missing one
    // as start() starts it (`podman run -d`: one podman process per container instead of create + start),
    // so list() does not show them in between.
    virtual void create(const std::vector<std::string>& services, Deadline deadline) = 0;
    // Starts the containers of `services` that are not running (concurrently where the engine can), creating
    // those create() left to it.
    virtual void start(const std::vector<std::string>& services, Deadline deadline) = 0;
    // Removes every container of the project and the project network; with `volumes`, the project's named
    // volumes too. Keeping the data, each container is stopped with its service's stop grace (all at once);
    // with `volumes`, killed at once. What is already gone (removed meanwhile by podman or anyone) is no failure.
    virtual void remove_all(bool volumes, Deadline deadline) = 0;
    // Removes the containers of `services` only (stop grace as remove_all), and with `volumes` their named
    // volumes, except one another service's container still uses; the network stays.
    virtual void remove_services(const std::vector<std::string>& services, bool volumes, Deadline deadline) = 0;
    // Every container of the project, one engine call.
    virtual std::vector<ContainerInfo> list(Deadline deadline) = 0;
    // The last `lines` lines of a service's log (stdout and stderr), bounded.
    virtual std::vector<std::string> log_tail(const std::string& service, int lines, Deadline deadline) = 0;
    // Runs argv inside the service's container.
    virtual ExecResult exec(const std::string& service, const std::vector<std::string>& argv, Deadline deadline) = 0;
    // Streams a service's log until the container exits or envctl is interrupted (`logs --follow`).
    virtual int follow_logs(const std::string& service, int tail, const std::function<void(const std::string&)>& on_line) = 0;
    // A service's log as `options` ask, line by line, in arrival order (stdout and stderr); without follow, within
    // `deadline`. Returns podman's exit code. This default serves tail and follow only (since/timestamps: usage error).
    virtual int stream_logs(const std::string& service, const LogOptions& options,
                            const std::function<void(const std::string&)>& on_line, Deadline deadline);
};

}  // namespace envctl::engine
