// The orchestrator (up) against a fake engine that behaves as podman does, fake probes and a controllable clock:
// level-by-level start, failure reports, teardown, backoff, retry classification; what reset removes and when,
// what an interrupt removes, --keep-on-failure.
#include "envctl/orchestration/up.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "envctl/core/error.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/interrupt.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_engine.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace envctl;

namespace {

using test::FakeEngine;

descriptors::ServiceDescriptor service(const std::string& name, std::vector<std::string> deps) {
    descriptors::ServiceDescriptor d;
    d.name = name;
    d.image = "localhost/test/" + name + ":1";
    d.depends_on = std::move(deps);
    return d;
}

class OrchestratorTest : public ::testing::Test {
protected:
    void SetUp() override {
        settings.project_dir = dir.path();
        settings.project = "orchtest";
        settings.ready_budget = 3s;
        settings.vars.set("MIGRATION_TIMEOUT", "30s", {});
        stack.services = {service("db", {}), service("api", {"db"}), service("web", {"api"})};
        stack.profiles["full"] = {"db", "api", "web"};
        engine.clock = &clock;
    }

    // A probe that turns ok `delay` after the service's container started (never, for nullopt).
    std::function<health::Probe(const descriptors::ServiceDescriptor&)> probes() {
        return [this](const descriptors::ServiceDescriptor& d) {
            health::Probe p;
            p.target = "fake://" + d.name;
            std::string name = d.name;
            p.attempt = [this, name](const health::AttemptContext&) {
                health::ProbeResult r;
                r.target = "fake://" + name;
                auto delay = ready_after.count(name) ? ready_after[name] : std::optional<Duration>(100ms);
                std::lock_guard lock(engine.mutex);
                bool ok = delay && engine.started_at.count(name) && clock.now() >= engine.started_at[name] + *delay;
                r.outcome = ok ? health::Outcome::ok : health::Outcome::not_ready;
                r.detail = ok ? "fine" : "HTTP 503";
                return r;
            };
            return p;
        };
    }

    void TearDown() override { interrupt::reset_for_test(); }

    orchestration::UpOutcome up(int attempts, std::function<void(Deadline)> migrate = {}) {
        return run({{"db", "api", "web"}, attempts, "up"}, std::move(migrate));
    }

    orchestration::UpOutcome run(const orchestration::UpRequest& request, std::function<void(Deadline)> migrate = {},
                                 std::function<void()> preflight = {}) {
        ui::Progress progress(ui::Mode::quiet);
        orchestration::UpDeps deps{engine, clock, progress, probes(), std::move(migrate), [] { return 0.5; }};
        deps.preflight = std::move(preflight);
        return orchestration::run_up(settings, stack, request, deps);
    }

    // An interrupt (as SIGINT) arriving right after the engine call `call`.
    void interrupt_at(const std::string& call) {
        engine.on_call = [call](const std::string& c) {
            if (c == call) interrupt::request_for_test(SIGINT);
        };
    }

    test::TempDir dir;
    settings::Settings settings;
    descriptors::Stack stack;
    FakeEngine engine;
    test::FakeClock clock;
    std::map<std::string, std::optional<Duration>> ready_after;
};

}  // namespace

TEST_F(OrchestratorTest, StartsLevelByLevelAndEndsReady) {
    ready_after["db"] = 1s;
    auto outcome = up(3);
    EXPECT_EQ(outcome.code, ExitCode::ok) << outcome.message;
    EXPECT_EQ(engine.calls, (std::vector<std::string>{"create", "start db", "start api", "start web"}));
    // api started only once db was ready: at least db's 1 s after db's start.
    EXPECT_GE(engine.started_at["api"] - engine.started_at["db"], 1s);
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->phase, orchestration::Phase::ready);
    ASSERT_TRUE(state->service_states["db"].ready_after_ms.has_value());
    EXPECT_GE(*state->service_states["db"].ready_after_ms, 1000);
    EXPECT_LE(*state->service_states["db"].ready_after_ms, 1300);  // polled every 250 ms at most
}

