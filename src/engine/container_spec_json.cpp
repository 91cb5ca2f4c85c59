#include "envctl/engine/container_spec_json.hpp"

#include <cctype>
#include <csignal>
#include <cstdint>
#include <cstring>

#include "envctl/core/byte_size.hpp"
#include "envctl/core/duration.hpp"
#include "envctl/core/error.hpp"
#include "envctl/engine/create_args.hpp"

namespace envctl::engine {
namespace {

// podman's CLI defaults for the healthcheck options create_args() leaves out.
constexpr const char* kDefaultInterval = "30s";
constexpr const char* kDefaultTimeout = "30s";
constexpr int kDefaultRetries = 3;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto x = static_cast<unsigned char>(a[i]);
        auto y = static_cast<unsigned char>(b[i]);
        if (std::tolower(x) != std::tolower(y)) return false;
    }
    return true;
}

std::int64_t nanoseconds(const std::string& service, const std::string& what, const std::string& text) {
    auto d = parse_duration(text);
    if (!d) {
        throw Error(ExitCode::usage,
                    "service " + service + ": healthcheck " + what + " '" + text + "' is not a duration such as 10s");
    }
    return static_cast<std::int64_t>(d->count()) * 1000 * 1000;
}

std::int64_t bytes(const std::string& service, const std::string& what, const std::string& text) {
    auto b = parse_byte_size(text);
    if (!b) {
        throw Error(ExitCode::usage, "service " + service + ": " + what + " '" + text + "' is not a size such as 256m");
    }
    return *b;
}

}  // namespace

std::optional<int> parse_signal(std::string_view text) {
    if (text.empty()) return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(text.front())) != 0) {
        int n = 0;
        for (char c : text) {
            if (std::isdigit(static_cast<unsigned char>(c)) == 0 || n > 64) return std::nullopt;
            n = n * 10 + (c - '0');
        }
        return n >= 1 && n <= 64 ? std::optional<int>(n) : std::nullopt;
    }
    std::string_view name = text;
    if (name.size() > 3 && iequals(name.substr(0, 3), "sig")) name.remove_prefix(3);
    for (int n = 1; n < NSIG; ++n) {
        const char* abbrev = ::sigabbrev_np(n);
        if (abbrev != nullptr && iequals(name, abbrev)) return n;
    }
    return std::nullopt;
}

nlohmann::json container_spec_json(const ProjectSpec& project, const ServiceSpec& s) {
    using nlohmann::json;
    json spec = {{"name", container_name(project.project, s.name)}, {"image", s.image}};
    json labels = json::object();
    for (const auto& label : container_labels(project, s)) {
        auto eq = label.find('=');
        labels[label.substr(0, eq)] = eq == std::string::npos ? "" : label.substr(eq + 1);
    }
    spec["labels"] = labels;
    if (!s.cap_add.empty()) spec["cap_add"] = s.cap_add;
    json env = json::object();
    for (const auto& [key, value] : s.environment) env[key] = value;
    spec["env"] = env;
    json volumes = json::array();
    for (const auto& v : s.volumes) volumes.push_back({{"Name", v.volume}, {"Dest", v.target}});
    if (!volumes.empty()) spec["volumes"] = volumes;
    json mounts = json::array();
    for (const auto& m : s.mounts) {
        json options = json::array({"rbind"});
        if (m.read_only) options.push_back("ro");
        mounts.push_back(
            {{"Destination", m.target}, {"Source", m.source.string()}, {"Type", "bind"}, {"Options", options}});
    }
    if (!mounts.empty()) spec["mounts"] = mounts;
    spec["netns"] = {{"nsmode", "bridge"}};
    spec["Networks"] = {{network_name(project.project), {{"aliases", json::array({s.name})}}}};
    json ports = json::array();
    for (const auto& p : s.ports) {
        json port = {{"host_port", p.host}, {"container_port", p.container}, {"protocol", p.protocol}};
        if (!p.bind_address.empty()) port["host_ip"] = p.bind_address;
        ports.push_back(port);
    }
    if (!ports.empty()) spec["portmappings"] = ports;
    if (s.user) spec["user"] = *s.user;
    if (s.shm_size) spec["shm_size"] = bytes(s.name, "shm_size", *s.shm_size);
    if (s.stop_signal) {
        auto sig = parse_signal(*s.stop_signal);
        if (!sig) {
            throw Error(ExitCode::usage,
                        "service " + s.name + ": stop signal '" + *s.stop_signal + "' is unknown (e.g. SIGTERM)");
        }
        spec["stop_signal"] = *sig;
    }
    if (s.stop_grace_seconds) spec["stop_timeout"] = *s.stop_grace_seconds;
    if (!s.memory.empty()) spec["resource_limits"] = {{"memory", {{"limit", bytes(s.name, "memory", s.memory)}}}};
    if (!s.entrypoint.empty()) spec["entrypoint"] = s.entrypoint;
    if (!s.command.empty()) spec["command"] = s.command;
    if (s.healthcheck) {
        const Healthcheck& h = *s.healthcheck;
        spec["healthconfig"] = {
            {"Test", json::array({"CMD-SHELL", healthcheck_command(h)})},
            {"Interval", nanoseconds(s.name, "interval", h.interval.empty() ? kDefaultInterval : h.interval)},
            {"Timeout", nanoseconds(s.name, "timeout", h.timeout.empty() ? kDefaultTimeout : h.timeout)},
            {"StartPeriod", nanoseconds(s.name, "start_period", h.start_period.empty() ? "0s" : h.start_period)},
            {"Retries", h.retries.value_or(kDefaultRetries)},
        };
    } else {
        spec["healthconfig"] = {{"Test", json::array({"NONE"})}};
    }
    return spec;
}

}  // namespace envctl::engine
