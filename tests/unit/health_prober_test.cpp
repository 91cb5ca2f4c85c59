// Budget logic of the concurrent prober with a controllable clock: time moves only when the prober sleeps.
#include <csignal>
#include <mutex>

#include <gtest/gtest.h>

#include "envctl/health/prober.hpp"
#include "envctl/util/interrupt.hpp"
#include "support/fake_clock.hpp"

using namespace envctl;
using namespace envctl::health;
using envctl::test::FakeClock;
using std::chrono::milliseconds;

namespace {

// A probe that is not ready before `ready_at` (on the fake clock) and ok from then on; records each timeout.
struct Script {
    Script(FakeClock& c, std::optional<TimePoint> ready, Outcome until_ready = Outcome::not_ready)
        : clock(c), ready_at(ready), before(until_ready) {}

    FakeClock& clock;
    std::optional<TimePoint> ready_at;
    Outcome before = Outcome::not_ready;
    std::mutex mutex;
    std::vector<Duration> timeouts;

    Probe probe(const std::string& name) {
        return Probe{"fake://" + name, [this](const AttemptContext& ctx) {
                         {
                             std::lock_guard<std::mutex> lock(mutex);
                             timeouts.push_back(ctx.timeout);
                         }
                         ProbeResult r;
                         bool ready = ready_at && clock.now() >= *ready_at;
                         r.outcome = ready ? Outcome::ok : before;
                         r.detail = ready ? "HTTP 200" : "HTTP 503";
                         return r;
                     }};
    }
};

ServiceToProbe service(const std::string& name, Script& s, TimePoint started, Duration budget) {
    return ServiceToProbe{name, s.probe(name), started, budget};
}

}  // namespace

TEST(Prober, ReadyWhenTheProbeSucceedsAndTimeToReadyIsFromContainerStart) {
    FakeClock clock;
    TimePoint t0 = clock.now();
    Script s{clock, t0 + milliseconds(1200)};
    auto reports = probe_until_decided({service("opa", s, t0, std::chrono::seconds(5))}, ProberOptions{}, clock);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].verdict, Verdict::ready);
    // polls at 0, 250, ..., 1250 ms: the first at or after 1200 ms succeeds
    EXPECT_EQ(reports[0].ready_after, milliseconds(1250));
    EXPECT_EQ(reports[0].attempts, 6);
    EXPECT_EQ(reports[0].reason, "HTTP 200");
    EXPECT_EQ(clock.now() - t0, milliseconds(1250));  // returned as soon as it was decided
    for (auto d : clock.sleeps()) EXPECT_LE(d, milliseconds(250));
}

TEST(Prober, TimeBeforeTheProberStartedCounts) {
    FakeClock clock;
    TimePoint started = clock.now() - milliseconds(2000);  // the container started 2 s before probing began
    Script s{clock, clock.now()};
    auto reports = probe_until_decided({service("redis", s, started, std::chrono::seconds(5))}, ProberOptions{}, clock);
    EXPECT_EQ(reports[0].verdict, Verdict::ready);
    EXPECT_EQ(reports[0].ready_after, milliseconds(2000));
}

TEST(Prober, BudgetRunningOutIsTimedOutAtTheBudget) {
    FakeClock clock;
    TimePoint t0 = clock.now();
    Script s{clock, std::nullopt};
    ProberOptions options;
    options.history_limit = 5;
    auto reports = probe_until_decided({service("vault", s, t0, std::chrono::seconds(3))}, options, clock);
    const ServiceReport& r = reports[0];
    EXPECT_EQ(r.verdict, Verdict::timed_out);
    EXPECT_EQ(r.decided_after, milliseconds(3000));
    EXPECT_FALSE(r.ready_after.has_value());
    EXPECT_EQ(r.attempts, 12);  // 0, 250, ..., 2750 ms
    ASSERT_EQ(r.history.size(), 6u);  // the first, then the last 5
    EXPECT_EQ(r.history_dropped, 6);
    EXPECT_EQ(r.history.front().at, milliseconds(0));
    EXPECT_EQ(r.history.back().at, milliseconds(2750));
    EXPECT_EQ(r.history.back().result.target, "fake://vault");
    EXPECT_EQ(r.reason, "not ready within 3s (12 attempts; last: HTTP 503)");
}

TEST(Prober, AttemptTimeoutIsTheShorterOfItsOwnAndWhatIsLeft) {
    FakeClock clock;
    TimePoint t0 = clock.now();
    Script s{clock, std::nullopt};
    ProberOptions options;
    options.attempt_timeout = milliseconds(600);
    probe_until_decided({service("x", s, t0, milliseconds(1000))}, options, clock);
    std::vector<Duration> expected{milliseconds(600), milliseconds(600), milliseconds(500), milliseconds(250)};
    EXPECT_EQ(s.timeouts, expected);
}

