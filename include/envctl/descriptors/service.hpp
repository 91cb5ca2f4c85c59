#pragma once
// Typed service descriptors: everything envctl knows about one service. The built-in stack and stack files are
// parsed into these by one parser (stack_parser.hpp); the compose renderer, the engines, the prober and the
// orchestrator read only these.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::descriptors {

enum class Group { dapr, core, identity, observability };

enum class ProbeKind { http, https, tcp, postgres, redis, command };

std::string to_string(Group g);
std::string to_string(ProbeKind k);
std::optional<Group> parse_group(const std::string& s);
std::optional<ProbeKind> parse_probe_kind(const std::string& s);

// A published port. The host port always comes from a named variable; the container port is fixed.
struct Port {
    std::string variable;      // e.g. "POSTGRES_PORT"
    int container = 0;         // e.g. 5432
    std::string protocol = "tcp";
};

// A named volume owned by the project (removed by `down --volumes` and `reset`).
struct Volume {
    std::string name;          // e.g. "postgresql-data"; the engine prefixes the project
    std::string target;        // path inside the container
};

// A file or folder of the repository mounted into the container (relative to the project root).
struct Mount {
    std::string source;        // e.g. "compose/tempo/tempo.yaml"
    std::string target;
    bool read_only = true;
};

// How envctl decides a service is ready: probed from the host against a published port, or a command run in
// the container.
struct Probe {
    ProbeKind kind = ProbeKind::tcp;
    std::string port_variable;           // which published port (http/https/tcp/postgres/redis)
    std::string path = "/";              // http/https
    std::vector<int> expect_status{200}; // http/https
    std::vector<std::string> command;    // command: argv run in the container
    // postgres: the variables naming user, password and database (defaults POSTGRES_USER/_PASSWORD/_DB).
    std::string user_variable = "POSTGRES_USER";
    std::string password_variable = "POSTGRES_PASSWORD";
    std::string database_variable = "POSTGRES_DB";
};

struct ServiceDescriptor {
    std::string name;
    Group group = Group::core;
    std::string image;                          // upstream image, pinned (never :latest)
    std::optional<std::string> local_image;     // localhost/envctl/... built by `envctl images build`, if any
    std::vector<std::string> entrypoint;        // empty: the image's
    std::vector<std::string> command;           // empty: the image's
    // Environment given to the container. Values may reference variables as ${VAR} (resolved from settings at
    // run time; secrets are never written into any file).
    std::vector<std::pair<std::string, std::string>> environment;
    std::vector<Port> ports;
    std::vector<Volume> volumes;
    std::vector<Mount> mounts;
    std::vector<std::string> depends_on;
    Probe probe;
    // In-container healthcheck for compose, as a shell command (CMD-SHELL). nullopt: the image has no shell
    // (distroless) and the compose file says test: ["NONE"].
    std::optional<std::string> healthcheck;
    std::optional<Duration> ready_budget;       // nullopt: ENVCTL_READY_BUDGET
    std::string memory = "256m";                // memory limit
    std::vector<std::string> cap_add;
    std::optional<std::string> shm_size;
    std::optional<std::string> user;
    std::optional<std::string> stop_signal;
    std::optional<int> stop_grace_seconds;
    std::optional<std::string> budget_reason;   // why a slow starter has its own budget (documented)
};

}  // namespace envctl::descriptors
