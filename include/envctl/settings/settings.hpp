#pragma once
// Resolved settings. Precedence: command-line flags > process environment > env file > built-in default.
// Nothing here starts or writes anything: a bad value throws envctl::Error(usage) naming the variable (and the
// file and line it came from) before any command acts.

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::settings {

enum class ImageFlavour { upstream, local };
enum class EngineKind { podman, podman_compose, kube };

std::string to_string(ImageFlavour f);
std::string to_string(EngineKind e);

// Where a variable's value came from, for error messages.
struct Origin {
    enum class Kind { builtin_default, env_file, process_env, flag, auto_port } kind = Kind::builtin_default;
    std::filesystem::path file;  // env_file; auto_port: the project's recorded choice
    int line = 0;                // env_file only
    std::string describe(const std::string& variable) const;  // "FOO (.env.development:12)", "FOO (environment)"
    // Given explicitly for this run (process environment or command line): ENVCTL_PORTS=auto never replaces it.
    bool explicit_value() const { return kind == Kind::process_env || kind == Kind::flag; }
};

// The global options as given on the command line (before or after the subcommand). Unset = not given.
struct GlobalOptions {
    std::optional<std::filesystem::path> project_dir{};
    std::optional<std::filesystem::path> env_file{};
    std::optional<std::filesystem::path> stack_file{};
    std::optional<std::string> profile{};
    std::optional<std::string> images{};
    std::optional<std::string> engine{};
    std::optional<std::string> ports{};  // --ports fixed|auto
};

class Variables {
public:
    void set(const std::string& name, std::string value, Origin origin);
    bool has(const std::string& name) const;
    const std::string* find(const std::string& name) const;
    // Throws usage error: "<name> is not set: add it to <env file>".
    const std::string& require(const std::string& name) const;
    const Origin& origin(const std::string& name) const;
    // Integer port 1..65535; throws usage error naming the variable and its origin otherwise.
    int port(const std::string& name) const;
    // A duration ("30s"); throws usage error naming the variable otherwise.
    Duration duration(const std::string& name) const;
    const std::map<std::string, std::string>& all() const { return values_; }

private:
    std::map<std::string, std::string> values_;
    std::map<std::string, Origin> origins_;
};

struct Settings {
    std::filesystem::path project_dir;   // absolute
    std::filesystem::path env_file;      // absolute
    std::optional<std::filesystem::path> stack_file;
    std::string profile = "full";
    ImageFlavour images = ImageFlavour::upstream;
    EngineKind engine = EngineKind::podman;
    bool auto_ports = false;             // ENVCTL_PORTS=auto (--ports auto)
    int db_spares = 4;                   // ENVCTL_DB_SPARES: spare copies kept of each template (0-64)
    std::string project = "intl";        // ENVCTL_PROJECT
    // The checkout's own project (ENVCTL_PROJECT of the env file, or the default) keeps its state in .envctl/; a
    // project the process environment names differently keeps it in .envctl/projects/<project>/, so jobs sharing
    // one checkout never share state, run file or reports.
    std::filesystem::path state_subdir;
    std::string bind_address = "127.0.0.1";
    Duration ready_budget{std::chrono::seconds(30)};
    std::vector<std::string> databases;  // POSTGRES_MULTIPLE_DATABASES, each checked as [a-z_][a-z0-9_]*
    Variables vars;                      // every variable, resolved
    std::map<std::string, std::string> base_environment;  // envctl's own process environment
    // The variables children may see besides base_environment (the stack's and envctl's own): set once the stack
    // is loaded (settings::limit_children_to); unset, children see every resolved variable.
    std::optional<std::set<std::string>> child_variables;

    std::filesystem::path state_dir() const { return project_dir / ".envctl" / state_subdir; }
    std::filesystem::path run_compose_file() const { return state_dir() / "run" / "compose.yml"; }
    std::filesystem::path committed_compose_file() const { return project_dir / "compose" / "podman-compose.yml"; }
    std::filesystem::path reports_dir() const { return state_dir() / "reports"; }
    std::filesystem::path migrations_dir() const { return project_dir / "migrations"; }

    // The environment handed to compose/podman children: envctl's own environment plus the resolved variables
    // children may see (child_variables, ENVCTL_* always). A key of the env file that the stack does not use never
    // reaches podman or podman-compose.
    std::map<std::string, std::string> child_environment() const;
};

// Variables envctl defines itself, with their built-in defaults (ENVCTL_PROJECT=intl, health ports, ...).
const std::map<std::string, std::string>& builtin_defaults();

// True for a plain SQL identifier: [a-z_][a-z0-9_]* and at most 63 bytes.
bool is_plain_identifier(const std::string& name);

// Finds the project root: `explicit_dir` when given, else the nearest ancestor of `start` holding
// .env.development. Throws usage error when none is found.
std::filesystem::path find_project_dir(const std::optional<std::filesystem::path>& explicit_dir,
                                       const std::filesystem::path& start);

// Loads and validates everything. `process_env` is the process environment (passed in, for tests).
Settings load(const GlobalOptions& options, const std::map<std::string, std::string>& process_env,
              const std::filesystem::path& cwd);

}  // namespace envctl::settings