TEST(Prober, ExitedContainerFailsAtOnceNotAfterTheBudget) {
    FakeClock clock;
    TimePoint t0 = clock.now();
    Script s{clock, std::nullopt};
    ProberOptions options;
    options.container_exit = [&](const std::string& name) -> std::optional<std::string> {
        EXPECT_EQ(name, "postgresql");
        if (clock.now() - t0 >= milliseconds(500)) return "container exited (exit code 1)";
        return std::nullopt;
    };
    auto reports = probe_until_decided({service("postgresql", s, t0, std::chrono::seconds(30))}, options, clock);
    EXPECT_EQ(reports[0].verdict, Verdict::failed);
    EXPECT_EQ(reports[0].cause, FailCause::container_exited);
    EXPECT_EQ(reports[0].reason, "container exited (exit code 1)");
    EXPECT_EQ(reports[0].decided_after, milliseconds(500));
    EXPECT_EQ(clock.now() - t0, milliseconds(500));
}

TEST(Prober, ProbeSayingBrokenFailsAtOnce) {
    FakeClock clock;
    Script s{clock, std::nullopt, Outcome::failed};
    auto reports = probe_until_decided({service("pg", s, clock.now(), std::chrono::seconds(30))}, ProberOptions{}, clock);
    EXPECT_EQ(reports[0].verdict, Verdict::failed);
    EXPECT_EQ(reports[0].cause, FailCause::probe_failed);
    EXPECT_EQ(reports[0].attempts, 1);
}

TEST(Prober, ServicesAreDecidedIndependentlyAndReportedAsTheyAreDecided) {
    FakeClock clock;
    TimePoint t0 = clock.now();
    Script fast{clock, t0 + milliseconds(300)};
    Script never{clock, std::nullopt};
    Script later{clock, t0 + milliseconds(900)};
    std::vector<std::string> events;
    ProberOptions options;
    options.on_event = [&](const ServiceReport& r) { events.push_back(r.name + " " + to_string(r.verdict)); };
    auto reports = probe_until_decided({service("a", never, t0, milliseconds(2000)), service("b", fast, t0, milliseconds(2000)),
                                        service("c", later, t0, milliseconds(2000))},
                                       options, clock);
    EXPECT_EQ(reports[0].verdict, Verdict::timed_out);
    EXPECT_EQ(reports[1].ready_after, milliseconds(500));
    EXPECT_EQ(reports[2].ready_after, milliseconds(1000));
    EXPECT_EQ(events, (std::vector<std::string>{"b ready", "c ready", "a timed_out"}));
    EXPECT_EQ(clock.now() - t0, milliseconds(2000));
}

TEST(Prober, FailFastStopsTheOthersAtTheFirstFailure) {
    FakeClock clock;
    TimePoint t0 = clock.now();
    Script never{clock, std::nullopt};
    ProberOptions options;
    options.fail_fast = true;
    options.container_exit = [&](const std::string& name) -> std::optional<std::string> {
        if (name == "dies" && clock.now() - t0 >= milliseconds(750)) return "container exited (exit code 2)";
        return std::nullopt;
    };
    auto reports = probe_until_decided({service("waits", never, t0, std::chrono::seconds(30)),
                                        service("dies", never, t0, std::chrono::seconds(30))},
                                       options, clock);
    EXPECT_EQ(reports[1].verdict, Verdict::failed);
    EXPECT_EQ(reports[0].verdict, Verdict::cancelled);
    EXPECT_EQ(reports[0].reason, "stopped: dies failed");
    EXPECT_EQ(clock.now() - t0, milliseconds(750));
}

TEST(Prober, WithoutFailFastTheOthersGoOn) {
    FakeClock clock;
    TimePoint t0 = clock.now();
    Script later{clock, t0 + milliseconds(1000)};
    Script broken{clock, std::nullopt, Outcome::failed};
    auto reports = probe_until_decided({service("ok", later, t0, std::chrono::seconds(5)),
                                        service("broken", broken, t0, std::chrono::seconds(5))},
                                       ProberOptions{}, clock);
    EXPECT_EQ(reports[0].verdict, Verdict::ready);
    EXPECT_EQ(reports[1].verdict, Verdict::failed);
}

TEST(Prober, AtLeastOneAttemptEvenWhenTheBudgetIsAlreadySpent) {
    FakeClock clock;
    Script s{clock, clock.now()};
    auto reports = probe_until_decided({service("late", s, clock.now() - std::chrono::seconds(60), std::chrono::seconds(30))},
                                       ProberOptions{}, clock);
    EXPECT_EQ(reports[0].verdict, Verdict::ready);
    ASSERT_EQ(s.timeouts.size(), 1u);
    EXPECT_EQ(s.timeouts[0], milliseconds(100));
}

TEST(Prober, InterruptCancelsEveryUndecidedService) {
    FakeClock clock;
    Script s{clock, std::nullopt};
    interrupt::request_for_test(SIGINT);
    auto reports = probe_until_decided({service("x", s, clock.now(), std::chrono::seconds(30))}, ProberOptions{}, clock);
    interrupt::reset_for_test();
    EXPECT_EQ(reports[0].verdict, Verdict::cancelled);
    EXPECT_EQ(reports[0].reason, "interrupted");
}

TEST(Prober, NoServicesIsNoWork) {
    FakeClock clock;
    EXPECT_TRUE(probe_until_decided({}, ProberOptions{}, clock).empty());
}
