// The dapr category: the built-in stack's declared checks of dapr-placement and dapr-sentry (which cannot run here)
// against test servers serving the documented endpoints (GET /healthz on the health port answers 200; the gRPC port
// accepts connections), asserting what envctl sends; the state store check of redis-dapr on a real redis-server;
// the dapr/ files against the stack.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <thread>

#include "envctl/descriptors/dapr_files.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/verify/steps.hpp"
#include "support/builtin_checks.hpp"
#include "support/http_test_server.hpp"
#include "support/prerequisite.hpp"
#include "support/redis_test_server.hpp"
#include "support/tcp_test_listener.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;
using envctl::test::builtin_check;

namespace {

StepEnv env_for(const settings::Settings& settings, const std::string& service) {
    StepEnv env;
    env.settings = &settings;
    env.service = service;
    return env;
}

}  // namespace

TEST(VerifyDapr, PlacementAndSentryHealthAndGrpcPortsAgainstTestServers) {
    for (const char* name : {"dapr-placement", "dapr-sentry"}) {
        const std::string service = name;
        const std::string prefix = service == "dapr-placement" ? "DAPR_PLACEMENT" : "DAPR_SENTRY";
        test::HttpTestServer health;
        test::TcpTestListener grpc;
        settings::Settings settings;
        settings.vars.set(prefix + "_HEALTH_PORT", std::to_string(health.port()), {});
        settings.vars.set(prefix + "_PORT", std::to_string(grpc.port()), {});

        const auto& check = builtin_check(service, "health");
        EXPECT_EQ(check.category, "dapr");
        auto outcome = run_declared(check, env_for(settings, service), Clock::now() + 5s, 2s);
        EXPECT_TRUE(outcome.ok) << service << ": " << outcome.detail;
        const auto requests = health.received();
        ASSERT_EQ(requests.size(), 1u) << service;
        EXPECT_EQ(requests[0].method, "GET");
        EXPECT_EQ(requests[0].path, "/healthz");
        EXPECT_EQ(requests[0].body, "");

        outcome = run_declared(builtin_check(service, "grpc port"), env_for(settings, service), Clock::now() + 5s, 2s);
        EXPECT_TRUE(outcome.ok) << service << ": " << outcome.detail;
        // The listener's thread counts the connection on its own schedule (bounded wait).
        for (int i = 0; i < 500 && grpc.accepted() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        EXPECT_GE(grpc.accepted(), 1) << service;

        health.script({{500, "unhealthy"}});
        outcome = run_declared(check, env_for(settings, service), Clock::now() + 5s, 2s);
        EXPECT_FALSE(outcome.ok);
        EXPECT_NE(outcome.detail.find("HTTP 500 (expected 200): unhealthy"), std::string::npos) << outcome.detail;
    }
}

TEST(VerifyDapr, StateStoreWritesReadsAndDeletesAnEnvctlVerifyKey) {
    std::string why_not;
    auto redis = test::RedisTestServer::start(why_not);
    REQUIRE_PREREQUISITE(redis != nullptr, "redis-server: " + why_not);
    settings::Settings settings;
    settings.vars.set("REDIS_DAPR_PORT", std::to_string(redis->port()), {});
    // redis-cli MONITOR, the official client, records what envctl sends.
    subprocess::Spec monitor;
    monitor.argv = {"sh", "-c", "timeout 5 redis-cli -p " + std::to_string(redis->port()) + " MONITOR"};
    monitor.timeout = 10s;
    auto watching = std::async(std::launch::async, [monitor] { return subprocess::run(monitor); });
    // MONITOR attaches before the check runs: wait (bounded) until the server lists a client running it; a fixed
    // pause was too short on a loaded machine.
    subprocess::Spec clients;
    clients.argv = {"redis-cli", "-p", std::to_string(redis->port()), "CLIENT", "LIST"};
    clients.timeout = 5s;
    for (int i = 0; i < 200 && subprocess::run(clients).out.find("cmd=monitor") == std::string::npos; ++i)
        std::this_thread::sleep_for(50ms);
    const auto outcome = run_declared(builtin_check("redis-dapr", "state store"), env_for(settings, "redis-dapr"),
                                      Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    const auto seen = watching.get().out;
    EXPECT_NE(seen.find("\"SET\" \"envctl-verify-"), std::string::npos) << seen;
    EXPECT_NE(seen.find("\"GET\" \"envctl-verify-"), std::string::npos) << seen;
    EXPECT_NE(seen.find("\"DEL\" \"envctl-verify-"), std::string::npos) << seen;

    subprocess::Spec scan;
    scan.argv = {"redis-cli", "-p", std::to_string(redis->port()), "--scan", "--pattern", "envctl-verify-*"};
    scan.timeout = 5s;
    EXPECT_EQ(subprocess::run(scan).out, "");
}

TEST(VerifyDapr, TheProjectsDaprFilesNameOnlyServicesOfTheStack) {
    const auto found = descriptors::check_dapr_files(std::filesystem::path(ENVCTL_REPO_ROOT) / "dapr", descriptors::builtin_stack());
    EXPECT_TRUE(found.problems.empty()) << found.problems.front();
    EXPECT_EQ(found.files, (std::vector<std::string>{"components/pubsub.yaml", "components/statestore.yaml", "config.yaml"}));
    EXPECT_NE(std::find(found.targets.begin(), found.targets.end(), "redis-dapr:6379"), found.targets.end());
}

TEST(VerifyDapr, ADaprFileNamingAnUnknownServiceOrBrokenIsReportedWithFileAndLine) {
    test::TempDir dir;
    dir.write("dapr/components/state.yaml", R"(apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
spec:
  metadata:
    - name: redisHost
      value: "redis:6379"
)");
    dir.write("dapr/broken.yaml", "apiVersion: [unclosed\n");
    dir.write("dapr/other.yaml", "kind: Component\n");
    const auto found = descriptors::check_dapr_files(dir / "dapr", descriptors::builtin_stack());
    ASSERT_EQ(found.problems.size(), 4u) << ::testing::PrintToString(found.problems);
    EXPECT_TRUE(found.problems[0].starts_with("dapr/broken.yaml:")) << found.problems[0];
    EXPECT_NE(found.problems[0].find("not valid YAML"), std::string::npos);
    EXPECT_NE(found.problems[1].find("dapr/components/state.yaml:8: \"redis:6379\" names redis, which is not a service"),
              std::string::npos)
        << found.problems[1];
    EXPECT_NE(found.problems[2].find("dapr/other.yaml:1: apiVersion must be dapr.io/"), std::string::npos) << found.problems[2];
}
