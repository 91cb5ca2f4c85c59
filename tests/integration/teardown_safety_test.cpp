// Data safety of teardown on real podman, on both engines (the native one tears down through podman's API, the
// podman-compose one through podman processes), with tests/data/e2e/teardown.yaml:
// - `down` gives a container its service's stop grace; `down --volumes` kills at once;
// - an interrupted `up` of a second service removes only that service;
// - `reset` runs preflight before it removes anything, and `reset SERVICE` resets only that service;
// - `up --keep-on-failure` leaves the failed environment in place.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "envctl/orchestration/state.hpp"
#include "support/busybox_image.hpp"
#include "support/envctl_project.hpp"
#include "support/prerequisite.hpp"

using namespace std::chrono_literals;
using envctl::test::EnvctlProject;
using envctl::test::podman_out;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A listening socket on 127.0.0.1:port, held until destroyed.
struct HeldPort {
    explicit HeldPort(int port) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<uint16_t>(port));
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(fd, 1) == 0;
    }
    ~HeldPort() { ::close(fd); }
    int fd = -1;
    bool ok = false;
};

class TeardownSafety : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        std::string why;
        REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
        REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    }

    std::unique_ptr<EnvctlProject> project(const std::string& tag, int offset) {
        const int base = 27000 + (GetParam() == "podman" ? 0 : 500) + offset * 10;
        auto p = std::make_unique<EnvctlProject>(
            std::string("td") + (GetParam() == "podman" ? "n" : "c") + "-" + tag, "e2e/teardown.yaml",
            std::map<std::string, std::string>{{"T_WEB_PORT", std::to_string(base)},
                                               {"T_API_PORT", std::to_string(base + 1)},
                                               {"T_KEEPER_PORT", std::to_string(base + 2)},
                                               {"T_SLOW_PORT", std::to_string(base + 3)},
                                               {"T_SICK_PORT", std::to_string(base + 4)},
                                               {"ENVCTL_ENGINE", GetParam()}});
        std::filesystem::create_directories(p->dir() / "state");
        return p;
    }
    static int port(const EnvctlProject& p, const std::string& variable) {
        auto env = read_file(p.dir() / ".env.development");
        auto at = env.find(variable + "=");
        return std::stoi(env.substr(at + variable.size() + 1));
    }
    static std::string id(const EnvctlProject& p, const std::string& service) {
        auto out = podman_out({"ps", "-aq", "--no-trunc", "--filter", "name=^" + p.name() + "_" + service + "_1$"});
        while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
        return out;
    }
    static std::string cat(const EnvctlProject& p, const std::string& service, const std::string& file) {
        return podman_out({"exec", p.name() + "_" + service + "_1", "/bin/cat", file});
    }
};

}  // namespace

