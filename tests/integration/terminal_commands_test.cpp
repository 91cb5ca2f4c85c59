// What people expect around the live view (issue 15 §2), with the real binary: `status --watch` redraws its table
// in a tmux pane and ends on Ctrl-C with 130; `logs` of two services interleaves their lines, each prefixed with its
// service's name; each completion script, loaded by its own shell (bash, zsh, fish) in tmux, completes
// `envctl up <TAB>` to the services of the stack in effect.
#include <gtest/gtest.h>
#include "support/test_paths.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/envctl_project.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"
#include "support/tmux_session.hpp"

using envctl::test::EnvctlProject;
using envctl::test::TmuxSession;
using namespace std::chrono_literals;

namespace {

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

std::size_t count_containing(const std::vector<std::string>& lines, const std::string& what) {
    return static_cast<std::size_t>(
        std::count_if(lines.begin(), lines.end(), [&](const auto& l) { return l.find(what) != std::string::npos; }));
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::map<std::string, std::string> e2e_ports(int base) {
    return {{"E2E_WEB_PORT", std::to_string(base)},      {"E2E_API_PORT", std::to_string(base + 1)},
            {"E2E_SICK_PORT", std::to_string(base + 2)}, {"E2E_CRASH_PORT", std::to_string(base + 3)},
            {"E2E_SLOW_PORT", std::to_string(base + 4)}};
}

// The environment a tmux pane needs to run envctl like a user: its folder on PATH, the project's lock folder.
std::map<std::string, std::string> pane_env(const EnvctlProject& project) {
    const std::string bin = std::filesystem::path(ENVCTL_BINARY).parent_path().string();
    const char* path = std::getenv("PATH");
    return {{"PATH", bin + ":" + (path ? path : "/usr/bin:/bin")}, {"ENVCTL_LOCK_DIR", (project.dir() / "locks").string()}};
}

}  // namespace

TEST(StatusWatch, RedrawsTheTableInPlaceAndEndsOnCtrlCWith130) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::tmux_usable(&why), why);
    EnvctlProject project("watchtbl", "e2e/stack.yaml", e2e_ports(28130));
    TmuxSession session(80, 20,
                        {ENVCTL_BINARY, "--project-dir", project.dir().string(), "--stack", (project.dir() / "stack.yaml").string(),
                         "--profile", "e2e", "status", "--watch", "--interval", "500ms"},
                        pane_env(project));
    ASSERT_TRUE(session.wait_for_text("(Ctrl-C to stop)", 30s)) << joined(session.screen());
    ASSERT_TRUE(session.wait_for_text("api", 30s)) << joined(session.screen());
    std::this_thread::sleep_for(2s);  // several redraws
    auto screen = session.screen(true, true);
    // Redrawn in place: one header and one row per service, however many times it was drawn.
    EXPECT_EQ(count_containing(screen, "(Ctrl-C to stop)"), 1u) << joined(screen);
    EXPECT_EQ(count_containing(screen, "web"), 1u) << joined(screen);
    EXPECT_EQ(count_containing(screen, "api"), 1u) << joined(screen);
    EXPECT_EQ(session.wait_exit(0ms), -1) << "ended by itself:\n" << joined(screen);
    session.send_keys("C-c");
    EXPECT_EQ(session.wait_exit(15s), 130) << joined(session.screen());
    auto after = joined(session.screen(true, true));
    EXPECT_EQ(after.find("error"), std::string::npos) << after;
    EXPECT_EQ(after.find("interrupted"), std::string::npos) << after;
}

