// End to end, with real podman and podman-compose, on tests/data/e2e/stack.yaml; every test on its own project,
// on both engines.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "envctl/orchestration/state.hpp"
#include "support/busybox_image.hpp"
#include "support/envctl_project.hpp"
#include "support/prerequisite.hpp"

using namespace std::chrono_literals;
using envctl::test::EnvctlProject;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

class LifecycleE2E : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        std::string why;
        REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
        REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    }

    // A project named after the test and engine, with ports from `base`.
    std::unique_ptr<EnvctlProject> project(const std::string& tag, int base) {
        std::string engine = GetParam() == "podman" ? "n" : "c";
        return std::make_unique<EnvctlProject>(
            "e2e" + engine + "-" + tag, "e2e/stack.yaml",
            std::map<std::string, std::string>{{"E2E_WEB_PORT", std::to_string(base)},
                                               {"E2E_API_PORT", std::to_string(base + 1)},
                                               {"E2E_SICK_PORT", std::to_string(base + 2)},
                                               {"E2E_CRASH_PORT", std::to_string(base + 3)},
                                               {"E2E_SLOW_PORT", std::to_string(base + 4)},
                                               {"ENVCTL_ENGINE", GetParam()}});
    }
    int base(int offset) const { return 26000 + (GetParam() == "podman" ? 0 : 500) + offset * 10; }

    static void expect_nothing_left(const EnvctlProject& p, bool volumes_too) {
        EXPECT_TRUE(p.containers().empty()) << "containers left: " << p.containers().size();
        EXPECT_FALSE(p.network_exists()) << "network left";
        if (volumes_too) {
            EXPECT_TRUE(p.volumes().empty()) << "volumes left";
        }
    }

    static void expect_no_secret(const EnvctlProject& p, const std::string& text) {
        for (const auto& s : p.secrets()) EXPECT_EQ(text.find(s), std::string::npos) << "secret leaked: " << s;
    }
};

}  // namespace

