// The tcp and redis probes against raw local listeners (scripted RESP replies), and the command probe against a
// scripted exec function.
#include <gtest/gtest.h>

#include "envctl/health/probes.hpp"
#include "support/pg_cluster.hpp"
#include "support/tcp_test_listener.hpp"

using namespace envctl;
using namespace envctl::health;
using envctl::test::TcpTestListener;
using std::chrono::milliseconds;

namespace {
ProbeResult attempt(const Probe& p, Duration timeout = milliseconds(1000)) {
    return run_attempt(p, AttemptContext{timeout, nullptr});
}
}  // namespace

TEST(TcpProbe, ListeningPortConnects) {
    TcpTestListener listener;
    ProbeResult r = attempt(tcp_probe("127.0.0.1", listener.port()));
    EXPECT_EQ(r.outcome, Outcome::ok);
    EXPECT_EQ(r.detail, "connected");
    EXPECT_EQ(r.target, "tcp://127.0.0.1:" + std::to_string(listener.port()));
}

TEST(TcpProbe, NothingListeningIsRefused) {
    ProbeResult r = attempt(tcp_probe("127.0.0.1", envctl::test::free_port()));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "connection refused");
}

TEST(TcpProbe, UnresolvableHostIsNotReady) {
    ProbeResult r = attempt(tcp_probe("no-such-host.invalid", 80));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_NE(r.detail.find("cannot resolve"), std::string::npos) << r.detail;
}

TEST(RedisProbe, PongIsOkAndThePingIsRespEncoded) {
    TcpTestListener server("+PONG\r\n");
    ProbeResult r = attempt(redis_probe("127.0.0.1", server.port()));
    EXPECT_EQ(r.outcome, Outcome::ok);
    EXPECT_EQ(r.detail, "PONG");
    ASSERT_EQ(server.received().size(), 1u);
    EXPECT_EQ(server.received()[0], "*1\r\n$4\r\nPING\r\n");
}

TEST(RedisProbe, LoadingIsNotReady) {
    TcpTestListener server("-LOADING Redis is loading the dataset in memory\r\n");
    ProbeResult r = attempt(redis_probe("127.0.0.1", server.port()));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_NE(r.detail.find("LOADING"), std::string::npos);
}

TEST(RedisProbe, NoAuthMeansTheServerAnswers) {
    TcpTestListener server("-NOAUTH Authentication required.\r\n");
    EXPECT_EQ(attempt(redis_probe("127.0.0.1", server.port())).outcome, Outcome::ok);
}

TEST(RedisProbe, SilentServerTimesOut) {
    TcpTestListener server("", true);
    ProbeResult r = attempt(redis_probe("127.0.0.1", server.port()), milliseconds(300));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "timeout after 300ms");
    EXPECT_LT(r.latency, milliseconds(2000));
}

TEST(RedisProbe, ClosedConnectionIsNotReady) {
    TcpTestListener server;  // accepts and closes without a reply
    ProbeResult r = attempt(redis_probe("127.0.0.1", server.port()));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_TRUE(r.detail == "connection closed" || r.detail == "connection reset") << r.detail;
}

TEST(RedisProbe, RefusedIsNotReady) {
    ProbeResult r = attempt(redis_probe("127.0.0.1", envctl::test::free_port()));
    EXPECT_EQ(r.detail, "connection refused");
}

namespace {

ExecFunction scripted_exec(engine::ExecResult result, Deadline* seen_deadline = nullptr) {
    return [result, seen_deadline](const std::string&, const std::vector<std::string>&, Deadline deadline) {
        if (seen_deadline != nullptr) *seen_deadline = deadline;
        return result;
    };
}

}  // namespace

TEST(CommandProbe, ExitZeroIsOk) {
    Deadline seen{};
    auto before = std::chrono::steady_clock::now();
    Probe p = command_probe("authentik-worker", {"ak", "healthcheck"}, scripted_exec({0, "ok\n", false}, &seen));
    ProbeResult r = attempt(p, milliseconds(1500));
    EXPECT_EQ(r.outcome, Outcome::ok);
    EXPECT_EQ(r.detail, "exit 0");
    EXPECT_EQ(r.target, "exec authentik-worker: ak healthcheck");
    EXPECT_GE(seen - before, milliseconds(1500));  // the deadline is the attempt's timeout from now
    EXPECT_LT(seen - before, milliseconds(3000));
}

TEST(CommandProbe, NonZeroExitIsNotReadyWithTheLastLine) {
    Probe p = command_probe("db", {"pg_isready"}, scripted_exec({1, "checking\nno response\n\n", false}));
    ProbeResult r = attempt(p);
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.describe(), "exit 1: no response");
}

TEST(CommandProbe, CommandNotFoundIsFailed) {
    Probe p = command_probe("db", {"nope"}, scripted_exec({127, "executable file not found", false}));
    EXPECT_EQ(attempt(p).outcome, Outcome::failed);
}

TEST(CommandProbe, TimeoutIsNotReady) {
    Probe p = command_probe("db", {"sleep", "9"}, scripted_exec({-1, "", true}));
    ProbeResult r = attempt(p, milliseconds(500));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "timeout after 500ms");
}

TEST(CommandProbe, ThrowingExecIsNotReadyNotACrash) {
    ExecFunction exec = [](const std::string&, const std::vector<std::string>&, Deadline) -> engine::ExecResult {
        throw std::runtime_error("podman exec failed");
    };
    ProbeResult r = attempt(command_probe("db", {"true"}, exec));
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_EQ(r.detail, "probe error: podman exec failed");
}
