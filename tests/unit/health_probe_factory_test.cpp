#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "envctl/core/error.hpp"
#include "envctl/health/container_watch.hpp"
#include "envctl/health/probe_factory.hpp"
#include "envctl/health/prober.hpp"
#include "support/fake_clock.hpp"

using namespace envctl;
using namespace envctl::health;
using descriptors::ProbeKind;

namespace {

settings::Settings settings_with(std::map<std::string, std::string> vars, std::string bind = "127.0.0.1") {
    settings::Settings s;
    s.bind_address = std::move(bind);
    for (auto& [k, v] : vars) s.vars.set(k, v, settings::Origin{});
    return s;
}

descriptors::ServiceDescriptor service(ProbeKind kind, std::string port_variable, std::string path = "/") {
    descriptors::ServiceDescriptor d;
    d.name = "svc";
    d.probe.kind = kind;
    d.probe.port_variable = std::move(port_variable);
    d.probe.path = std::move(path);
    return d;
}

}  // namespace

TEST(ProbeFactory, TargetsComeFromThePortVariable) {
    auto s = settings_with({{"OPA_PORT", "8181"}, {"REDIS_PORT", "6390"}}, "0.0.0.0");
    EXPECT_EQ(make_probe(service(ProbeKind::http, "OPA_PORT", "/health"), s).target, "http://127.0.0.1:8181/health");
    EXPECT_EQ(make_probe(service(ProbeKind::https, "OPA_PORT", "/ready"), s).target, "https://127.0.0.1:8181/ready");
    EXPECT_EQ(make_probe(service(ProbeKind::tcp, "REDIS_PORT"), s).target, "tcp://127.0.0.1:6390");
    EXPECT_EQ(make_probe(service(ProbeKind::redis, "REDIS_PORT"), s).target, "redis://127.0.0.1:6390");
}

TEST(ProbeFactory, PostgresTargetNamesNoPassword) {
    auto s = settings_with({{"POSTGRES_PORT", "5432"}, {"POSTGRES_USER", "intl"},
                            {"POSTGRES_PASSWORD", "very-secret-pw"}, {"POSTGRES_DB", "intl_db"}});
    Probe p = make_probe(service(ProbeKind::postgres, "POSTGRES_PORT"), s);
    EXPECT_EQ(p.target, "postgres://intl@127.0.0.1:5432/intl_db");
}

TEST(ProbeFactory, MissingOrInvalidPortVariableIsAUsageError) {
    auto s = settings_with({{"BAD_PORT", "99999"}});
    try {
        make_probe(service(ProbeKind::http, "OPA_PORT"), s);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("OPA_PORT"), std::string::npos) << e.what();
    }
    EXPECT_THROW(make_probe(service(ProbeKind::tcp, "BAD_PORT"), s), Error);
}

TEST(ProbeFactory, CommandProbeNeedsAnExecFunctionAndACommand) {
    auto s = settings_with({});
    auto d = service(ProbeKind::command, "");
    d.probe.command = {"ak", "healthcheck"};
    EXPECT_THROW(make_probe(d, s), Error);
    ExecFunction exec = [](const std::string&, const std::vector<std::string>&, Deadline) { return engine::ExecResult{0, "", false}; };
    EXPECT_EQ(make_probe(d, s, exec).target, "exec svc: ak healthcheck");
    d.probe.command.clear();
    EXPECT_THROW(make_probe(d, s, exec), Error);
}

TEST(ProbeFactory, BudgetIsTheServicesOwnElseTheDefault) {
    auto s = settings_with({});
    s.ready_budget = std::chrono::seconds(30);
    auto d = service(ProbeKind::tcp, "X");
    EXPECT_EQ(ready_budget(d, s), std::chrono::seconds(30));
    d.ready_budget = std::chrono::seconds(120);
    EXPECT_EQ(ready_budget(d, s), std::chrono::seconds(120));
}

namespace {

class ListingEngine : public engine::Engine {
public:
    std::vector<engine::ContainerInfo> containers;
    bool fail = false;
    int list_calls = 0;
    std::string name() const override { return "fake"; }
    void create(const std::vector<std::string>&, Deadline) override {}
    void start(const std::vector<std::string>&, Deadline) override {}
    void remove_all(bool, Deadline) override {}
    void remove_services(const std::vector<std::string>&, bool, Deadline) override {}
    std::vector<engine::ContainerInfo> list(Deadline) override {
        ++list_calls;
        if (fail) throw Error(ExitCode::internal, "podman ps failed");
        return containers;
    }
    std::vector<std::string> log_tail(const std::string&, int, Deadline) override { return {}; }
    engine::ExecResult exec(const std::string&, const std::vector<std::string>&, Deadline) override { return {}; }
    int follow_logs(const std::string&, int, const std::function<void(const std::string&)>&) override { return 0; }
};

engine::ContainerInfo container(std::string service, engine::ContainerState state, std::optional<int> code = {}) {
    engine::ContainerInfo c;
    c.service = std::move(service);
    c.state = state;
    c.exit_code = code;
    return c;
}

}  // namespace

