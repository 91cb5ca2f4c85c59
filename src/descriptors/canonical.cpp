#include "envctl/descriptors/canonical.hpp"

#include <fmt/format.h>

namespace envctl::descriptors {

namespace {

// Backslash-escapes what would break the one-field-a-line shape.
std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '\n' || c == '\t' || c == '|') out += '\\';
        out += c == '\n' ? 'n' : c == '\t' ? 't' : c;
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += esc(i) + "|";
    return out;
}

template <typename T> std::string opt(const std::optional<T>& v) {
    if (!v) return "-";
    if constexpr (std::is_same_v<T, std::string>)
        return "=" + esc(*v);
    else if constexpr (std::is_same_v<T, Duration>)
        return fmt::format("={}ms", v->count());
    else
        return fmt::format("={}", *v);
}

}  // namespace

std::string canonical_text(const ServiceDescriptor& s) {
    std::string out;
    auto line = [&](const std::string& key, const std::string& value) { out += key + " " + value + "\n"; };
    line("service", esc(s.name));
    line("group", to_string(s.group));
    line("image", esc(s.image));
    line("local_image", opt(s.local_image));
    line("entrypoint", join(s.entrypoint));
    line("command", join(s.command));
    for (const auto& [k, v] : s.environment) line("env", esc(k) + "=" + esc(v));
    for (const auto& p : s.ports) line("port", fmt::format("{}|{}|{}", esc(p.variable), p.container, esc(p.protocol)));
    for (const auto& v : s.volumes) line("volume", esc(v.name) + "|" + esc(v.target));
    for (const auto& m : s.mounts) line("mount", esc(m.source) + "|" + esc(m.target) + (m.read_only ? "|ro" : "|rw"));
    line("depends_on", join(s.depends_on));
    std::vector<std::string> statuses;
    for (int code : s.probe.expect_status) statuses.push_back(std::to_string(code));
    line("probe", fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", to_string(s.probe.kind), esc(s.probe.port_variable),
                              esc(s.probe.path), join(statuses), join(s.probe.command), esc(s.probe.user_variable),
                              esc(s.probe.password_variable), esc(s.probe.database_variable)));
    line("healthcheck", opt(s.healthcheck));
    line("ready_budget", opt(s.ready_budget));
    line("budget_reason", opt(s.budget_reason));
    line("memory", esc(s.memory));
    line("cap_add", join(s.cap_add));
    line("shm_size", opt(s.shm_size));
    line("user", opt(s.user));
    line("stop_signal", opt(s.stop_signal));
    line("stop_grace_seconds", opt(s.stop_grace_seconds));
    return out;
}

}  // namespace envctl::descriptors
