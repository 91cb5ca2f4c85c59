// verify's `redis` step: one command on the service's published port, its reply against the expectation.
#include <fmt/format.h>

#include "envctl/health/redis_command.hpp"
#include "envctl/verify/steps.hpp"

namespace envctl::verify {

Outcome run_redis_step(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    std::vector<std::string> argv;
    for (const auto& a : step.command) argv.push_back(expand(a, env));
    const std::string what = argv.front();
    const auto reply = health::redis_command(env.host, published_port(step, env), argv, deadline);
    if (!reply.ok) return {false, fmt::format("{}: {}", what, reply.failure)};
    if (step.expect_reply) {
        const std::string want = expand(*step.expect_reply, env);
        if (reply.text != want) return {false, fmt::format("{}: replied {} (expected {})", what, reply.text, want)};
    } else if (reply.is_error) {
        return {false, fmt::format("{}: error {}", what, reply.text)};
    }
    return {true, fmt::format("{}: {}", what, reply.text)};
}

}  // namespace envctl::verify
