// wait-ready's rule about state.json (issue 14, finding 6): run ids, a new failure ends a waiter at once, an old
// one only after --grace without a new up, a new run's ready flags only. The rule on its own, then the waiting loop
// on a scripted clock while "another process" writes state.json at set times.
#include "envctl/orchestration/wait_ready.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "envctl/orchestration/state.hpp"
#include "envctl/orchestration/wait_rule.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::orchestration;

namespace {

health::TimePoint t0() { return health::TimePoint{} + std::chrono::hours(1); }

State record(const std::string& run, Phase phase, std::int64_t updated, std::optional<int> code = std::nullopt) {
    State s;
    s.run_id = run;
    s.phase = phase;
    s.pid = ::getpid();
    s.command = "up";
    s.updated_at_ms = updated;
    s.failure_code = code;
    s.failure = code ? "api timed out" : "";
    return s;
}

}  // namespace

TEST(WaitRule, AFailureRecordedAfterTheWaiterStartedEndsItAtOnceWithThatRunsCode) {
    WaitRule rule(record("A", Phase::starting, 100), t0(), 10s);
    auto d = rule.next(record("A", Phase::failed, 200, 3), false, false, t0() + 1s);
    EXPECT_EQ(d.action, WaitRule::Action::fail);
    EXPECT_EQ(d.code, ExitCode::timed_out);
    // A run the waiter never saw begin (it started and failed between two looks) counts as after, too.
    WaitRule before_any(std::nullopt, t0(), 10s);
    d = before_any.next(record("B", Phase::failed, 300, 7), false, false, t0() + 1ms);
    EXPECT_EQ(d.action, WaitRule::Action::fail);
    EXPECT_EQ(d.code, ExitCode::preflight);
}

TEST(WaitRule, AFailureRecordedBeforeEndsItOnlyAfterTheGraceWithoutANewUp) {
    const auto old_failure = record("A", Phase::failed, 100, 4);
    WaitRule rule(old_failure, t0(), 10s);
    EXPECT_EQ(rule.next(old_failure, false, false, t0()).action, WaitRule::Action::wait);
    EXPECT_EQ(rule.next(old_failure, false, false, t0() + 9999ms).action, WaitRule::Action::wait);
    auto d = rule.next(old_failure, false, false, t0() + 10s);
    EXPECT_EQ(d.action, WaitRule::Action::fail);
    EXPECT_EQ(d.code, ExitCode::service_failed);
    EXPECT_NE(d.message.find("no new up began within 10s"), std::string::npos) << d.message;
    // An up holding the lock has begun, even before its first record: keep waiting past the grace.
    EXPECT_EQ(rule.next(old_failure, false, true, t0() + 11s).action, WaitRule::Action::wait);
}

TEST(WaitRule, ANewRunIsFollowedAndItsOwnFailureEndsTheWaiter) {
    WaitRule rule(record("A", Phase::failed, 100, 4), t0(), 10s);
    EXPECT_EQ(rule.next(record("B", Phase::starting, 150), true, true, t0() + 2s).action, WaitRule::Action::follow_run);
    auto d = rule.next(record("B", Phase::failed, 250, 7), false, false, t0() + 3s);
    EXPECT_EQ(d.action, WaitRule::Action::fail);
    EXPECT_EQ(d.code, ExitCode::preflight);
}

TEST(WaitRule, ReadyStoppedNothingOrADeadWriterMeanLookAtTheEnvironment) {
    WaitRule rule(std::nullopt, t0(), 10s);
    EXPECT_EQ(rule.next(std::nullopt, false, false, t0()).action, WaitRule::Action::check_live);
    EXPECT_EQ(rule.next(record("A", Phase::ready, 1), false, false, t0()).action, WaitRule::Action::check_live);
    EXPECT_EQ(rule.next(record("A", Phase::stopped, 1, 130), false, false, t0()).action, WaitRule::Action::check_live);
    EXPECT_EQ(rule.next(record("A", Phase::starting, 1), false, false, t0()).action, WaitRule::Action::check_live);
}

