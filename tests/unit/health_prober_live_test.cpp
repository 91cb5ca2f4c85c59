// The prober and the status round on the real clock against real local servers.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "envctl/health/prober.hpp"
#include "envctl/health/probes.hpp"
#include "support/http_test_server.hpp"
#include "support/pg_cluster.hpp"
#include "support/tcp_test_listener.hpp"

using namespace envctl;
using namespace envctl::health;
using envctl::test::HttpTestServer;
using envctl::test::ScriptedReply;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

namespace {
Probe http_on(int port) {
    HttpTarget t;
    t.port = port;
    t.path = "/health";
    return http_probe(t);
}
}  // namespace

// The server drops its first connections, answers 503 until 1 s after the container "started", then 200: the
// prober sees it ready after the switch. How promptly is a wall-clock matter: the poll interval is held by the
// fake-clock tests (health_prober_test.cpp), the promptness on a real machine by bench/prober_bench.cpp.
TEST(ProberLive, HttpServerTurningReadyIsSeenPromptly) {
    HttpTestServer server;
    TimePoint started = SteadyClock::now();
    TimePoint switch_at = started + milliseconds(1000);
    server.script([switch_at](int n) {
        if (n < 2) return ScriptedReply{200, "", milliseconds(0), true};
        if (SteadyClock::now() < switch_at) return ScriptedReply{503, "starting"};
        return ScriptedReply{200, "ready"};
    });
    std::vector<std::string> events;
    ProberOptions options;
    options.on_event = [&](const ServiceReport& r) { events.push_back(r.name); };
    auto reports = probe_until_decided({ServiceToProbe{"web", http_on(server.port()), started, std::chrono::seconds(10)}},
                                       options);
    const ServiceReport& r = reports[0];
    ASSERT_EQ(r.verdict, Verdict::ready) << r.reason;
    ASSERT_TRUE(r.ready_after.has_value());
    EXPECT_GE(*r.ready_after, milliseconds(1000));
    EXPECT_GE(r.attempts, 3);  // the dropped connections, at least one 503, the 200: polled, not waited out
    EXPECT_EQ(events, std::vector<std::string>{"web"});
    EXPECT_EQ(r.history.front().result.outcome, Outcome::not_ready);  // the dropped connection
    EXPECT_EQ(r.history.back().result.detail, "HTTP 200");
}

// One service whose attempts hang for their whole timeout does not delay another's verdict.
TEST(ProberLive, AHangingServiceDoesNotDelayTheOthers) {
    envctl::test::TcpTestListener silent("", true);
    HttpTestServer server;
    TimePoint started = SteadyClock::now();
    ProberOptions options;
    options.attempt_timeout = milliseconds(1500);
    auto reports = probe_until_decided(
        {ServiceToProbe{"hangs", redis_probe("127.0.0.1", silent.port()), started, milliseconds(1600)},
         ServiceToProbe{"web", http_on(server.port()), started, std::chrono::seconds(10)}},
        options);
    EXPECT_EQ(reports[0].verdict, Verdict::timed_out);
    EXPECT_EQ(reports[0].history.front().result.detail, "timeout after 1.5s");
    ASSERT_EQ(reports[1].verdict, Verdict::ready);
    EXPECT_LT(*reports[1].ready_after, reports[0].decided_after / 2);
}

TEST(ProberLive, RefusedUntilTheBudgetIsTimedOut) {
    TimePoint started = SteadyClock::now();
    auto reports = probe_until_decided(
        {ServiceToProbe{"down", tcp_probe("127.0.0.1", envctl::test::free_port()), started, milliseconds(600)}},
        ProberOptions{});
    EXPECT_EQ(reports[0].verdict, Verdict::timed_out);
    EXPECT_GE(reports[0].decided_after, milliseconds(600));  // a lower bound the budget itself guarantees
    EXPECT_EQ(reports[0].history.back().result.detail, "connection refused");
}

TEST(ProbeRound, OneAttemptEachConcurrentlyWithinTheTotal) {
    HttpTestServer server;
    server.script({ScriptedReply{200, "ok"}});
    envctl::test::TcpTestListener silent("", true);
    std::vector<Probe> probes{http_on(server.port()), redis_probe("127.0.0.1", silent.port()),
                              redis_probe("127.0.0.1", silent.port()),
                              tcp_probe("127.0.0.1", envctl::test::free_port())};
    auto results = probe_round(probes, milliseconds(500));
    ASSERT_EQ(results.size(), 4u);
    EXPECT_EQ(results[0].outcome, Outcome::ok);
    EXPECT_EQ(results[1].detail.rfind("timeout after", 0), 0u) << results[1].detail;
    EXPECT_EQ(results[2].detail.rfind("timeout after", 0), 0u) << results[2].detail;
    EXPECT_EQ(results[3].detail, "connection refused");
    EXPECT_EQ(results[0].target, probes[0].target);
    EXPECT_EQ(server.requests(), 1);
    // Both hanging attempts got their whole time ("timeout after", not "ran out" as in the one-thread test below):
    // they ran side by side. The round's wall-clock time is measured by bench/prober_bench.cpp.
}

TEST(ProbeRound, TimeLeftBoundsAttemptsThatWaitForAThread) {
    envctl::test::TcpTestListener silent("", true);
    std::vector<Probe> probes(3, redis_probe("127.0.0.1", silent.port()));
    auto results = probe_round(probes, milliseconds(300), 1);  // one thread: the 2nd and 3rd find no time left
    EXPECT_EQ(results[0].detail.rfind("timeout after", 0), 0u) << results[0].detail;
    EXPECT_NE(results[2].detail.find("ran out"), std::string::npos) << results[2].detail;
}