TEST_F(OrchestratorTest, NeverHealthyTimesOutTearsDownRetriesWithBackoffAndReports) {
    ready_after["api"] = std::nullopt;
    auto outcome = up(2);
    EXPECT_EQ(outcome.code, ExitCode::timed_out);
    EXPECT_EQ(outcome.attempts_made, 2);
    EXPECT_NE(outcome.message.find("api"), std::string::npos) << outcome.message;
    int teardowns = 0, creates = 0;
    for (const auto& c : engine.calls) {
        teardowns += c == "remove_all";
        creates += c == "create";
    }
    EXPECT_EQ(teardowns, 2);
    EXPECT_EQ(creates, 2);
    EXPECT_TRUE(engine.containers.empty());
    // Backoff between the attempts: 1 s (random 0.5 -> no jitter).
    bool slept_backoff = false;
    for (auto d : clock.sleeps()) slept_backoff |= d == std::chrono::steady_clock::duration(1s);
    EXPECT_TRUE(slept_backoff);
    ASSERT_TRUE(outcome.report.has_value());
    auto report = files::read(*outcome.report);
    EXPECT_NE(report.find("\"service\": \"api\""), std::string::npos) << report;
    EXPECT_NE(report.find("api log line 2"), std::string::npos);
    EXPECT_NE(report.find("HTTP 503"), std::string::npos);
    EXPECT_NE(report.find("\"attempt\": 2"), std::string::npos);
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    EXPECT_EQ(state->phase, orchestration::Phase::failed);
    EXPECT_EQ(state->failure_code, 3);
}

TEST_F(OrchestratorTest, ContainerExitingAtStartFailsAtOnceWithExitFour) {
    engine.exits_on_start.insert("db");
    auto started = clock.now();
    auto outcome = up(1);
    EXPECT_EQ(outcome.code, ExitCode::service_failed);
    EXPECT_NE(outcome.message.find("db"), std::string::npos);
    EXPECT_LT(clock.now() - started, 3s);  // decided by the exit, not by the 3 s budget
    EXPECT_EQ(std::count(engine.calls.begin(), engine.calls.end(), "start api"), 0);
}

TEST_F(OrchestratorTest, MigrationFailureIsNotRetried) {
    stack.services[0].name = "postgresql";
    stack.services[1].depends_on = {"postgresql"};
    auto fail = [](Deadline) { throw Error(ExitCode::migration, "0002_broken.sql: syntax error at position 14"); };
    ui::Progress progress(ui::Mode::quiet);
    orchestration::UpDeps deps{engine, clock, progress, probes(), fail, [] { return 0.5; }};
    auto outcome = orchestration::run_up(settings, stack, {{"postgresql", "api", "web"}, 3, "up"}, deps);
    EXPECT_EQ(outcome.code, ExitCode::migration);
    EXPECT_EQ(outcome.attempts_made, 1);
    EXPECT_NE(outcome.message.find("0002_broken.sql"), std::string::npos);
}

// Finding 5 of issue 14: a probe's text cut in the middle of a character once made nlohmann's dump throw while
// recording the failure; `up` exited 1 with the containers running and state.json stuck at "starting".
TEST_F(OrchestratorTest, ProbeTextWithHalfACharacterStillEndsInTeardownAndAFinalState) {
    auto make_probe = [](const descriptors::ServiceDescriptor& d) {
        health::Probe p;
        p.target = "fake://" + d.name;
        p.attempt = [](const health::AttemptContext&) {
            health::ProbeResult r;
            r.outcome = health::Outcome::failed;
            r.detail = "HTTP 401";
            r.excerpt = std::string(119, 'x') + "\xC3";  // the first byte of an é
            return r;
        };
        return p;
    };
    ui::Progress progress(ui::Mode::quiet);
    orchestration::UpDeps deps{engine, clock, progress, make_probe, {}, [] { return 0.5; }};
    auto outcome = orchestration::run_up(settings, stack, {{"db", "api", "web"}, 2, "up"}, deps);
    EXPECT_EQ(outcome.code, ExitCode::service_failed) << outcome.message;
    EXPECT_TRUE(engine.containers.empty());
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->phase, orchestration::Phase::failed);
    EXPECT_EQ(state->failure_code, 4);
    ASSERT_TRUE(outcome.report.has_value());
    EXPECT_FALSE(nlohmann::json::parse(files::read(*outcome.report), nullptr, false).is_discarded());
}

namespace {
// An engine whose start throws something other than envctl::Error (a library's exception, a bug).
class ThrowingEngine : public FakeEngine {
public:
    void start(const std::vector<std::string>&, Deadline) override { throw std::runtime_error("unexpected"); }
};
}  // namespace