namespace {

// Time moves only when the waiter sleeps; at set times the script writes state.json as a concurrent `up` would.
class ScriptedClock final : public health::Clock {
public:
    health::TimePoint now() const override { return now_; }
    bool sleep_until(health::TimePoint t) override {
        if (t > now_) now_ = t;
        while (!script_.empty() && script_.begin()->first <= now_) {
            auto step = script_.begin()->second;
            script_.erase(script_.begin());
            step();
        }
        return true;
    }
    void at(Duration after_start, std::function<void()> step) { script_.emplace(t0() + after_start, std::move(step)); }

private:
    health::TimePoint now_ = t0();
    std::multimap<health::TimePoint, std::function<void()>> script_;
};

// The environment as the live check sees it: containers running or not, probes answering or not.
class ListedEngine final : public engine::Engine {
public:
    bool running = true;
    std::string name() const override { return "listed"; }
    void create(const std::vector<std::string>&, Deadline) override {}
    void start(const std::vector<std::string>&, Deadline) override {}
    void remove_all(bool, Deadline) override {}
    void remove_services(const std::vector<std::string>&, bool, Deadline) override {}
    std::vector<engine::ContainerInfo> list(Deadline) override {
        std::vector<engine::ContainerInfo> out;
        for (const char* s : {"db", "api"})
            if (running) out.push_back({s, std::string("w_") + s + "_1", s, engine::ContainerState::running, {}, {}, "", ""});
        return out;
    }
    std::vector<std::string> log_tail(const std::string&, int, Deadline) override { return {}; }
    engine::ExecResult exec(const std::string&, const std::vector<std::string>&, Deadline) override { return {}; }
    int follow_logs(const std::string&, int, const std::function<void(const std::string&)>&) override { return 0; }
};

class WaitReadyTest : public ::testing::Test {
protected:
    void SetUp() override {
        settings.project_dir = dir.path();
        settings.project = "waittest-" + std::to_string(::getpid());
        for (const char* name : {"db", "api"}) {
            descriptors::ServiceDescriptor d;
            d.name = name;
            d.image = std::string("localhost/test/") + name + ":1";
            stack.services.push_back(d);
        }
        stack.profiles["full"] = {"db", "api"};
    }

    void write(State s) { write_state(settings.state_dir() / "state.json", std::move(s)); }

    // A run's record as `up` writes it: this test's PID is the (live) writer.
    State run(const std::string& id, Phase phase, bool flags_ready, std::optional<int> code = std::nullopt) {
        State s = record(id, phase, 0, code);
        for (const char* name : {"db", "api"}) s.service_states[name] = {flags_ready, flags_ready ? std::optional<std::int64_t>(900) : std::nullopt, ""};
        if (!flags_ready) s.service_states.clear();
        return s;
    }

    // The previous pipeline's up failed (exit 3, nothing left running); a new run B begins 2 s into the wait.
    void failed_up_then_new_run_at_2s() {
        engine.running = false;
        write(run("A", Phase::failed, false, 3));
        clock.at(2s, [this] { write(run("B", Phase::starting, false)); });
    }

    WaitOutcome wait(Duration timeout, Duration grace = 10s) {
        StatusDeps deps{engine, [this](const descriptors::ServiceDescriptor& d) {
                            health::Probe p;
                            p.target = "fake://" + d.name;
                            p.attempt = [this](const health::AttemptContext&) {
                                health::ProbeResult r;
                                r.outcome = probes_ok ? health::Outcome::ok : health::Outcome::not_ready;
                                r.detail = probes_ok ? "fine" : "connection refused";
                                return r;
                            };
                            return p;
                        },
                        {}, 100ms};
        auto outcome = wait_ready(settings, stack, {"db", "api"}, {timeout, grace}, deps, clock);
        waited = std::chrono::duration_cast<Duration>(clock.now() - t0());
        return outcome;
    }

    test::TempDir dir;
    settings::Settings settings;
    descriptors::Stack stack;
    ListedEngine engine;
    ScriptedClock clock;
    bool probes_ok = true;
    Duration waited{0};
};

}  // namespace

// Before an `up` over an already-running, ready environment: nothing to wait for.
TEST_F(WaitReadyTest, StartedBeforeAnUpOverARunningEnvironmentReturnsReady) {
    write(run("A", Phase::ready, true));
    auto outcome = wait(60s);
    EXPECT_EQ(outcome.code, ExitCode::ok) << outcome.message;
    EXPECT_LT(waited, 1s);
}

