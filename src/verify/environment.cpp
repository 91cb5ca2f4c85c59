// The environment category: ready (status's probes), published ports (podman's view against the settings),
// connect (from inside the project network).
#include <algorithm>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/orchestration/status.hpp"
#include "envctl/util/output_tail.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/verify/connect.hpp"
#include "envctl/verify/suite.hpp"

namespace envctl::verify {
namespace {

using namespace std::chrono_literals;
using Inputs = std::shared_ptr<const SuiteInputs>;

constexpr const char* kCategory = "environment";

const orchestration::ServiceStatus* status_of(const orchestration::StatusReport& report, const std::string& service) {
    for (const auto& s : report.services)
        if (s.name == service) return &s;
    return nullptr;
}

// One status round (one listing, one concurrent probe round) over the selected running services. A running service
// whose probe did not answer in time (`not_ready`) may be slow rather than broken (a loaded machine): it is probed
// again, alone, for up to kReadyRetry, ending a second before the category's deadline. A stopped or failed service
// is judged at once.
constexpr Duration kReadyRetry = 5s;
constexpr Duration kReadyPause = 300ms;

Check ready_check(const Inputs& in, const std::string& service, std::shared_ptr<Shared<orchestration::StatusReport>> status) {
    return {kCategory, service, "ready", [in, service, status](Deadline deadline) {
                auto report = status->get(deadline);
                const auto* s = status_of(report, service);
                const auto until = std::min(Clock::now() + kReadyRetry, deadline - 1s);
                while (s && s->health == "not_ready" && Clock::now() + kReadyPause < until) {
                    std::this_thread::sleep_for(kReadyPause);
                    orchestration::StatusDeps deps{*in->engine, in->make_probe, in->databases};
                    report = orchestration::collect_status(*in->settings, *in->stack, {service}, deps);
                    s = status_of(report, service);
                }
                if (!s) return Outcome{false, "not in the status report"};
                return Outcome{s->health == "ready", s->health + (s->detail.empty() ? "" : ": " + s->detail)};
            },
            std::find(in->selected.begin(), in->selected.end(), service) == in->selected.end() ? "not selected" : ""};
}

// `podman inspect` of the running containers: name -> NetworkSettings.Ports.
using PortMap = std::map<std::string, nlohmann::json>;
PortMap inspect_ports(const SuiteInputs& in, Deadline deadline) {
    subprocess::Spec spec;
    spec.argv = {"podman", "inspect", "--type", "container"};
    for (const auto& c : in.containers)
        if (c.state == engine::ContainerState::running) spec.argv.push_back(c.name);
    spec.env = in.settings->child_environment();
    spec.timeout = std::max<Duration>(1ms, std::min<Duration>(20s, remaining(deadline)));
    auto r = subprocess::run(spec);
    if (!r.ok()) throw std::runtime_error("podman inspect failed: " + r.describe() + " " + last_lines(r.err, 3));
    PortMap ports;
    for (const auto& item : nlohmann::json::parse(r.out, nullptr, false)) {
        if (!item.is_object()) continue;
        auto name = item.value("Name", "");
        if (!name.empty() && name.front() == '/') name.erase(0, 1);
        ports[name] = item.contains("NetworkSettings") ? item["NetworkSettings"].value("Ports", nlohmann::json::object())
                                                                           : nlohmann::json::object();
    }
    return ports;
}

Check port_check(const Inputs& in, const std::string& service, const descriptors::Port& port,
                 std::shared_ptr<Shared<PortMap>> inspected) {
    auto reason = skip_reason(*in, service);
    const auto* container = running_container(*in, service);
    std::string container_name = container ? container->name : "";
    return {kCategory, service, "port " + port.variable, [in, port, container_name, inspected](Deadline deadline) {
                const auto* expected = in->settings->vars.find(port.variable);
                if (!expected) return Outcome{false, port.variable + " is not set"};
                const auto all = inspected->get(deadline);
                auto it = all.find(container_name);
                if (it == all.end()) return Outcome{false, "podman inspect does not show " + container_name};
                const std::string key = fmt::format("{}/{}", port.container, port.protocol);
                std::vector<std::string> seen;
                if (it->second.contains(key) && it->second[key].is_array())
                    for (const auto& b : it->second[key]) seen.push_back(b.value("HostIp", "") + ":" + b.value("HostPort", ""));
                for (const auto& b : seen)
                    if (b.substr(b.rfind(':') + 1) == *expected)
                        return Outcome{true, fmt::format("{} published on {} ({}={})", key, b, port.variable, *expected)};
                return Outcome{false, seen.empty() ? fmt::format("{} is not published ({}={})", key, port.variable, *expected)
                                                   : fmt::format("{} published on {}, but {}={}", key, fmt::join(seen, ", "),
                                                                 port.variable, *expected)};
            },
            reason};
}

Check connect_check(const Inputs& in, const std::string& service, std::shared_ptr<Shared<ConnectRun>> run) {
    const auto& d = in->stack->get(service);
    std::vector<int> ports;
    for (const auto& p : d.ports)
        if (p.protocol == "tcp") ports.push_back(p.container);
    return {kCategory, service, "connect", [service, ports, run](Deadline deadline) {
                std::vector<ConnectTarget> targets;
                for (int port : ports) targets.push_back({service, port});
                return judge_connect(run->get(deadline), targets);
            },
            skip_reason(*in, service)};
}

}  // namespace

std::vector<Check> environment_checks(std::shared_ptr<const SuiteInputs> in) {
    std::vector<std::string> checked;  // selected and running: what the status round probes
    for (const auto& s : in->selected) checked.push_back(s);
    auto status = std::make_shared<Shared<orchestration::StatusReport>>([in, checked](Deadline) {
        orchestration::StatusDeps deps{*in->engine, in->make_probe, in->databases};
        return orchestration::collect_status(*in->settings, *in->stack, checked, deps);
    });
    auto inspected = std::make_shared<Shared<PortMap>>([in](Deadline deadline) { return inspect_ports(*in, deadline); });
    std::vector<ConnectTarget> targets;
    for (const auto& s : in->services) {
        if (!skip_reason(*in, s).empty()) continue;
        for (const auto& p : in->stack->get(s).ports)
            if (p.protocol == "tcp") targets.push_back({s, p.container});
    }
    auto connect = std::make_shared<Shared<ConnectRun>>(
        [in, targets](Deadline deadline) { return connect_from_network(*in->settings, targets, deadline); });

    std::vector<Check> checks;
    for (const auto& s : in->services) checks.push_back(ready_check(in, s, status));
    for (const auto& s : in->services)
        for (const auto& p : in->stack->get(s).ports) checks.push_back(port_check(in, s, p, inspected));
    for (const auto& s : in->services)
        if (!in->stack->get(s).ports.empty()) checks.push_back(connect_check(in, s, connect));
    return checks;
}

}  // namespace envctl::verify