TEST(Logs, TwoServicesInterleavePrefixedLines) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::tmux_usable(&why), why);
    EnvctlProject project("logstwo", "e2e/logs_stack.yaml", e2e_ports(28140));
    auto up = project.run({"--profile", "talkers", "up"});
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;

    auto logs = project.run({"--profile", "talkers", "logs", "talker-a", "talker-b"});
    ASSERT_EQ(logs.exit_code, 0) << logs.out << logs.err;
    EXPECT_EQ(logs.out.find('\x1b'), std::string::npos) << "colour on a pipe:\n" << logs.out;
    std::vector<char> order;
    std::map<char, int> last;
    for (const auto& line : split(logs.out)) {
        ASSERT_TRUE(line.rfind("talker-a | ", 0) == 0 || line.rfind("talker-b | ", 0) == 0) << line;
        const char who = line[7];
        if (line.find("-line-") == std::string::npos) continue;
        EXPECT_EQ(line.substr(11, 1), std::string(1, who)) << "a line under the wrong service: " << line;
        int n = std::stoi(line.substr(line.rfind('-') + 1));
        EXPECT_EQ(n, last[who] + 1) << "out of order: " << line;
        last[who] = n;
        order.push_back(who);
    }
    EXPECT_EQ(last['a'], 6) << logs.out;
    EXPECT_EQ(last['b'], 6) << logs.out;
    // Interleaved in time, not one service after the other.
    std::size_t switches = 0;
    for (std::size_t i = 1; i < order.size(); ++i) switches += order[i] != order[i - 1];
    EXPECT_GE(switches, 6u) << logs.out;

    // --timestamps shows each line's time; the default profile's services without naming them.
    auto stamped = project.run({"--profile", "talkers", "logs", "--timestamps", "--tail", "2"});
    ASSERT_EQ(stamped.exit_code, 0) << stamped.err;
    auto lines = split(stamped.out);
    ASSERT_EQ(lines.size(), 4u) << stamped.out;
    for (const auto& l : lines) EXPECT_EQ(l.substr(11, 2), "20") << "no timestamp: " << l;

    // --follow until Ctrl-C: 130, prefixed lines, no trace.
    TmuxSession follow(100, 30,
                       {ENVCTL_BINARY, "--project-dir", project.dir().string(), "--stack", (project.dir() / "stack.yaml").string(),
                        "--profile", "talkers", "logs", "--follow", "--tail", "3"},
                       pane_env(project));
    ASSERT_TRUE(follow.wait_for_text("b-line-6", 30s)) << joined(follow.screen());
    ASSERT_TRUE(follow.wait_for_text("a-line-6", 30s)) << joined(follow.screen());
    follow.send_keys("C-c");
    EXPECT_EQ(follow.wait_exit(15s), 130) << joined(follow.screen());
    auto screen = joined(follow.screen());
    EXPECT_EQ(screen.find("error"), std::string::npos) << screen;
    EXPECT_NE(screen.find("talker-a | a-line-6"), std::string::npos) << screen;
}

class Completion : public ::testing::TestWithParam<std::string> {};

TEST_P(Completion, ItsShellCompletesUpToTheServicesOfTheStackInEffect) {
    const std::string shell = GetParam();
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::tmux_usable(&why), why);
    REQUIRE_PREREQUISITE(std::filesystem::exists("/usr/bin/" + shell), shell + " (apt-get install " + shell + ")");
    EnvctlProject project("compl" + shell, "e2e/stack.yaml", e2e_ports(28150));
    envctl::test::TempDir home;
    auto env = pane_env(project);
    env["HOME"] = home.path().string();
    env["XDG_CONFIG_HOME"] = (home / "config").string();
    env["XDG_DATA_HOME"] = (home / "data").string();
    std::vector<std::string> argv;
    std::string load;
    if (shell == "bash") {
        argv = {"bash", "--norc", "--noprofile"};
        load = "source <(envctl completion bash)";
    } else if (shell == "zsh") {
        argv = {"zsh", "-f"};
        load = "autoload -U compinit && compinit -u && source <(envctl completion zsh)";
    } else {
        argv = {"fish", "--no-config"};
        load = "envctl completion fish | source";
    }
    TmuxSession session(120, 30, argv, env);
    session.send_keys("cd " + envctl::test::shell_quote(project.dir().string()) + " && " + load + " && echo LOADED-OK");
    session.send_keys("Enter");
    ASSERT_TRUE(session.wait_for_text("LOADED-OK", 20s)) << joined(session.screen());
    session.send_keys("clear");
    session.send_keys("Enter");
    std::this_thread::sleep_for(500ms);

    // The stack file's services (the e2e stack replaces the built-in one), listed on TAB.
    session.send_keys("envctl --stack stack.yaml up ");
    session.send_keys("Tab");
    if (shell == "bash") session.send_keys("Tab");  // bash lists on the second TAB
    bool listed = session.wait_for_text("crash", 10s);
    auto screen = session.screen();
    ASSERT_TRUE(listed) << joined(screen);
    for (const char* service : {"web", "api", "sick", "crash", "slow"})
        EXPECT_TRUE(session.wait_for_text(service, 2s)) << service << "\n" << joined(session.screen());
    EXPECT_EQ(joined(session.screen()).find("postgresql"), std::string::npos) << joined(session.screen());

    // One that matches alone is completed on the command line.
    session.send_keys("C-c");
    session.send_keys("clear");
    session.send_keys("Enter");
    std::this_thread::sleep_for(500ms);
    session.send_keys("envctl --stack stack.yaml up sl");
    session.send_keys("Tab");
    EXPECT_TRUE(session.wait_for_text("up slow", 10s)) << joined(session.screen());

    // Without --stack: the built-in stack's services.
    session.send_keys("C-c");
    session.send_keys("envctl up redis-");
    session.send_keys("Tab");
    EXPECT_TRUE(session.wait_for_text("up redis-dapr", 10s)) << joined(session.screen());
}

INSTANTIATE_TEST_SUITE_P(Shells, Completion, ::testing::Values("bash", "zsh", "fish"));