// Finding 3: keep-data teardown honours the service's stop_grace (8 s; keeper needs 3 s to shut down cleanly).
TEST_P(TeardownSafety, DownGivesEachContainerItsStopGraceAndDownVolumesDoesNot) {
    auto p = project("grace", 0);
    const auto marker = p->dir() / "state" / "shutdown";
    ASSERT_EQ(p->run({"--profile", "keeper", "up"}).exit_code, 0);
    auto down = p->run({"down"});
    ASSERT_EQ(down.exit_code, 0) << output(down);
    EXPECT_EQ(read_file(marker), "clean\n") << "keeper was killed before it shut down cleanly";
    EXPECT_TRUE(p->containers().empty());

    std::filesystem::remove(marker);
    auto up = p->run({"--profile", "keeper", "up"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    auto down_volumes = p->run({"down", "--volumes"});
    ASSERT_EQ(down_volumes.exit_code, 0) << output(down_volumes);
    // Killed at once, keeper never gets to write its marker (no wall-clock bound: the marker says it).
    EXPECT_FALSE(std::filesystem::exists(marker)) << "down --volumes gave keeper its stop grace";
    EXPECT_TRUE(p->volumes().empty());
}

// Finding 2: SIGINT during `up slow` while `pair` runs removes slow only.
TEST_P(TeardownSafety, InterruptedUpOfASecondServiceRemovesOnlyThatService) {
    auto p = project("sigint", 1);
    ASSERT_EQ(p->run({"--profile", "pair", "up"}).exit_code, 0);
    const auto web = id(*p, "web");
    const auto api = id(*p, "api");
    auto future = std::async(std::launch::async, [&] { return p->run({"--profile", "pair", "up", "slow"}); });
    long pid = 0;
    for (int i = 0; i < 200 && pid == 0; ++i) {
        std::this_thread::sleep_for(50ms);
        auto state = envctl::orchestration::read_state(p->dir() / ".envctl/state.json");
        if (state && state->phase == envctl::orchestration::Phase::starting && !id(*p, "slow").empty()) pid = state->pid;
    }
    ASSERT_GT(pid, 0) << "the up of slow never started";
    ::kill(static_cast<pid_t>(pid), SIGINT);
    auto up = future.get();
    EXPECT_EQ(up.exit_code, 130) << output(up);
    EXPECT_EQ(id(*p, "slow"), "") << "slow was started by the interrupted up";
    EXPECT_EQ(id(*p, "web"), web) << "web ran before: it stays";
    EXPECT_EQ(id(*p, "api"), api) << "api ran before: it stays";
    EXPECT_NE(podman_out({"inspect", "-f", "{{.State.Status}}", web}).find("running"), std::string::npos);
    EXPECT_TRUE(p->network_exists());
    EXPECT_NE(up.err.find("left running as before: api, web"), std::string::npos) << up.err;
}

// Finding 1: a refused preflight leaves the data; `reset api` resets api only.
TEST_P(TeardownSafety, ResetRunsPreflightFirstAndResetsOnlyTheNamedService) {
    auto p = project("reset", 2);
    ASSERT_EQ(p->run({"--profile", "pair", "up"}).exit_code, 0);
    podman_out({"exec", p->name() + "_api_1", "/bin/sh", "-c", "echo kept > /data/marker"});
    ASSERT_EQ(cat(*p, "api", "/data/marker"), "kept\n");
    const auto web = id(*p, "web");
    {
        HeldPort held(port(*p, "T_SLOW_PORT"));
        ASSERT_TRUE(held.ok);
        auto refused = p->run({"--profile", "pair", "reset", "api", "slow"});
        EXPECT_EQ(refused.exit_code, 7) << output(refused);
        EXPECT_NE(refused.err.find("T_SLOW_PORT"), std::string::npos) << refused.err;
    }
    EXPECT_EQ(cat(*p, "api", "/data/marker"), "kept\n") << "the data went before preflight refused";
    EXPECT_EQ(id(*p, "web"), web);

    auto reset = p->run({"--profile", "pair", "reset", "api"});
    ASSERT_EQ(reset.exit_code, 0) << output(reset);
    EXPECT_NE(reset.err.find("of api only"), std::string::npos) << reset.err;
    EXPECT_EQ(cat(*p, "api", "/data/marker"), "") << "api's volume was not emptied";
    EXPECT_EQ(id(*p, "web"), web) << "web was not named: it stays";
}

// Finding 4: --keep-on-failure leaves the failed environment, says so, and does not retry.
TEST_P(TeardownSafety, KeepOnFailureLeavesTheFailedEnvironment) {
    auto p = project("keep", 3);
    auto up = p->run({"--profile", "sick", "up", "--attempts", "3", "--keep-on-failure", "--json"});
    EXPECT_EQ(up.exit_code, 3) << output(up);
    EXPECT_NE(up.err.find("left as it failed (--keep-on-failure)"), std::string::npos) << up.err;
    EXPECT_EQ(up.err.find("attempt 2 of 3"), std::string::npos) << "retried: " << up.err;
    auto doc = nlohmann::json::parse(up.out);
    EXPECT_TRUE(doc["kept"].get<bool>());
    EXPECT_FALSE(id(*p, "sick").empty()) << "sick was torn down";
    EXPECT_FALSE(id(*p, "web").empty()) << "web was torn down";
    EXPECT_NE(p->reports().find("left as it failed (--keep-on-failure)"), std::string::npos);
}

// Finding 0: podman's API takes a volume name that does not exist as a unique prefix of another volume's name.
// `down --volumes` without `--images local` after an `up --images local` asked it to remove `<volume>` (known from
// the stack, never created) beside `<volume>-local` (labelled): both requests removed the -local volume, and the
// loser failed with HTTP 500 "no volume with name ...-local found in database: no such volume", about one time in
// three. And a volume that is not the project's but whose name starts with one the stack declares went too.
TEST_P(TeardownSafety, DownVolumesRemovesExactlyTheProjectsVolumesAndNeverFailsOnOnesGoneMeanwhile) {
    auto p = project("vol", 4);
    const std::string label = "io.podman.compose.project=" + p->name();
    for (int i = 0; i < 6; ++i) {
        for (const char* v : {"api-data", "keeper-data", "slow-data"})
            podman_out({"volume", "create", "--label", label, p->name() + "_" + v + "-local"});
        auto down = p->run({"--profile", "all", "down", "--volumes"});
        ASSERT_EQ(down.exit_code, 0) << "round " << i << ": " << output(down);
        EXPECT_TRUE(p->volumes().empty()) << "round " << i;
    }
    const std::string theirs = p->name() + "_api-data-backup";  // not labelled: not the project's
    podman_out({"volume", "create", theirs});
    auto down = p->run({"--profile", "all", "down", "--volumes"});
    EXPECT_EQ(down.exit_code, 0) << output(down);
    EXPECT_EQ(p->volumes(), std::vector<std::string>{theirs}) << "a volume that is not the project's was removed";
}

INSTANTIATE_TEST_SUITE_P(Engines, TeardownSafety, ::testing::Values("podman", "podman-compose"),
                         [](const auto& param_info) {
                             return param_info.param == "podman" ? std::string("Podman") : std::string("PodmanCompose");
                         });
