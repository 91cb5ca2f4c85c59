#include "service_parser.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "value_rules.hpp"

namespace envctl::descriptors::detail {

namespace {

void check(const Reader& r, const YAML::Node& node, const std::string& path, const std::string& problem) {
    if (!problem.empty()) r.fail(node, path, problem);
}

std::string checked_text(const Reader& r, const YAML::Node& node, const std::string& path,
                         std::string (*rule)(const std::string&)) {
    std::string value = r.text(node, path);
    check(r, node, path, rule(value));
    return value;
}

std::vector<std::pair<std::string, std::string>> parse_environment(const Reader& r, const YAML::Node& node,
                                                                   const std::string& path) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : r.entries(node, path)) {
        const std::string at = child(path, key);
        check(r, value, at, check_env_name(key));
        if (!value.IsScalar()) r.fail(value, at, "expected a value (quote it: \"\" for an empty one)");
        check(r, value, at, check_secret_value(key, value.Scalar()));
        out.emplace_back(key, value.Scalar());
    }
    return out;
}

std::vector<Port> parse_ports(const Reader& r, const YAML::Node& node, const std::string& path) {
    std::vector<Port> out;
    r.require_sequence(node, path);
    for (std::size_t i = 0; i < node.size(); ++i) {
        const auto& n = node[i];
        const std::string at = item(path, i);
        r.require_map(n, at, {"variable", "container", "protocol"});
        if (!n["variable"]) r.fail(n, at, "a port needs `variable` (the host port's variable) and `container`");
        if (!n["container"]) r.fail(n, at, "a port needs `container` (the port inside the container)");
        Port p;
        p.variable = checked_text(r, n["variable"], child(at, "variable"), check_variable_name);
        p.container = r.integer(n["container"], child(at, "container"), 1, 65535);
        if (n["protocol"]) {
            p.protocol = r.text(n["protocol"], child(at, "protocol"));
            if (p.protocol != "tcp" && p.protocol != "udp") r.fail(n["protocol"], child(at, "protocol"), "tcp or udp");
        }
        for (const auto& earlier : out) {
            if (earlier.variable == p.variable)
                r.fail(n["variable"], child(at, "variable"),
                       fmt::format("{} is already used by another port of this service", p.variable));
            if (earlier.container == p.container && earlier.protocol == p.protocol)
                r.fail(n["container"], child(at, "container"),
                       fmt::format("container port {} is published twice", p.container));
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<Volume> parse_volumes(const Reader& r, const YAML::Node& node, const std::string& path) {
    std::vector<Volume> out;
    r.require_sequence(node, path);
    for (std::size_t i = 0; i < node.size(); ++i) {
        const auto& n = node[i];
        const std::string at = item(path, i);
        r.require_map(n, at, {"name", "target"});
        if (!n["name"] || !n["target"]) r.fail(n, at, "a volume needs `name` and `target`");
        Volume v;
        v.name = checked_text(r, n["name"], child(at, "name"), check_volume_name);
        v.target = checked_text(r, n["target"], child(at, "target"), check_container_path);
        r.remember(child(at, "name"), n["name"]);
        out.push_back(std::move(v));
    }
    return out;
}

std::vector<Mount> parse_mounts(const Reader& r, const YAML::Node& node, const std::string& path) {
    std::vector<Mount> out;
    r.require_sequence(node, path);
    for (std::size_t i = 0; i < node.size(); ++i) {
        const auto& n = node[i];
        const std::string at = item(path, i);
        r.require_map(n, at, {"source", "target", "read_only"});
        if (!n["source"] || !n["target"]) r.fail(n, at, "a mount needs `source` (in the project) and `target`");
        Mount m;
        m.source = checked_text(r, n["source"], child(at, "source"), check_project_path);
        m.target = checked_text(r, n["target"], child(at, "target"), check_container_path);
        if (n["read_only"]) m.read_only = r.boolean(n["read_only"], child(at, "read_only"));
        out.push_back(std::move(m));
    }
    return out;
}

Probe parse_probe(const Reader& r, const YAML::Node& node, const std::string& path, const std::vector<Port>& ports) {
    r.require_map(node, path, {"kind", "port_variable", "path", "expect_status", "command", "user_variable",
                               "password_variable", "database_variable"});
    if (!node["kind"]) r.fail(node, path, "a probe needs `kind` (http, https, tcp, postgres, redis or command)");
    Probe p;
    const auto kind = parse_probe_kind(r.text(node["kind"], child(path, "kind")));
    if (!kind) r.fail(node["kind"], child(path, "kind"), "one of http, https, tcp, postgres, redis, command");
    p.kind = *kind;
    const bool is_http = p.kind == ProbeKind::http || p.kind == ProbeKind::https;
    const bool is_postgres = p.kind == ProbeKind::postgres;
    auto only_for = [&](const char* key, bool allowed, const char* kinds) {
        if (node[key] && !allowed)
            r.fail(node[key], child(path, key), fmt::format("only {} probes take `{}`", kinds, key));
    };
    only_for("path", is_http, "http and https");
    only_for("expect_status", is_http, "http and https");
    only_for("command", p.kind == ProbeKind::command, "command");
    only_for("port_variable", p.kind != ProbeKind::command, "http, https, tcp, postgres and redis");
    only_for("user_variable", is_postgres, "postgres");
    only_for("password_variable", is_postgres, "postgres");
    only_for("database_variable", is_postgres, "postgres");

    if (p.kind == ProbeKind::command) {
        if (!node["command"]) r.fail(node, path, "a command probe needs `command` (argv run in the container)");
        p.command = r.texts(node["command"], child(path, "command"));
        if (p.command.empty()) r.fail(node["command"], child(path, "command"), "must not be empty");
        return p;
    }
    if (!node["port_variable"]) r.fail(node, path, "this probe needs `port_variable` (one of the service's ports)");
    const std::string at = child(path, "port_variable");
    p.port_variable = r.text(node["port_variable"], at);
    if (std::none_of(ports.begin(), ports.end(), [&](const Port& port) { return port.variable == p.port_variable; }))
        r.fail(node["port_variable"], at, fmt::format("{} is not among this service's ports", p.port_variable));
    if (node["path"]) {
        p.path = r.text(node["path"], child(path, "path"));
        if (!p.path.starts_with("/")) r.fail(node["path"], child(path, "path"), "an HTTP path starts with '/'");
    }
    if (node["expect_status"]) {
        const YAML::Node list = node["expect_status"];
        r.require_sequence(list, child(path, "expect_status"));
        p.expect_status.clear();
        for (std::size_t i = 0; i < list.size(); ++i)
            p.expect_status.push_back(r.integer(list[i], item(child(path, "expect_status"), i), 100, 599));
        if (p.expect_status.empty()) r.fail(list, child(path, "expect_status"), "must not be empty");
    }
    if (node["user_variable"])
        p.user_variable = checked_text(r, node["user_variable"], child(path, "user_variable"), check_variable_name);
    if (node["password_variable"])
        p.password_variable =
            checked_text(r, node["password_variable"], child(path, "password_variable"), check_variable_name);
    if (node["database_variable"])
        p.database_variable =
            checked_text(r, node["database_variable"], child(path, "database_variable"), check_variable_name);
    return p;
}

std::vector<std::string> parse_dependencies(const Reader& r, const std::string& name, const YAML::Node& node,
                                            const std::string& path) {
    auto deps = r.texts(node, path);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < deps.size(); ++i) {
        const std::string at = item(path, i);
        check(r, node[i], at, check_service_name(deps[i]));
        if (deps[i] == name) r.fail(node[i], at, "a service cannot depend on itself");
        if (!seen.insert(deps[i]).second) r.fail(node[i], at, fmt::format("{} is listed twice", deps[i]));
        r.remember(at, node[i]);
    }
    return deps;
}

}  // namespace

ServiceDescriptor parse_service(const Reader& r, const std::string& name, const YAML::Node& node,
                                const std::string& path) {
    r.require_map(node, path,
                  {"group", "image", "local_image", "entrypoint", "command", "environment", "ports", "volumes",
                   "mounts", "depends_on", "probe", "healthcheck", "ready_budget", "budget_reason", "memory",
                   "cap_add", "shm_size", "user", "stop_signal", "stop_grace", "verify"});
    r.remember(path, node);
    ServiceDescriptor s;
    s.name = name;
    for (const char* required : {"group", "image", "probe"})
        if (!node[required]) r.fail(node, path, fmt::format("`{}` is required", required));

    const auto group = parse_group(r.text(node["group"], child(path, "group")));
    if (!group) r.fail(node["group"], child(path, "group"), "one of dapr, core, identity, observability");
    s.group = *group;
    s.image = checked_text(r, node["image"], child(path, "image"), check_image);
    if (node["local_image"])
        s.local_image = checked_text(r, node["local_image"], child(path, "local_image"), check_local_image);
    if (node["entrypoint"]) s.entrypoint = r.texts(node["entrypoint"], child(path, "entrypoint"));
    if (node["command"]) s.command = r.texts(node["command"], child(path, "command"));
    if (node["environment"]) s.environment = parse_environment(r, node["environment"], child(path, "environment"));
    if (node["ports"]) s.ports = parse_ports(r, node["ports"], child(path, "ports"));
    if (node["volumes"]) s.volumes = parse_volumes(r, node["volumes"], child(path, "volumes"));
    if (node["mounts"]) s.mounts = parse_mounts(r, node["mounts"], child(path, "mounts"));
    if (node["depends_on"]) s.depends_on = parse_dependencies(r, name, node["depends_on"], child(path, "depends_on"));
    s.probe = parse_probe(r, node["probe"], child(path, "probe"), s.ports);
    if (node["healthcheck"]) s.healthcheck = r.text(node["healthcheck"], child(path, "healthcheck"));

    if (node["ready_budget"]) s.ready_budget = r.duration(node["ready_budget"], child(path, "ready_budget"));
    if (node["budget_reason"]) s.budget_reason = r.text(node["budget_reason"], child(path, "budget_reason"));
    if (s.ready_budget && !s.budget_reason)
        r.fail(node["ready_budget"], child(path, "ready_budget"),
               "a service's own readiness budget needs `budget_reason` saying why it starts slowly");
    if (s.budget_reason && !s.ready_budget)
        r.fail(node["budget_reason"], child(path, "budget_reason"), "`budget_reason` without `ready_budget`");

    if (node["memory"]) s.memory = checked_text(r, node["memory"], child(path, "memory"), check_size);
    if (node["shm_size"]) s.shm_size = checked_text(r, node["shm_size"], child(path, "shm_size"), check_size);
    if (node["cap_add"]) {
        s.cap_add = r.texts(node["cap_add"], child(path, "cap_add"));
        for (std::size_t i = 0; i < s.cap_add.size(); ++i)
            check(r, node["cap_add"][i], item(child(path, "cap_add"), i), check_capability(s.cap_add[i]));
    }
    if (node["user"]) s.user = r.text(node["user"], child(path, "user"));
    if (node["stop_signal"])
        s.stop_signal = checked_text(r, node["stop_signal"], child(path, "stop_signal"), check_signal);
    if (node["stop_grace"]) {
        const auto grace = r.duration(node["stop_grace"], child(path, "stop_grace"));
        if (grace.count() % 1000 != 0)
            r.fail(node["stop_grace"], child(path, "stop_grace"), "whole seconds only, such as 10s");
        s.stop_grace_seconds = static_cast<int>(grace.count() / 1000);
    }
    return s;
}

}  // namespace envctl::descriptors::detail
