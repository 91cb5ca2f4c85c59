#include "kube_objects.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "envctl/core/byte_size.hpp"
#include "envctl/core/error.hpp"
#include "envctl/core/references.hpp"
#include "kube_env.hpp"

namespace envctl::rendering::kube::detail {
namespace {

namespace fs = std::filesystem;

constexpr int kStartupPeriodSeconds = 5;
constexpr const char* kVolumeSize = "1Gi";

std::string where(const ServiceModel& m, const std::string& what) { return "service " + m.name + ", " + what; }

// A Kubernetes quantity of bytes: 512m (MiB, as podman reads it) becomes 512Mi.
std::string quantity(const ServiceModel& m, const std::string& what, const std::string& text) {
    const auto bytes = parse_byte_size(literal_text(text, where(m, what)));
    if (!bytes || *bytes <= 0) throw usage_error(where(m, what) + ": \"" + text + "\" is not a size such as 256m");
    constexpr std::int64_t kKi = 1024;
    for (auto [unit, size] : {std::pair{"Gi", kKi * kKi * kKi}, std::pair{"Mi", kKi * kKi}, std::pair{"Ki", kKi}})
        if (*bytes % size == 0) return fmt::format("{}{}", *bytes / size, unit);
    return std::to_string(*bytes);
}

// A DNS label from free text: lower-case letters, digits and '-'.
std::string dns_label(const std::string& text) {
    std::string out;
    for (char c : text) {
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
        if (ok) {
            out += l;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "file" : out;
}

std::string port_name(const descriptors::Port& p) { return fmt::format("{}-{}", p.protocol, p.container); }

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

int probe_port(const ServiceModel& m) {
    for (const auto& p : m.ports)
        if (p.variable == m.probe.port_variable) return p.container;
    throw usage_error(where(m, "probe") + ": its port variable " + m.probe.port_variable +
                      " is not one of the service's ports");
}

// The descriptor's probe as a Kubernetes probe handler, run by the kubelet against the pod.
Json probe_handler(const ServiceModel& m) {
    using descriptors::ProbeKind;
    switch (m.probe.kind) {
    case ProbeKind::http:
    case ProbeKind::https:
        return {{"httpGet",
                 {{"path", m.probe.path},
                  {"port", probe_port(m)},
                  {"scheme", m.probe.kind == ProbeKind::https ? "HTTPS" : "HTTP"}}}};
    case ProbeKind::tcp: return {{"tcpSocket", {{"port", probe_port(m)}}}};
    case ProbeKind::postgres:
        return {{"exec", {{"command", {"pg_isready", "-h", "127.0.0.1", "-p", std::to_string(probe_port(m))}}}}};
    case ProbeKind::redis:
        return {{"exec",
                 {{"command",
                   {"/bin/sh", "-c", fmt::format("redis-cli -p {} ping | grep -q PONG", probe_port(m))}}}}};
    case ProbeKind::command: return {{"exec", {{"command", m.probe.command}}}};
    }
    return Json::object();
}

Json probe(const Json& handler, int period, int failures) {
    Json out = handler;
    out["periodSeconds"] = period;
    out["timeoutSeconds"] = kHealthTimeoutSeconds;
    out["failureThreshold"] = failures;
    return out;
}

// "1000" or "1000:1000" as runAsUser / runAsGroup; a cluster takes no user names.
void add_user(const ServiceModel& m, Json& security) {
    if (!m.user) return;
    static const std::regex numeric(R"(([0-9]+)(:([0-9]+))?)");
    std::smatch match;
    const std::string user = literal_text(*m.user, where(m, "user"));
    if (!std::regex_match(user, match, numeric))
        throw usage_error(where(m, "user") + ": \"" + user +
                          "\" is not numeric: Kubernetes runs a container as a uid[:gid], give the numbers");
    security["runAsUser"] = std::stoll(match[1].str());
    if (match[3].matched) security["runAsGroup"] = std::stoll(match[3].str());
}

std::string image_version(const std::string& image) {
    static const std::regex label_value(R"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
    if (image.find('@') != std::string::npos) return "";
    const auto slash = image.rfind('/');
    const auto colon = image.rfind(':');
    if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
    const std::string tag = image.substr(colon + 1);
    return std::regex_match(tag, label_value) ? tag : "";
}

// The files of a mounted file or folder, in a stable order.
std::vector<ConfigFile> mounted_files(const ServiceModel& m, const descriptors::Mount& mount, const Options& o) {
    const fs::path source = o.project_dir / mount.source;
    std::error_code ec;
    if (!fs::is_directory(source, ec)) {
        if (!fs::is_regular_file(source, ec))
            throw usage_error(where(m, "mount " + mount.source) + ": " + source.string() +
                              " does not exist: a cluster gets the file as a ConfigMap, so it must be there");
        const std::string name = fs::path(mount.source).filename().string();
        return {ConfigFile{name, mount.source, name}};
    }
    std::vector<std::string> relative;
    for (const auto& entry : fs::recursive_directory_iterator(source))
        if (entry.is_regular_file()) relative.push_back(entry.path().lexically_relative(source).generic_string());
    std::sort(relative.begin(), relative.end());
    std::vector<ConfigFile> out;
    std::set<std::string> keys;
    for (const auto& rel : relative) {
        std::string key = rel;
        std::replace(key.begin(), key.end(), '/', '_');
        if (!keys.insert(key).second)
            throw usage_error(where(m, "mount " + mount.source) + ": two files map to the ConfigMap key " + key +
                              ": rename one");
        out.push_back(ConfigFile{key, mount.source + "/" + rel, rel});
    }
    return out;
}

}  // namespace

Json selector_labels(const ServiceModel& m, const std::string& project) {
    return {{"app.kubernetes.io/name", m.name}, {"app.kubernetes.io/instance", project + "-" + m.name}};
}

Json labels(const ServiceModel& m, const std::string& project) {
    Json out = selector_labels(m, project);
    if (auto version = image_version(m.image); !version.empty()) out["app.kubernetes.io/version"] = version;
    out["app.kubernetes.io/part-of"] = project;
    out["app.kubernetes.io/managed-by"] = "envctl";
    for (const auto& [key, value] : m.labels) out[key] = value;
    return out;
}

ServiceObjects service_objects(const ServiceModel& m, const Options& o) {
    ServiceObjects out;
    const Json all_labels = labels(m, o.project);
    const Json selector = selector_labels(m, o.project);

    Json container = {{"name", m.name}, {"image", literal_text(m.image, where(m, "image"))}};
    EnvironmentBuilder env(secret_name(o.project), m.environment, where(m, "environment"));
    if (!m.entrypoint.empty()) container["command"] = env.expand_all(m.entrypoint, where(m, "entrypoint"));
    if (!m.command.empty()) container["args"] = env.expand_all(m.command, where(m, "command"));
    if (Json vars = env.entries(); !vars.empty()) container["env"] = vars;
    if (!m.ports.empty()) {
        Json ports = Json::array();
        for (const auto& p : m.ports)
            ports.push_back({{"name", port_name(p)}, {"containerPort", p.container}, {"protocol", upper(p.protocol)}});
        container["ports"] = ports;
    }
    const Json handler = probe_handler(m);
    const auto budget = std::chrono::duration_cast<std::chrono::seconds>(m.ready_budget).count();
    container["startupProbe"] = probe(handler, kStartupPeriodSeconds,
                                      static_cast<int>(std::max<std::int64_t>(
                                          1, (budget + kStartupPeriodSeconds - 1) / kStartupPeriodSeconds)));
    container["readinessProbe"] = probe(handler, kHealthIntervalSeconds, kHealthRetries);
    container["livenessProbe"] = probe(handler, kHealthIntervalSeconds, kHealthRetries);
    const std::string memory = quantity(m, "memory", m.memory);
    container["resources"] = {{"requests", {{"memory", memory}}}, {"limits", {{"memory", memory}}}};
    Json security = Json::object();
    add_user(m, security);
    if (!m.cap_add.empty()) {
        Json caps = Json::array();
        for (const auto& cap : m.cap_add) caps.push_back(literal_text(cap, where(m, "cap_add")));
        security["capabilities"] = {{"add", caps}};
    }
    if (!security.empty()) container["securityContext"] = security;

    Json mounts = Json::array();
    Json volumes = Json::array();
    for (const auto& v : m.volumes) mounts.push_back({{"name", v.name}, {"mountPath", v.target}});
    std::set<std::string> volume_names;
    for (const auto& v : m.volumes) volume_names.insert(v.name);
    for (const auto& mount : m.mounts) {
        const std::string first_choice = dns_label(m.name + "-" + fs::path(mount.source).filename().string());
        std::string name = first_choice;
        for (int n = 2; volume_names.count(name); ++n) name = first_choice + "-" + std::to_string(n);
        volume_names.insert(name);
        if (!mount.read_only) {
            // A writable folder of the host has no counterpart on a cluster: the pod gets an empty one.
            mounts.push_back({{"name", name}, {"mountPath", mount.target}});
            volumes.push_back({{"name", name}, {"emptyDir", Json::object()}});
            continue;
        }
        ConfigMap config{name, mounted_files(m, mount, o)};
        Json items = Json::array();
        for (const auto& f : config.files) items.push_back({{"key", f.key}, {"path", f.path}});
        const bool single_file = config.files.size() == 1 && config.files[0].source == mount.source;
        Json volume_mount = {{"name", name}, {"mountPath", mount.target}, {"readOnly", true}};
        if (single_file) volume_mount["subPath"] = config.files[0].path;
        mounts.push_back(volume_mount);
        volumes.push_back({{"name", name}, {"configMap", {{"name", name}, {"items", items}}}});
        out.config_maps.push_back(std::move(config));
    }
    if (m.shm_size) {
        mounts.push_back({{"name", "dshm"}, {"mountPath", "/dev/shm"}});
        volumes.push_back({{"name", "dshm"},
                           {"emptyDir", {{"medium", "Memory"}, {"sizeLimit", quantity(m, "shm_size", *m.shm_size)}}}});
    }
    if (!mounts.empty()) container["volumeMounts"] = mounts;

    Json pod = Json::object();
    if (m.stop_grace_seconds) pod["terminationGracePeriodSeconds"] = *m.stop_grace_seconds;
    pod["containers"] = Json::array({container});
    if (!volumes.empty()) pod["volumes"] = volumes;

    const bool stateful = !m.volumes.empty();
    out.workload_file = stateful ? "statefulset.yaml" : "deployment.yaml";
    Json spec = {{"replicas", 1}};
    if (stateful) spec["serviceName"] = m.name;
    spec["selector"] = {{"matchLabels", selector}};
    if (!stateful) spec["strategy"] = {{"type", "Recreate"}};  // one pod at a time, as a container is recreated
    spec["template"] = {{"metadata", {{"labels", all_labels}}}, {"spec", pod}};
    if (stateful) {
        Json claims = Json::array();
        for (const auto& v : m.volumes)
            claims.push_back({{"metadata", {{"name", v.name}, {"labels", selector}}},
                              {"spec",
                               {{"accessModes", {"ReadWriteOnce"}},
                                {"resources", {{"requests", {{"storage", kVolumeSize}}}}}}}});
        spec["volumeClaimTemplates"] = claims;
    }
    out.workload = {{"apiVersion", "apps/v1"},
                    {"kind", stateful ? "StatefulSet" : "Deployment"},
                    {"metadata", {{"name", m.name}, {"labels", all_labels}}},
                    {"spec", spec}};

    // Headless, as a compose network alias: the name resolves to the pod, every port of it reachable.
    Json service_spec = {{"clusterIP", "None"}, {"selector", selector}};
    if (!m.ports.empty()) {
        Json ports = Json::array();
        for (const auto& p : m.ports)
            ports.push_back({{"name", port_name(p)},
                             {"port", p.container},
                             {"targetPort", p.container},
                             {"protocol", upper(p.protocol)}});
        service_spec["ports"] = ports;
    }
    out.service = {{"apiVersion", "v1"},
                   {"kind", "Service"},
                   {"metadata", {{"name", m.name}, {"labels", all_labels}}},
                   {"spec", service_spec}};
    return out;
}

}  // namespace envctl::rendering::kube::detail
