#include "envctl/engine/create_args.hpp"

#include <cctype>
#include <filesystem>

#include "envctl/engine/podman_cli.hpp"
#include "envctl/engine/podman_json.hpp"
#include "envctl/settings/child_env.hpp"

namespace envctl::engine {
namespace {

void add(std::vector<std::string>& argv, const std::string& option, const std::string& value) {
    argv.push_back(option);
    argv.push_back(value);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string port_arg(const PublishedPort& p) {
    std::string arg = p.bind_address.empty() ? "" : p.bind_address + ":";
    arg += std::to_string(p.host) + ":" + std::to_string(p.container);
    if (p.protocol != "tcp") arg += "/" + p.protocol;
    return arg;
}

}  // namespace

std::string shell_quote(std::string_view text) {
    if (text.empty()) return "''";
    bool safe = true;
    for (char c : text) {
        bool word = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
        if (!word && std::string_view("@%+=:,./-").find(c) == std::string_view::npos) safe = false;
    }
    if (safe) return std::string(text);
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') {
            out += "'\"'\"'";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string healthcheck_command(const Healthcheck& healthcheck) {
    return "/bin/sh -c " + shell_quote(healthcheck.test);
}

std::vector<std::string> container_labels(const ProjectSpec& project, const ServiceSpec& service) {
    const std::string& p = project.project;
    // podman-compose: working_dir is the realpath of the compose file's folder; config_files the -f argument.
    std::string dir = std::filesystem::weakly_canonical(project.compose_file.parent_path()).string();
    return {
        "io.envctl.group=" + service.group,
        "io.envctl.config-hash=" + service.config_hash,
        "io.podman.compose.config-hash=123",
        std::string(kProjectLabel) + "=" + p,
        "io.podman.compose.version=0.0.1",
        "com.docker.compose.project=" + p,
        "com.docker.compose.project.working_dir=" + dir,
        "com.docker.compose.project.config_files=" + project.compose_file.string(),
        "com.docker.compose.container-number=1",
        "com.docker.compose.service=" + service.name,
    };
}

std::vector<std::string> create_args(const ProjectSpec& project, const ServiceSpec& s) {
    std::vector<std::string> argv{"create", "--name=" + container_name(project.project, s.name)};
    for (const auto& label : container_labels(project, s)) add(argv, "--label", label);
    for (const auto& cap : s.cap_add) add(argv, "--cap-add", cap);
    // No value on the command line (any user can read it in /proc): `-e KEY` takes it from podman's own
    // environment (run_environment). Variables podman itself reads keep their value here, where it cannot
    // reconfigure podman.
    for (const auto& [key, value] : s.environment)
        add(argv, "-e", settings::is_engine_variable(key) ? key + "=" + value : key);
    for (const auto& v : s.volumes) add(argv, "-v", v.volume + ":" + v.target);
    for (const auto& m : s.mounts) add(argv, "-v", m.source.string() + ":" + m.target + (m.read_only ? ":ro" : ""));
    add(argv, "--net", network_name(project.project));
    add(argv, "--network-alias", s.name);
    for (const auto& p : s.ports) add(argv, "-p", port_arg(p));
    if (s.user) add(argv, "-u", *s.user);
    if (s.shm_size) add(argv, "--shm-size", *s.shm_size);
    if (s.stop_signal) add(argv, "--stop-signal", *s.stop_signal);
    if (s.stop_grace_seconds) add(argv, "--stop-timeout", std::to_string(*s.stop_grace_seconds));
    if (!s.memory.empty()) add(argv, "-m", lower(s.memory));
    if (!s.entrypoint.empty()) add(argv, "--entrypoint", json_string_array(s.entrypoint));
    if (s.healthcheck) {
        const Healthcheck& h = *s.healthcheck;
        add(argv, "--healthcheck-command", healthcheck_command(h));
        if (!h.interval.empty()) add(argv, "--healthcheck-interval", h.interval);
        if (!h.timeout.empty()) add(argv, "--healthcheck-timeout", h.timeout);
        if (!h.start_period.empty()) add(argv, "--healthcheck-start-period", h.start_period);
        if (h.retries) add(argv, "--healthcheck-retries", std::to_string(*h.retries));
    } else {
        argv.push_back("--no-healthcheck");
    }
    argv.push_back(s.image);
    argv.insert(argv.end(), s.command.begin(), s.command.end());
    return argv;
}

}  // namespace envctl::engine

namespace envctl::engine {

std::map<std::string, std::string> run_environment(const ServiceSpec& service) {
    std::map<std::string, std::string> env;
    for (const auto& [key, value] : service.environment)
        if (!settings::is_engine_variable(key)) env[key] = value;
    return env;
}

std::vector<std::string> run_args(const ProjectSpec& project, const ServiceSpec& service) {
    auto args = create_args(project, service);
    args.front() = "run";
    args.insert(args.begin() + 1, "-d");
    return args;
}

}  // namespace envctl::engine
