// wait-ready against real `up` processes (issue 14, findings 6 and 11): a preflight refusal reaches state.json
// under its own run id and `up --json` still writes one document; a waiter started after that failure ends after
// --grace when no new up begins, and follows a new up that begins within it. Native podman engine, busybox stack.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

constexpr int kBase = 27100;

// A port held by this process, as another program would.
class HeldPort {
public:
    explicit HeldPort(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<uint16_t>(port));
        int yes = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        ok_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(fd_, 1) == 0;
    }
    ~HeldPort() { release(); }
    HeldPort(const HeldPort&) = delete;
    HeldPort& operator=(const HeldPort&) = delete;
    bool ok() const { return ok_; }
    void release() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
    bool ok_ = false;
};

std::unique_ptr<EnvctlProject> project(const std::string& tag, int base) {
    return std::make_unique<EnvctlProject>("wr-" + tag, "e2e/stack.yaml",
                                           std::map<std::string, std::string>{{"E2E_WEB_PORT", std::to_string(base)},
                                                                              {"E2E_API_PORT", std::to_string(base + 1)},
                                                                              {"E2E_SICK_PORT", std::to_string(base + 2)},
                                                                              {"E2E_CRASH_PORT", std::to_string(base + 3)},
                                                                              {"E2E_SLOW_PORT", std::to_string(base + 4)},
                                                                              {"ENVCTL_ENGINE", "podman"}});
}

}  // namespace

TEST(WaitReadyE2E, APreflightRefusalIsRecordedAndAWaiterAfterItEndsAfterTheGraceOrFollowsANewUp) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    auto p = project("grace", kBase);

    HeldPort held(kBase + 1);  // E2E_API_PORT
    ASSERT_TRUE(held.ok());
    auto refused = p->run({"--profile", "e2e", "up", "--json"});
    ASSERT_EQ(refused.exit_code, 7) << output(refused);
    auto doc = nlohmann::json::parse(refused.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << "up --json wrote no document on a preflight refusal: " << refused.out;
    EXPECT_EQ(doc["schema"], "envctl.up/v1");
    EXPECT_EQ(doc["exit_code"], 7);
    EXPECT_EQ(doc["ready"], false);
    EXPECT_NE(doc["message"].get<std::string>().find("E2E_API_PORT"), std::string::npos);
    auto state = envctl::orchestration::read_state(p->dir() / ".envctl/state.json");
    ASSERT_TRUE(state) << "the refusal never reached state.json";
    EXPECT_EQ(state->phase, envctl::orchestration::Phase::failed);
    EXPECT_EQ(state->failure_code, 7);
    EXPECT_FALSE(state->run_id.empty());

    // Recorded before this waiter began, and no new up: it ends after the grace, with the old run's code.
    const auto started = std::chrono::steady_clock::now();
    auto late = p->run({"--profile", "e2e", "wait-ready", "--timeout", "60s", "--grace", "1s", "--json"});
    EXPECT_EQ(late.exit_code, 7) << output(late);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 1s);
    EXPECT_NE(late.err.find("no new up began within 1s"), std::string::npos) << late.err;
    auto late_doc = nlohmann::json::parse(late.out, nullptr, false);
    ASSERT_FALSE(late_doc.is_discarded()) << late.out;
    EXPECT_EQ(late_doc["exit_code"], 7);

    // The CI case: waiters start a moment before their pipeline's up; the old failure does not end them.
    std::vector<std::future<envctl::subprocess::Result>> waiters;
    for (int i = 0; i < 3; ++i)
        waiters.push_back(std::async(std::launch::async, [&] {
            return p->run({"--profile", "e2e", "wait-ready", "--timeout", "90s", "--grace", "30s"});
        }));
    std::this_thread::sleep_for(1500ms);
    held.release();
    auto up = p->run({"--profile", "e2e", "up"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    for (auto& w : waiters) {
        auto r = w.get();
        EXPECT_EQ(r.exit_code, 0) << output(r);
    }
    auto ready = envctl::orchestration::read_state(p->dir() / ".envctl/state.json");
    ASSERT_TRUE(ready);
    EXPECT_NE(ready->run_id, state->run_id);
    EXPECT_EQ(ready->phase, envctl::orchestration::Phase::ready);
}

// --json is one document on every exit path: a settings error (no run begins), and a command-line error.
TEST(WaitReadyE2E, JsonDocumentsOnSettingsAndUsageErrors) {
    auto p = project("json", kBase + 20);
    auto bad_profile = p->run({"--profile", "no-such-profile", "up", "--json"});
    EXPECT_EQ(bad_profile.exit_code, 2) << output(bad_profile);
    auto doc = nlohmann::json::parse(bad_profile.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << bad_profile.out;
    EXPECT_EQ(doc["schema"], "envctl.up/v1");
    EXPECT_EQ(doc["exit_code"], 2);
    EXPECT_FALSE(envctl::orchestration::read_state(p->dir() / ".envctl/state.json").has_value())
        << "a settings error is no run";

    auto bad_option = p->run({"wait-ready", "--json", "--grace", "soon"});
    EXPECT_EQ(bad_option.exit_code, 2) << output(bad_option);
    doc = nlohmann::json::parse(bad_option.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << bad_option.out;
    EXPECT_EQ(doc["schema"], "envctl.wait-ready/v1");

    auto parse_error = p->run({"reset", "--json", "--attempts", "99"});
    EXPECT_EQ(parse_error.exit_code, 2) << output(parse_error);
    doc = nlohmann::json::parse(parse_error.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << parse_error.out;
    EXPECT_EQ(doc["schema"], "envctl.reset/v1");
    EXPECT_EQ(doc["ready"], false);

    auto images = p->run({"--profile", "no-such-profile", "images", "check", "--json"});
    EXPECT_EQ(images.exit_code, 2) << output(images);
    doc = nlohmann::json::parse(images.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << images.out;
    EXPECT_EQ(doc["schema"], "envctl.images-check/v1");
}