TEST(ContainerWatch, ReportsExitedAndGoneContainersFromOneListPerRefresh) {
    ListingEngine engine;
    engine.containers = {container("web", engine::ContainerState::running),
                         container("db", engine::ContainerState::exited, 3)};
    envctl::test::FakeClock clock;
    ContainerWatch watch(engine, clock, std::chrono::milliseconds(500));
    EXPECT_EQ(watch.exit_reason("web"), std::nullopt);  // asks for the first list; nothing known yet
    ASSERT_TRUE(watch.wait_idle(std::chrono::seconds(10)));
    EXPECT_EQ(watch.exit_reason("db"), "container exited (exit code 3)");
    EXPECT_EQ(watch.exit_reason("cache"), "container is gone");
    EXPECT_EQ(engine.list_calls, 1);
    engine.containers[0].state = engine::ContainerState::exited;
    EXPECT_EQ(watch.exit_reason("web"), std::nullopt);  // still the cached list
    ASSERT_TRUE(watch.wait_idle(std::chrono::seconds(10)));
    EXPECT_EQ(engine.list_calls, 1);
    clock.advance(std::chrono::milliseconds(500));
    EXPECT_EQ(watch.exit_reason("web"), std::nullopt);  // asks for a new list, answers from the old one
    ASSERT_TRUE(watch.wait_idle(std::chrono::seconds(10)));
    EXPECT_EQ(watch.exit_reason("web"), "container exited");
    EXPECT_EQ(engine.list_calls, 2);
}

TEST(ContainerWatch, ASeedCountsAsAFreshList) {
    ListingEngine engine;
    envctl::test::FakeClock clock;
    ContainerWatch watch(engine, clock, std::chrono::milliseconds(500),
                         ContainerWatch::Containers{{"db", container("db", engine::ContainerState::exited, 1)}});
    EXPECT_EQ(watch.exit_reason("db"), "container exited (exit code 1)");
    ASSERT_TRUE(watch.wait_idle(std::chrono::seconds(10)));
    EXPECT_EQ(engine.list_calls, 0);
}

namespace {

// list() blocks until the test releases it (or 10 s pass): a hanging `podman ps`.
class HangingEngine : public ListingEngine {
public:
    std::vector<engine::ContainerInfo> list(Deadline d) override {
        std::unique_lock lock(mutex);
        entered = true;
        changed.notify_all();
        changed.wait_for(lock, std::chrono::seconds(10), [this] { return released; });
        returned = true;
        return ListingEngine::list(d);
    }
    void release() {
        std::lock_guard lock(mutex);
        released = true;
        changed.notify_all();
    }
    bool has_returned() {
        std::lock_guard lock(mutex);
        return returned;
    }
    std::mutex mutex;
    std::condition_variable changed;
    bool entered = false, released = false, returned = false;
};

}  // namespace

// Issue 14, finding 10: the list ran on the prober's dispatcher, so a hanging engine held every probe for up to
// 10 s. Here the probe is ready on its first attempt while the engine's list hangs: the prober decides without it.
TEST(ContainerWatch, AHangingEngineNeverDelaysAProbe) {
    HangingEngine engine;
    engine.containers = {container("web", engine::ContainerState::running)};
    envctl::test::FakeClock clock;
    {
        ContainerWatch watch(engine, clock);
        ProberOptions options;
        options.container_exit = [&](const std::string& s) { return watch.exit_reason(s); };
        Probe ready{"fake://web", [](const AttemptContext&) {
                        ProbeResult r;
                        r.outcome = Outcome::ok;
                        r.detail = "fine";
                        return r;
                    }};
        auto reports = probe_until_decided({ServiceToProbe{"web", ready, clock.now(), std::chrono::seconds(30)}}, options, clock);
        EXPECT_EQ(reports[0].verdict, Verdict::ready);
        EXPECT_FALSE(engine.has_returned()) << "the prober waited for the engine's list";
        engine.release();  // the watch's destructor waits for the list it asked for
    }
}

TEST(ContainerWatch, AFailingListMeansStillRunning) {
    ListingEngine engine;
    engine.fail = true;
    envctl::test::FakeClock clock;
    ContainerWatch watch(engine, clock);
    EXPECT_EQ(watch.exit_reason("web"), std::nullopt);
}
