// verify's `connect` step (from the host to a published port, or from inside the project network, connect.hpp)
// and `command` step (argv in the service's container through the engine).
#include <algorithm>

#include <fmt/format.h>

#include "envctl/health/probes.hpp"
#include "envctl/util/output_tail.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::verify {

Outcome run_connect_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    if (!step.port_variable.empty()) {
        health::AttemptContext ctx;
        ctx.timeout = std::max<Duration>(std::chrono::milliseconds(1), std::chrono::duration_cast<Duration>(remaining(deadline)));
        const auto r = health::run_attempt(health::tcp_probe(env.host, published_port(step, env)), ctx);
        return {r.outcome == health::Outcome::ok, fmt::format("{} ({}): {}", r.target, step.port_variable, r.detail)};
    }
    const std::string service = step.service.empty() ? env.service : step.service;
    std::vector<ConnectTarget> targets;
    if (step.port) targets.push_back({service, step.port});
    else if (env.tcp_ports)
        for (int p : env.tcp_ports(service)) targets.push_back({service, p});
    if (targets.empty()) return {false, fmt::format("{} has no tcp port to connect to", service)};
    if (!env.connect) return {false, "no project network to connect from"};
    return judge_connect(env.connect(targets, deadline), targets);
}

Outcome run_command_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    if (!env.exec) return {false, "no engine to run the command in " + env.service};
    std::vector<std::string> argv;
    for (const auto& a : step.command) argv.push_back(expand(a, env));
    const auto r = env.exec(env.service, argv, deadline);
    const std::string what = argv.front();
    if (r.timed_out) return {false, fmt::format("{}: still running at the deadline", what)};
    if (r.exit_code != step.expect_exit)
        return {false, fmt::format("{}: exit code {} (expected {}): {}", what, r.exit_code, step.expect_exit, last_lines(r.output, 3))};
    if (!step.expect_output.empty() && r.output.find(expand(step.expect_output, env)) == std::string::npos)
        return {false, fmt::format("{}: output lacks \"{}\": {}", what, step.expect_output, last_lines(r.output, 3))};
    return {true, fmt::format("{}: exit code {}", what, r.exit_code)};
}

Outcome run_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    using K = descriptors::StepKind;
    switch (step.kind) {
        case K::http: return run_http_step(step, env, deadline);
        case K::sql: return run_sql_step(step, env, deadline);
        case K::redis: return run_redis_step(step, env, deadline);
        case K::connect: return run_connect_step(step, env, deadline);
        case K::command: return run_command_step(step, env, deadline);
        case K::amqp: return run_amqp_step(step, env, deadline);
        case K::azure_blob: return run_azure_blob_step(step, env, deadline);
        case K::cosmos: return run_cosmos_step(step, env, deadline);
    }
    return {false, "unknown step kind"};
}

}  // namespace envctl::verify