// During an `up` over a running environment: the old containers answer, but the run has not said ready (it may
// recreate them), so the waiter waits for this run's own flags.
TEST_F(WaitReadyTest, StartedDuringAnUpWaitsForThatRunsOwnReadyFlags) {
    write(run("B", Phase::starting, false));
    clock.at(4s, [this] { write(run("B", Phase::ready, true)); });
    auto outcome = wait(60s);
    EXPECT_EQ(outcome.code, ExitCode::ok) << outcome.message;
    EXPECT_GE(waited, 4s);
    EXPECT_LT(waited, 5s);
}

TEST_F(WaitReadyTest, StartedDuringAnUpThatFailsEndsAtOnceWithItsCode) {
    write(run("B", Phase::starting, false));
    clock.at(3s, [this] { write(run("B", Phase::failed, false, 6)); });
    auto outcome = wait(60s);
    EXPECT_EQ(outcome.code, ExitCode::migration) << outcome.message;
    EXPECT_LT(waited, 4s);
}

TEST_F(WaitReadyTest, StartedAfterAFailedUpWithNoNewUpEndsAfterTheGrace) {
    engine.running = false;
    write(run("A", Phase::failed, false, 3));
    auto outcome = wait(60s, 5s);
    EXPECT_EQ(outcome.code, ExitCode::timed_out) << outcome.message;
    EXPECT_GE(waited, 5s);
    EXPECT_LT(waited, 6s);
}

// The CI case: the waiter starts a moment before its pipeline's `up`; the previous pipeline's failure is still
// in state.json.
TEST_F(WaitReadyTest, StartedAfterAFailedUpFollowsANewUpBegunWithinTheGrace) {
    failed_up_then_new_run_at_2s();
    clock.at(20s, [this] {
        engine.running = true;
        write(run("B", Phase::ready, true));
    });
    auto outcome = wait(60s);
    EXPECT_EQ(outcome.code, ExitCode::ok) << outcome.message;
    EXPECT_GE(waited, 20s);
}

TEST_F(WaitReadyTest, StartedAfterAFailedUpEndsAtOnceWhenTheNewUpIsRefusedByPreflight) {
    failed_up_then_new_run_at_2s();
    clock.at(3s, [this] { write(run("B", Phase::failed, false, 7)); });
    auto outcome = wait(60s);
    EXPECT_EQ(outcome.code, ExitCode::preflight) << outcome.message;
    EXPECT_LT(waited, 4s);
}

TEST(StateRuns, EveryRunHasItsOwnIdAndEndRunRecordsTheOutcome) {
    test::TempDir dir;
    const auto file = dir / "state.json";
    EXPECT_NE(new_run_id(), new_run_id());
    auto begun = begin_run(file, new_run_id(), "up", {"db"}, 3);
    auto read = read_state(file);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->phase, Phase::starting);
    EXPECT_EQ(read->run_id, begun.run_id);
    EXPECT_GT(read->started_at_ms, 0);
    end_run(file, begun, ExitCode::preflight, "web needs E2E_WEB_PORT=26000: held by nc (PID 1)");
    read = read_state(file);
    EXPECT_EQ(read->phase, Phase::failed);
    EXPECT_EQ(read->run_id, begun.run_id);
    EXPECT_EQ(read->failure_code, 7);
}

TEST(StateRuns, AGateThatFailsARunRecordedReadyMakesItFailedKeepingItsServicesButNeverAnotherRuns) {
    test::TempDir dir;
    const auto file = dir / "state.json";
    auto run = begin_run(file, new_run_id(), "up", {"db"}, 3);
    run.phase = Phase::ready;
    run.service_states["db"].ready = true;
    write_state(file, run);
    fail_finished_run(file, run.run_id, ExitCode::service_failed, "up --verify: every service is ready, but 1 of 9 checks did not pass");
    auto read = read_state(file);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->phase, Phase::failed);
    EXPECT_EQ(read->failure_code, 4);
    EXPECT_EQ(read->failure, "up --verify: every service is ready, but 1 of 9 checks did not pass");
    EXPECT_TRUE(read->service_states.at("db").ready);
    // Another up has begun since: its record stays as it is.
    auto next = begin_run(file, new_run_id(), "up", {"db"}, 3);
    fail_finished_run(file, run.run_id, ExitCode::service_failed, "late");
    read = read_state(file);
    EXPECT_EQ(read->run_id, next.run_id);
    EXPECT_EQ(read->phase, Phase::starting);
}
