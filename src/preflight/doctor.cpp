#include "envctl/preflight/doctor.hpp"

#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "envctl/core/byte_size.hpp"
#include "envctl/core/error.hpp"
#include "envctl/engine/podman_cli.hpp"
#include "envctl/preflight/container_check.hpp"
#include "envctl/preflight/kube_check.hpp"
#include "envctl/preflight/port_check.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::preflight {
namespace {

using namespace std::chrono_literals;

subprocess::Result run(const settings::Settings& s, std::vector<std::string> argv, Duration timeout) {
    subprocess::Spec spec;
    spec.argv = std::move(argv);
    spec.env = s.child_environment();
    spec.timeout = timeout;
    return subprocess::run(spec);
}

std::string first_line(const std::string& text) {
    auto nl = text.find('\n');
    return nl == std::string::npos ? text : text.substr(0, nl);
}

Check version_check(const settings::Settings& s, const std::string& program, std::vector<std::string> argv) {
    Check c{program, false, "", ""};
    auto r = run(s, std::move(argv), 20s);
    if (r.spawn_failed) {
        c.detail = r.describe();
        c.fix = "install it: sudo scripts/setup (or apt-get install " + program + ")";
        return c;
    }
    c.ok = r.ok();
    std::string out = r.out + r.err;
    // podman-compose 1.0.3 prints podman's argv first, then "podman-composer version 1.0.3": keep the version line.
    c.detail = first_line(out);
    for (std::size_t start = 0; start < out.size();) {
        auto end = out.find('\n', start);
        auto line = out.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (line.find(" version ") != std::string::npos) {
            c.detail = line;
            break;
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    if (!c.ok) c.fix = program + " failed (" + r.describe() + "): " + first_line(r.err);
    return c;
}

// Megabytes from descriptor memory strings: "512m", "2g", "256M", "256mb"; 0 when there is none.
long long megabytes(const std::string& text) { return parse_byte_size(text).value_or(0) >> 20; }

long long available_megabytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    long long kb = 0;
    std::string unit;
    while (in >> key >> kb >> unit)
        if (key == "MemAvailable:") return kb / 1024;
    return 0;
}

// The project's containers (one `podman ps`); none when podman cannot list them (the checks above say why).
std::vector<engine::ContainerInfo> project_containers(const settings::Settings& s) {
    try {
        return engine::PodmanCli(s.project, s.child_environment()).list(Clock::now() + 30s);
    } catch (const Error&) {
        return {};
    }
}

}  // namespace

std::vector<Check> run_doctor(const settings::Settings& s, const descriptors::Stack& stack, const std::vector<std::string>& services) {
    std::vector<Check> checks;
    checks.push_back(version_check(s, "podman", {"podman", "--version"}));
    checks.push_back(version_check(s, "podman-compose", {"podman-compose", "version"}));

    auto containers = check_containers(s);
    checks.insert(checks.end(), containers.begin(), containers.end());
    if (s.engine == settings::EngineKind::kube) checks.push_back(check_kube_pod(s));

    auto project = project_containers(s);
    checks.push_back(ports_check(s, stack, services, project));

    Check memory{"memory", true, "", ""};
    long long need = 0;
    std::set<std::string> running;  // their memory is in use already: counted in what is available
    for (const auto& c : project)
        if (c.state == engine::ContainerState::running) running.insert(c.service);
    for (const auto& name : services)
        if (!running.count(name)) need += megabytes(stack.get(name).memory);
    long long have = available_megabytes();
    memory.ok = have == 0 || need <= have;
    memory.detail = fmt::format("the profile's services {}may use up to {} MB; {} MB available",
                                running.empty() ? "" : "not running yet ", need, have);
    if (!memory.ok) memory.fix = "free memory, or run a smaller profile (--profile core) or fewer services (envctl up SERVICE...)";
    checks.push_back(memory);
    return checks;
}

nlohmann::json to_json(const std::vector<Check>& checks) {
    nlohmann::json j{{"schema", "envctl.doctor/v1"}, {"ok", true}, {"checks", nlohmann::json::array()}};
    for (const auto& c : checks) {
        j["checks"].push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}, {"fix", c.fix}});
        if (!c.ok) j["ok"] = false;
    }
    return j;
}

std::string to_text(const std::vector<Check>& checks) {
    std::string out;
    for (const auto& c : checks) {
        out += fmt::format("{} {}: {}\n", c.ok ? "ok  " : "FAIL", c.name, c.detail);
        if (!c.ok && !c.fix.empty()) out += "     fix: " + c.fix + "\n";
    }
    return out;
}

}  // namespace envctl::preflight
