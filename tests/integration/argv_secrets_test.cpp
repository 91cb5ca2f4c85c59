// Finding 13 of issue 14: no secret on the command line of anything envctl starts (any local user reads
// /proc/*/cmdline). Here the native engine through podman processes (`podman run`, as when podman's API does not
// answer): a scanner reads every process's command line while the containers are made, and the values still
// reach the containers.

#include <dirent.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "envctl/engine/podman_engine.hpp"
#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/envctl_project.hpp"
#include "support/prerequisite.hpp"

namespace envctl::test {
namespace {

// Every process's command line (NULs as spaces), read over and over until stopped.
class CmdlineScanner {
public:
    CmdlineScanner() : thread_([this] { loop(); }) {}
    ~CmdlineScanner() { stop(); }
    void stop() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
    }
    const std::set<std::string>& seen() const { return seen_; }

private:
    void loop() {
        while (!done_) {
            DIR* proc = ::opendir("/proc");
            if (proc == nullptr) return;
            while (auto* entry = ::readdir(proc)) {
                if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
                std::ifstream in(std::string("/proc/") + entry->d_name + "/cmdline", std::ios::binary);
                std::stringstream text;
                text << in.rdbuf();
                std::string line = text.str();
                for (auto& c : line) c = c == '\0' ? ' ' : c;
                if (!line.empty()) seen_.insert(line);
            }
            ::closedir(proc);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }

    std::atomic<bool> done_{false};
    std::set<std::string> seen_;
    std::thread thread_;
};

Deadline in_seconds(int s) { return Clock::now() + std::chrono::seconds(s); }

TEST(ArgvSecrets, PodmanRunCarriesNoEnvironmentValue) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack("enginetest_argv", 25260);
    const std::string secret = "argv-s3cret-\"quoted\" value";
    engine::ProjectSpec p = stack.spec();
    p.services.at(0).environment.emplace_back("APP_TOKEN", secret);
    p.services.at(0).environment.emplace_back("APP_EMPTY", "");
    engine::EngineProject project{stack.project(), stack.environment(), p.volume_names()};
    engine::PodmanEngine engine(std::move(project), [p] { return p; }, /*use_api=*/false);

    CmdlineScanner scanner;
    engine.create({"alpha"}, in_seconds(120));
    engine.start({"alpha"}, in_seconds(60));
    scanner.stop();

    bool saw_run = false;
    for (const auto& line : scanner.seen()) {
        EXPECT_EQ(line.find("argv-s3cret"), std::string::npos) << line;
        if (line.find("podman run") != std::string::npos && line.find("-e APP_TOKEN ") != std::string::npos) saw_run = true;
    }
    EXPECT_TRUE(saw_run) << "the scanner never saw podman run: it proves nothing";
    const std::string container = stack.project() + "_alpha_1";
    auto env = podman({"exec", container, "/bin/busybox", "env"});
    ASSERT_TRUE(env.ok()) << env.err;
    EXPECT_NE(env.out.find("APP_TOKEN=" + secret + "\n"), std::string::npos) << env.out;
    EXPECT_NE(env.out.find("APP_EMPTY=\n"), std::string::npos) << env.out;
    EXPECT_NE(env.out.find("GREETING=hello\n"), std::string::npos) << env.out;
    auto created_by = podman({"container", "inspect", "--format", "{{json .Config.CreateCommand}}", container});
    EXPECT_EQ(created_by.out.find("argv-s3cret"), std::string::npos) << created_by.out;
}

TEST(ArgvSecrets, NothingARealUpStartsCarriesASecret) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    // A secret of this test's own: other tests on the machine use EnvctlProject's fixed ones.
    const std::string secret = "argv-Only-Secret-" + std::to_string(::getpid());
    EnvctlProject p("argvsecrets", "e2e/secret_stack.yaml", {{"ARGV_SECRET_TOKEN", secret}});
    CmdlineScanner scanner;
    auto up = p.run({"--profile", "secret", "up"});
    auto status = p.run({"--profile", "secret", "status"});
    scanner.stop();
    EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
    EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
    bool saw_envctl = false;
    for (const auto& line : scanner.seen()) {
        EXPECT_EQ(line.find(secret), std::string::npos) << line;
        if (line.find(" up") != std::string::npos && line.find("envctl") != std::string::npos) saw_envctl = true;
    }
    EXPECT_TRUE(saw_envctl) << "the scanner never saw envctl up: it proves nothing";
    // The probe passed, so the value reached the container.
    auto down = p.run({"down"});
    EXPECT_EQ(down.exit_code, 0) << down.err;
}

}  // namespace
}  // namespace envctl::test