TEST_F(OrchestratorTest, AnExceptionOtherThanErrorTearsDownAndRecordsExitOne) {
    ThrowingEngine throwing;
    ui::Progress progress(ui::Mode::quiet);
    orchestration::UpDeps deps{throwing, clock, progress, probes(), {}, [] { return 0.5; }};
    auto outcome = orchestration::run_up(settings, stack, {{"db", "api", "web"}, 3, "up"}, deps);
    EXPECT_EQ(outcome.code, ExitCode::internal);
    EXPECT_EQ(outcome.attempts_made, 1);  // a bug is not retried
    EXPECT_NE(outcome.message.find("unexpected"), std::string::npos) << outcome.message;
    EXPECT_EQ(std::count(throwing.calls.begin(), throwing.calls.end(), "remove_all"), 1);
    EXPECT_TRUE(throwing.containers.empty());
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->phase, orchestration::Phase::failed);
    EXPECT_EQ(state->failure_code, 1);
}

TEST_F(OrchestratorTest, AFailureReportThatCannotBeWrittenStillTearsDown) {
    ready_after["api"] = std::nullopt;
    files::write_atomic(settings.reports_dir(), "a file where the reports folder belongs\n");
    auto outcome = up(1);
    EXPECT_EQ(outcome.code, ExitCode::timed_out) << outcome.message;
    EXPECT_FALSE(outcome.report.has_value());
    EXPECT_TRUE(engine.containers.empty());
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->phase, orchestration::Phase::failed);
}

TEST_F(OrchestratorTest, AStateFileThatCannotBeWrittenEndsTheUpWithoutAnException) {
    std::filesystem::create_directories(settings.state_dir() / "state.json");  // a folder: nothing can replace it
    orchestration::UpOutcome outcome;
    ASSERT_NO_THROW(outcome = up(1));
    EXPECT_EQ(outcome.code, ExitCode::internal);
    EXPECT_NE(outcome.message.find("state.json"), std::string::npos) << outcome.message;
    EXPECT_TRUE(engine.containers.empty());
}

// Finding 6 of issue 14: the previous run's ready flags were carried into the new run's record, so a waiter could
// return 0 on containers this run was about to recreate. Each run has its own id and starts with no flags.
TEST_F(OrchestratorTest, ANewRunRecordsItsOwnIdAndNoReadyFlagOfThePreviousRun) {
    ASSERT_EQ(up(1).code, ExitCode::ok);
    const auto first = orchestration::read_state(settings.state_dir() / "state.json");
    ASSERT_TRUE(first && !first->run_id.empty());
    ASSERT_TRUE(first->service_states.at("web").ready);
    std::optional<orchestration::State> seen;  // state.json while the second run probes db
    auto inner = probes();
    auto watching = [&](const descriptors::ServiceDescriptor& d) {
        auto p = inner(d);
        if (d.name != "db") return p;
        auto attempt = p.attempt;
        p.attempt = [&, attempt](const health::AttemptContext& ctx) {
            if (!seen) seen = orchestration::read_state(settings.state_dir() / "state.json");
            return attempt(ctx);
        };
        return p;
    };
    ui::Progress progress(ui::Mode::quiet);
    orchestration::UpDeps deps{engine, clock, progress, watching, {}, [] { return 0.5; }};
    ASSERT_EQ(orchestration::run_up(settings, stack, {{"db", "api", "web"}, 1, "up"}, deps).code, ExitCode::ok);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->phase, orchestration::Phase::starting);
    EXPECT_NE(seen->run_id, first->run_id);
    EXPECT_EQ(seen->service_states.count("web"), 0u);
    EXPECT_EQ(seen->service_states.count("db"), 0u);
}

TEST_F(OrchestratorTest, SecondUpOfAReadyEnvironmentStartsNothingNew) {
    ASSERT_EQ(up(1).code, ExitCode::ok);
    auto before = engine.containers;
    engine.calls.clear();
    auto outcome = up(1);
    EXPECT_EQ(outcome.code, ExitCode::ok);
    EXPECT_EQ(engine.count("remove_all"), 0);
    for (const auto& [s, c] : before) {
        EXPECT_EQ(engine.containers[s].id, c.id) << s;
        EXPECT_EQ(engine.containers[s].started_at_ms, c.started_at_ms) << s;
    }
}

