// The redis probe and the prober against a real redis-server (started on a free port, no persistence).
#include <thread>

#include <gtest/gtest.h>

#include "envctl/health/prober.hpp"
#include "envctl/health/probes.hpp"
#include "envctl/util/subprocess.hpp"
#include "support/pg_cluster.hpp"
#include "support/redis_test_server.hpp"

using namespace envctl;
using namespace envctl::health;
using envctl::test::RedisTestServer;
using std::chrono::milliseconds;

TEST(RedisProbeLive, RealServerAnswersPongAndRefusesOnceStopped) {
    std::string why_not;
    auto redis = RedisTestServer::start(why_not);
    REQUIRE_PREREQUISITE(redis != nullptr, why_not);
    Probe probe = redis_probe("127.0.0.1", redis->port());
    ProbeResult r = run_attempt(probe, AttemptContext{milliseconds(1000), nullptr});
    EXPECT_EQ(r.outcome, Outcome::ok);
    EXPECT_EQ(r.detail, "PONG");
    EXPECT_EQ(r.target, "redis://127.0.0.1:" + std::to_string(redis->port()));

    redis->stop();
    r = run_attempt(probe, AttemptContext{milliseconds(1000), nullptr});
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "connection refused");
}

// redis-server starts 700 ms after its "container": the prober keeps polling and reports it ready soon after.
TEST(RedisProbeLive, ProberSeesALateServerBecomeReady) {
    std::string why_not;
    REQUIRE_PREREQUISITE(subprocess::find_program("redis-server").has_value(), "the redis-server binary");
    int port = envctl::test::free_port();
    TimePoint started = std::chrono::steady_clock::now();
    std::unique_ptr<RedisTestServer> redis;
    std::thread starter([&] {
        std::this_thread::sleep_for(milliseconds(700));
        redis = RedisTestServer::start(why_not, port);
    });
    auto reports = probe_until_decided({ServiceToProbe{"redis-dapr", redis_probe("127.0.0.1", port), started,
                                                       std::chrono::seconds(10)}},
                                       ProberOptions{});
    starter.join();
    ASSERT_NE(redis, nullptr) << why_not;
    const ServiceReport& r = reports[0];
    ASSERT_EQ(r.verdict, Verdict::ready) << r.reason;
    EXPECT_GE(*r.ready_after, milliseconds(700));
    EXPECT_LT(*r.ready_after, std::chrono::seconds(6));
    EXPECT_EQ(r.history.front().result.detail, "connection refused");
    EXPECT_EQ(r.reason, "PONG");
}
