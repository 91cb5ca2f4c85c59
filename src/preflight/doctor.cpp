#include "envctl/preflight/doctor.hpp"

#include <fstream>
#include <map>

#include <fmt/format.h>

#include "envctl/core/byte_size.hpp"
#include "envctl/preflight/ports.hpp"
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

}  // namespace

std::string known_fix(const std::string& error) {
    if (error.find("cgroups in hybrid mode not supported") != std::string::npos || error.find("crun") != std::string::npos)
        return "crun cannot run containers on these cgroups: set runtime = \"runc\" under [engine] in "
               "/etc/containers/containers.conf.d/50-envctl.conf (sudo scripts/setup writes it)";
    if (error.find("RLIMIT_NOFILE") != std::string::npos || error.find("RLIMIT_NPROC") != std::string::npos ||
        error.find("setrlimit") != std::string::npos)
        return "podman's default open-files limit exceeds this machine's hard limit: set default_ulimits = "
               "[\"nofile=20000:20000\", \"nproc=4096:4096\"] under [containers] in /etc/containers/containers.conf.d/50-envctl.conf "
               "(sudo scripts/setup writes it)";
    if (error.find("image not known") != std::string::npos || error.find("no such image") != std::string::npos)
        return std::string("build the doctor's image: envctl images build busybox");
    return "";
}

std::vector<Check> run_doctor(const settings::Settings& s, const descriptors::Stack& stack, const std::vector<std::string>& services) {
    std::vector<Check> checks;
    checks.push_back(version_check(s, "podman", {"podman", "--version"}));
    checks.push_back(version_check(s, "podman-compose", {"podman-compose", "version"}));

    Check runtime{"a container starts", false, "", ""};
    auto r = run(s, {"podman", "run", "--rm", "--network", "none", kDoctorImage, "/bin/true"}, 60s);
    runtime.ok = r.ok();
    runtime.detail = r.ok() ? fmt::format("{} ran /bin/true in {}", kDoctorImage, format_duration(r.elapsed))
                            : (r.err.empty() ? r.describe() : r.err);
    while (!runtime.detail.empty() && runtime.detail.back() == '\n') runtime.detail.pop_back();
    if (!runtime.ok) {
        runtime.fix = known_fix(r.err);
        if (runtime.fix.empty()) runtime.fix = "see the runtime's error above; `podman info` shows its configuration";
    }
    checks.push_back(runtime);

    Check ports{"host ports free", true, "", ""};
    std::vector<std::string> held;
    for (const auto& name : services) {
        for (const auto& p : stack.get(name).ports) {
            const auto* value = s.vars.find(p.variable);
            if (!value) continue;
            int port = std::atoi(value->c_str());
            if (port_free(s.bind_address, port)) continue;
            auto h = find_port_holder(port);
            held.push_back(fmt::format("{} ({}={}): {}", name, p.variable, port,
                                       h ? h->describe(port) : "in use"));
        }
    }
    if (!held.empty()) {
        ports.ok = false;
        ports.detail = fmt::format("{}", fmt::join(held, "; "));
        ports.fix = "stop the programs holding them (this project's own running containers hold theirs: `envctl down` frees them), "
                    "or choose other ports in " + s.env_file.string();
    } else {
        ports.detail = "every port of the profile is free on " + s.bind_address;
    }
    checks.push_back(ports);

    Check memory{"memory", true, "", ""};
    long long need = 0;
    for (const auto& name : services) need += megabytes(stack.get(name).memory);
    long long have = available_megabytes();
    memory.ok = have == 0 || need <= have;
    memory.detail = fmt::format("the profile's services may use up to {} MB; {} MB available", need, have);
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