// Finding 1: reset removes nothing before preflight has passed.
TEST_F(OrchestratorTest, ResetRemovesNothingWhenPreflightRefuses) {
    engine.volumes_of = {{"db", {"p_db-data"}}, {"api", {"p_api-data"}}};
    ASSERT_EQ(up(1).code, ExitCode::ok);
    auto ids = engine.containers;
    orchestration::UpRequest request{{"db", "api", "web"}, 1, "reset"};
    request.reset = std::vector<std::string>{};
    auto refuse = [] { throw Error(ExitCode::preflight, "web needs E2E_WEB_PORT=8080: held by nc (PID 1)"); };
    try {
        run(request, {}, refuse);
        FAIL() << "preflight's refusal should end the reset";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::preflight);
    }
    EXPECT_EQ(engine.count("remove_all volumes"), 0);
    EXPECT_EQ(engine.volumes, (std::set<std::string>{"p_api-data", "p_db-data"}));
    EXPECT_TRUE(engine.removed_volumes.empty());
    for (const auto& [s, c] : ids) EXPECT_EQ(engine.id(s), c.id) << s << " was touched";
}

TEST_F(OrchestratorTest, ResetWithoutServicesRemovesTheWholeProjectAfterPreflight) {
    engine.volumes_of = {{"db", {"p_db-data"}}, {"api", {"p_api-data"}}};
    ASSERT_EQ(up(1).code, ExitCode::ok);
    engine.calls.clear();
    orchestration::UpRequest request{{"db", "api", "web"}, 1, "reset"};
    request.reset = std::vector<std::string>{};
    auto outcome = run(request, {}, [this] { engine.calls.push_back("preflight"); });
    EXPECT_EQ(outcome.code, ExitCode::ok) << outcome.message;
    ASSERT_GE(engine.calls.size(), 3u);
    EXPECT_EQ(engine.calls[0], "preflight");
    EXPECT_EQ(engine.calls[1], "remove_all volumes");
    EXPECT_EQ(engine.calls[2], "create");
    EXPECT_EQ(engine.removed_volumes, (std::set<std::string>{"p_api-data", "p_db-data"}));
}

TEST_F(OrchestratorTest, ResetOfNamedServicesRemovesOnlyTheirContainersAndVolumes) {
    engine.volumes_of = {{"db", {"p_db-data"}}, {"api", {"p_api-data"}}};
    ASSERT_EQ(up(1).code, ExitCode::ok);
    const auto db_id = engine.id("db");
    const auto api_id = engine.id("api");
    engine.calls.clear();
    // `reset api`: the request is api with its dependencies; only api is reset.
    orchestration::UpRequest request{{"db", "api"}, 1, "reset"};
    request.reset = std::vector<std::string>{"api"};
    auto outcome = run(request, {}, [this] { engine.calls.push_back("preflight"); });
    EXPECT_EQ(outcome.code, ExitCode::ok) << outcome.message;
    EXPECT_EQ(engine.calls[0], "preflight");
    EXPECT_EQ(engine.calls[1], "remove_services api volumes");
    EXPECT_EQ(engine.count("remove_all volumes") + engine.count("remove_all"), 0);
    EXPECT_EQ(engine.removed_volumes, (std::set<std::string>{"p_api-data"}));
    EXPECT_EQ(engine.id("db"), db_id) << "db was not named: its container stays";
    EXPECT_TRUE(engine.running("api"));
    EXPECT_NE(engine.id("api"), api_id) << "api is recreated";
    EXPECT_TRUE(engine.running("web")) << "web was not named";
}

// Finding 2: an interrupt removes only what the interrupted command created or started.
TEST_F(OrchestratorTest, InterruptDuringASecondUpOfAReadyEnvironmentRemovesNothing) {
    ASSERT_EQ(up(1).code, ExitCode::ok);
    auto before = engine.containers;
    interrupt_at("start api");
    auto outcome = up(1);
    EXPECT_EQ(outcome.code, ExitCode::interrupted);
    EXPECT_EQ(engine.count("remove_all"), 0);
    for (const auto& [s, c] : before) {
        EXPECT_TRUE(engine.running(s)) << s;
        EXPECT_EQ(engine.id(s), c.id) << s;
    }
    EXPECT_TRUE(engine.network);
}