TEST_P(LifecycleE2E, UpWaitReadyStatusDownLeavesNothing) {
    auto p = project("full", base(0));
    auto up = p->run({"--profile", "e2e", "up", "--json"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    auto doc = nlohmann::json::parse(up.out);
    EXPECT_EQ(doc["schema"], "envctl.up/v1");
    EXPECT_TRUE(doc["ready"].get<bool>());

    auto wait = p->run({"--profile", "e2e", "wait-ready", "--timeout", "10s"});
    EXPECT_EQ(wait.exit_code, 0) << output(wait);
    auto status = p->run({"--profile", "e2e", "status", "--json"});
    EXPECT_EQ(status.exit_code, 0) << output(status);
    auto st = nlohmann::json::parse(status.out);
    EXPECT_EQ(st["schema"], "envctl.status/v1");
    EXPECT_EQ(st["project"], p->name());
    ASSERT_EQ(st["services"].size(), 2u);
    for (const auto& s : st["services"]) {
        EXPECT_EQ(s["state"], "running");
        EXPECT_EQ(s["health"], "ready");
        EXPECT_TRUE(s["ready_after_ms"].is_number());
        EXPECT_TRUE(s["endpoint"].get<std::string>().rfind("127.0.0.1:", 0) == 0);
    }
    // A second up of a ready environment changes nothing.
    auto ids_before = envctl::test::podman_out({"ps", "-q", "--filter", "label=io.podman.compose.project=" + p->name()});
    auto again = p->run({"--profile", "e2e", "up"});
    EXPECT_EQ(again.exit_code, 0) << output(again);
    EXPECT_EQ(envctl::test::podman_out({"ps", "-q", "--filter", "label=io.podman.compose.project=" + p->name()}), ids_before);

    auto down = p->run({"down", "--volumes"});
    EXPECT_EQ(down.exit_code, 0) << output(down);
    expect_nothing_left(*p, true);
    auto after = p->run({"--profile", "e2e", "status"});
    EXPECT_EQ(after.exit_code, 5) << output(after);
    auto down_again = p->run({"down"});
    EXPECT_EQ(down_again.exit_code, 0) << "down on nothing succeeds: " << output(down_again);
}

TEST_P(LifecycleE2E, NeverHealthyIsReportedTornDownRetriedAndTimesOut) {
    auto p = project("sick", base(1));
    auto started = std::chrono::steady_clock::now();
    auto up = p->run({"--profile", "sick", "up", "--attempts", "2"});
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(up.exit_code, 3) << output(up);
    EXPECT_NE(up.err.find("sick"), std::string::npos) << up.err;
    EXPECT_NE(up.err.find("attempt 2 of 2"), std::string::npos) << up.err;
    EXPECT_NE(up.err.find("retrying in"), std::string::npos) << up.err;
    EXPECT_GE(took, 2s * 2 + 800ms);  // two budgets of 2 s and a backoff of 1 s ±20 %
    auto reports = p->reports();
    EXPECT_NE(reports.find("\"service\": \"sick\""), std::string::npos);
    EXPECT_NE(reports.find("HTTP 404"), std::string::npos) << "the probe's view is in the report";
    EXPECT_NE(reports.find("starting with token ***"), std::string::npos) << "the log tail is in the report, redacted";
    EXPECT_TRUE(std::filesystem::exists(p->dir() / ".envctl/reports/latest.json"));
    expect_nothing_left(*p, false);
    expect_no_secret(*p, output(up) + reports);
    // Recorded before the waiter began: it ends after --grace when no new up begins (wait_ready_e2e_test.cpp).
    auto wait = p->run({"--profile", "sick", "wait-ready", "--timeout", "30s", "--grace", "500ms"});
    EXPECT_EQ(wait.exit_code, 3) << "wait-ready fails when the last up failed: " << output(wait);
    EXPECT_NE(wait.err.find("the last up failed"), std::string::npos) << wait.err;
}

TEST_P(LifecycleE2E, ContainerExitingAtStartExitsFour) {
    auto p = project("crash", base(2));
    auto up = p->run({"--profile", "crash", "up", "--attempts", "2"});
    EXPECT_EQ(up.exit_code, 4) << output(up);
    EXPECT_NE(up.err.find("crash"), std::string::npos);
    EXPECT_NE(p->reports().find("cannot start"), std::string::npos) << "its last log lines are in the report";
    expect_nothing_left(*p, false);
}

TEST_P(LifecycleE2E, PortHeldByAnotherProcessIsRefusedBeforeAnythingStarts) {
    auto p = project("port", base(3));
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(base(3) + 1));  // E2E_API_PORT
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    auto up = p->run({"--profile", "e2e", "up"});
    ::close(fd);
    EXPECT_EQ(up.exit_code, 7) << output(up);
    EXPECT_NE(up.err.find("E2E_API_PORT"), std::string::npos) << up.err;
    EXPECT_NE(up.err.find("(PID " + std::to_string(::getpid()) + ")"), std::string::npos) << up.err;
    EXPECT_TRUE(p->containers().empty());
}

TEST_P(LifecycleE2E, SigintDuringUpExits130AndLeavesNothing) {
    auto p = project("sigint", base(4));
    auto future = std::async(std::launch::async, [&] { return p->run({"--profile", "slow", "up"}); });
    // Wait until the up has created its container, then interrupt it like Ctrl-C would.
    long pid = 0;
    for (int i = 0; i < 200 && pid == 0; ++i) {
        std::this_thread::sleep_for(50ms);
        auto state = envctl::orchestration::read_state(p->dir() / ".envctl/state.json");
        if (state && state->phase == envctl::orchestration::Phase::starting && !p->containers().empty()) pid = state->pid;
    }
    ASSERT_GT(pid, 0) << "up never started";
    ::kill(static_cast<pid_t>(pid), SIGINT);
    auto up = future.get();
    EXPECT_EQ(up.exit_code, 130) << output(up);
    expect_nothing_left(*p, false);
}

TEST_P(LifecycleE2E, ResetRecreatesWithEmptyVolumes) {
    auto p = project("reset", base(5));
    ASSERT_EQ(p->run({"--profile", "e2e", "up"}).exit_code, 0);
    auto api = p->name() + "_api_1";
    envctl::test::podman_out({"exec", api, "/bin/sh", "-c", "echo kept > /data/marker"});
    ASSERT_EQ(envctl::test::podman_out({"exec", api, "/bin/cat", "/data/marker"}), "kept\n");
    auto reset = p->run({"--profile", "e2e", "reset"});
    ASSERT_EQ(reset.exit_code, 0) << output(reset);
    EXPECT_EQ(envctl::test::podman_out({"exec", api, "/bin/cat", "/data/marker"}), "") << "the volume was not emptied";
    auto status = p->run({"--profile", "e2e", "status"});
    EXPECT_EQ(status.exit_code, 0) << output(status);
}

TEST_P(LifecycleE2E, EightWaitersStartedBeforeTheUpAllReturnOnceReady) {
    auto p = project("waiters", base(6));
    std::vector<std::future<envctl::subprocess::Result>> waiters;
    for (int i = 0; i < 8; ++i)
        waiters.push_back(std::async(std::launch::async, [&] { return p->run({"--profile", "e2e", "wait-ready", "--timeout", "90s"}); }));
    std::this_thread::sleep_for(1500ms);  // they are waiting for an up to begin
    auto up = p->run({"--profile", "e2e", "up"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    for (auto& w : waiters) {
        auto r = w.get();
        EXPECT_EQ(r.exit_code, 0) << output(r);
        expect_no_secret(*p, output(r));
    }
}

TEST_P(LifecycleE2E, ASecondUpWaitsForTheLock) {
    auto p = project("lock", base(7));
    auto first = std::async(std::launch::async, [&] { return p->run({"--profile", "slow", "up"}); });
    for (int i = 0; i < 100; ++i) {
        auto state = envctl::orchestration::read_state(p->dir() / ".envctl/state.json");
        if (state && state->phase == envctl::orchestration::Phase::starting) break;
        std::this_thread::sleep_for(50ms);
    }
    auto impatient = p->run({"--profile", "slow", "up", "--lock-timeout", "500ms"});
    EXPECT_EQ(impatient.exit_code, 8) << output(impatient);
    EXPECT_NE(impatient.err.find("(up)"), std::string::npos) << "names the holder's command: " << impatient.err;
    auto patient = p->run({"--profile", "slow", "up", "--lock-timeout", "60s"});
    auto r = first.get();
    EXPECT_EQ(r.exit_code, 0) << output(r);
    EXPECT_EQ(patient.exit_code, 0) << output(patient);
    EXPECT_NE(patient.err.find("waiting for the project lock"), std::string::npos) << patient.err;
}

INSTANTIATE_TEST_SUITE_P(Engines, LifecycleE2E, ::testing::Values("podman", "podman-compose"),
                         [](const auto& param_info) { return param_info.param == "podman" ? std::string("Podman") : std::string("PodmanCompose"); });