TEST_F(OrchestratorTest, InterruptDuringUpOfAnotherServiceRemovesOnlyThatService) {
    stack.services.push_back(service("vault", {}));
    ASSERT_EQ(up(1).code, ExitCode::ok);
    auto before = engine.containers;
    ready_after["vault"] = std::nullopt;  // still starting when the interrupt comes
    interrupt_at("start vault");
    auto outcome = run({{"vault"}, 3, "up"});
    EXPECT_EQ(outcome.code, ExitCode::interrupted);
    EXPECT_EQ(outcome.attempts_made, 1);
    EXPECT_EQ(engine.count("remove_services vault"), 1);
    EXPECT_EQ(engine.count("remove_all"), 0);
    EXPECT_FALSE(engine.containers.count("vault"));
    for (const auto& [s, c] : before) {
        EXPECT_TRUE(engine.running(s)) << s;
        EXPECT_EQ(engine.id(s), c.id) << s;
    }
    EXPECT_TRUE(engine.network);
}

TEST_F(OrchestratorTest, InterruptDuringAFirstUpRemovesEverythingItCreatedButNoVolume) {
    engine.volumes_of = {{"db", {"p_db-data"}}};
    ready_after["api"] = std::nullopt;
    interrupt_at("start api");
    auto outcome = up(3);
    EXPECT_EQ(outcome.code, ExitCode::interrupted);
    EXPECT_EQ(engine.count("remove_all"), 1);
    EXPECT_TRUE(engine.containers.empty());
    EXPECT_FALSE(engine.network);
    EXPECT_EQ(engine.volumes, (std::set<std::string>{"p_db-data"}));
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    EXPECT_EQ(state->phase, orchestration::Phase::stopped);
}

TEST_F(OrchestratorTest, InterruptRemovesAContainerItRecreatedOrStartedButKeepsOthers) {
    ASSERT_EQ(up(1).code, ExitCode::ok);
    const auto db_id = engine.id("db");
    {
        std::lock_guard lock(engine.mutex);
        engine.containers["web"].state = engine::ContainerState::exited;  // stopped since: this up starts it again
    }
    interrupt_at("start web");
    auto outcome = up(1);
    EXPECT_EQ(outcome.code, ExitCode::interrupted);
    EXPECT_EQ(engine.count("remove_services web"), 1);
    EXPECT_FALSE(engine.containers.count("web"));
    EXPECT_EQ(engine.id("db"), db_id);
    EXPECT_TRUE(engine.running("api"));
}

// The failure rule is unchanged: a failed attempt tears the whole environment down, what ran before included.
TEST_F(OrchestratorTest, FailureTearsDownTheWholeEnvironmentIncludingWhatRanBefore) {
    engine.volumes_of = {{"db", {"p_db-data"}}};
    stack.services.push_back(service("vault", {}));
    ASSERT_EQ(up(1).code, ExitCode::ok);
    ready_after["vault"] = std::nullopt;
    auto outcome = run({{"vault"}, 1, "up"});
    EXPECT_EQ(outcome.code, ExitCode::timed_out);
    EXPECT_EQ(engine.count("remove_all"), 1);
    EXPECT_TRUE(engine.containers.empty());
    EXPECT_EQ(engine.volumes, (std::set<std::string>{"p_db-data"})) << "named volumes stay";
}

// Finding 4: --keep-on-failure leaves the environment as it failed, and says so.
TEST_F(OrchestratorTest, KeepOnFailureNeitherTearsDownNorRetries) {
    ready_after["api"] = std::nullopt;
    orchestration::UpRequest request{{"db", "api", "web"}, 3, "up"};
    request.keep_on_failure = true;
    auto outcome = run(request);
    EXPECT_EQ(outcome.code, ExitCode::timed_out);
    EXPECT_EQ(outcome.attempts_made, 1);
    EXPECT_TRUE(outcome.kept);
    EXPECT_EQ(engine.count("remove_all"), 0);
    EXPECT_TRUE(engine.running("db"));
    EXPECT_TRUE(engine.running("api")) << "the failing service's container is left for a look";
    EXPECT_FALSE(engine.running("web")) << "never started: its level never came";
    ASSERT_TRUE(outcome.report.has_value());
    auto report = files::read(*outcome.report);
    EXPECT_NE(report.find("left as it failed (--keep-on-failure)"), std::string::npos) << report;
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    EXPECT_EQ(state->phase, orchestration::Phase::failed);
}

TEST_F(OrchestratorTest, KeepOnFailureKeepsAFailedMigrationToLookAt) {
    stack.services[0].name = "postgresql";
    stack.services[1].depends_on = {"postgresql"};
    orchestration::UpRequest request{{"postgresql", "api", "web"}, 3, "up"};
    request.keep_on_failure = true;
    auto outcome = run(request, [](Deadline) { throw Error(ExitCode::migration, "0002_broken.sql: syntax error"); });
    EXPECT_EQ(outcome.code, ExitCode::migration);
    EXPECT_EQ(engine.count("remove_all"), 0);
    EXPECT_TRUE(engine.running("postgresql"));
}

TEST_F(OrchestratorTest, WithoutAMigratorPostgresqlIsReadyUnmigrated) {
    stack.services[0].name = "postgresql";
    stack.services[1].depends_on = {"postgresql"};
    auto outcome = run({{"postgresql", "api", "web"}, 1, "up"}, {});
    EXPECT_EQ(outcome.code, ExitCode::ok) << outcome.message;
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    EXPECT_TRUE(state->service_states["postgresql"].ready);
    EXPECT_NE(state->service_states["postgresql"].detail, "migrated and compliant");
}

TEST_F(OrchestratorTest, EngineFaultIsNotRetriedExitsSevenWithDoctorsFixAndSaysWhy) {
    engine.start_errors["db"] = "starting orchtest_db_1 failed (HTTP 500):\nnetavark: No such file or directory (os error 2)";
    ui::Progress progress(ui::Mode::plain);
    orchestration::UpDeps deps{engine, clock, progress, probes(), {}, [] { return 0.5; }};
    deps.diagnose = [](const std::string& error) {
        return error.find("netavark") != std::string::npos ? std::string("apt-get install iptables") : std::string();
    };
    testing::internal::CaptureStderr();
    auto outcome = orchestration::run_up(settings, stack, {{"db", "api", "web"}, 3, "up"}, deps);
    auto said = testing::internal::GetCapturedStderr();
    EXPECT_EQ(outcome.code, ExitCode::preflight);
    EXPECT_EQ(outcome.attempts_made, 1);
    EXPECT_EQ(std::count(engine.calls.begin(), engine.calls.end(), "create"), 1);  // no second attempt
    EXPECT_TRUE(engine.containers.empty());                                      // torn down
    EXPECT_NE(outcome.message.find("network setup failed"), std::string::npos) << outcome.message;
    EXPECT_NE(outcome.message.find("apt-get install iptables"), std::string::npos) << outcome.message;
    EXPECT_NE(said.find("no retry follows"), std::string::npos) << said;
    EXPECT_EQ(said.find("retrying in"), std::string::npos) << said;
    ASSERT_TRUE(outcome.report.has_value());
    auto report = nlohmann::json::parse(files::read(*outcome.report));
    ASSERT_EQ(report["failures"].size(), 1u);
    EXPECT_EQ(report["failures"][0]["service"], "db");
    EXPECT_EQ(report["failures"][0]["kind"], "engine fault (network setup failed)");
    auto state = orchestration::read_state(settings.state_dir() / "state.json");
    EXPECT_EQ(state->failure_code, 7);
}

TEST_F(OrchestratorTest, EngineRefusalOfARequestIsAnEngineFaultButOtherEngineErrorsAreRetried) {
    engine.start_errors["api"] = "creating orchtest_api_1 failed (HTTP 400):\ninvalid config provided";
    auto refused = up(3);
    EXPECT_EQ(refused.code, ExitCode::preflight);
    EXPECT_EQ(refused.attempts_made, 1);
    EXPECT_NE(refused.message.find("HTTP 400"), std::string::npos) << refused.message;
    EXPECT_NE(refused.message.find("envctl doctor"), std::string::npos) << refused.message;  // no diagnosis: doctor

    engine.start_errors["api"] = "starting orchtest_api_1 failed (HTTP 500):\ncontainer state improper";
    engine.calls.clear();
    auto transient = up(2);
    EXPECT_EQ(transient.attempts_made, 2);
    EXPECT_NE(transient.code, ExitCode::preflight);
}
