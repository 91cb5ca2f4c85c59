#include "envctl/util/subprocess.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "envctl/core/error.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/redactor.hpp"

using namespace std::chrono_literals;
using envctl::subprocess::run;
using envctl::subprocess::Spec;

namespace {

Spec sh(const std::string& script) {
    Spec s;
    s.argv = {"/bin/sh", "-c", script};
    s.timeout = 10s;
    return s;
}

// Alive and not a zombie (a killed orphan may wait a moment for init to reap it).
bool process_alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close_paren = content.rfind(')');
    return close_paren != std::string::npos && close_paren + 2 < content.size() && content[close_paren + 2] != 'Z';
}

}  // namespace

TEST(Subprocess, ReportsExitCodeAndCapturesBothStreams) {
    auto r = run(sh("echo out; echo err >&2; exit 3"));
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_EQ(r.describe(), "exit 3");
    EXPECT_TRUE(run(sh("true")).ok());
}

TEST(Subprocess, NoDescriptorOfOursReachesTheChild) {
    // A descriptor opened without O_CLOEXEC (a test's held port, a library's socket) must not be inherited:
    // podman's long-lived helpers would keep it open after envctl is gone.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    auto r = run(sh("test -e /proc/$$/fd/" + std::to_string(fds[0]) + " && echo leaked || echo closed"));
    ::close(fds[0]);
    ::close(fds[1]);
    EXPECT_EQ(r.out, "closed\n");
}

TEST(Subprocess, StdinIsDevNull) {
    auto r = run(sh("cat; echo done"));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.out, "done\n");
}

TEST(Subprocess, EnvironmentIsExactlyTheOneGiven) {
    auto s = sh("echo \"[$ONLY_THIS][$HOME]\"");
    s.env = envctl::subprocess::Environment{{"ONLY_THIS", "yes"}, {"PATH", "/usr/bin:/bin"}};
    auto r = run(s);
    EXPECT_EQ(r.out, "[yes][]\n");
}

TEST(Subprocess, OutputIsBounded) {
    auto s = sh("i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done");
    s.output_limit = 1000;
    auto r = run(s);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.out.size(), 1000u);
    EXPECT_TRUE(r.truncated);
}

TEST(Subprocess, LinesAreStreamedToTheCallback) {
    std::vector<std::string> lines;
    auto s = sh("echo one; echo two >&2; printf three");
    s.on_line = [&](envctl::subprocess::Stream, const std::string& line) { lines.push_back(line); };
    run(s);
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "three", "two"}));
}

TEST(Subprocess, DeadlineKillsTheWholeProcessGroup) {
    // The shell starts a grandchild; both must be gone when the deadline kills the group.
    auto s = sh("sleep 30 & echo $!; wait");
    s.timeout = 300ms;
    auto started = std::chrono::steady_clock::now();
    auto r = run(s);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(r.timed_out);
    EXPECT_FALSE(r.ok());
    EXPECT_LT(took, 5s);
    pid_t grandchild = std::stoi(r.out);
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(process_alive(grandchild)) << "grandchild " << grandchild << " survived";
}

TEST(Subprocess, ChildIgnoringSigtermIsKilledAfterGrace) {
    auto s = sh("trap '' TERM; echo ready; while true; do sleep 0.05; done");
    s.timeout = 200ms;
    s.kill_grace = 300ms;
    auto started = std::chrono::steady_clock::now();
    auto r = run(s);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.term_signal, SIGKILL);
    EXPECT_GE(took, 450ms);
    EXPECT_LT(took, 5s);
}

TEST(Subprocess, MissingBinaryIsReportedNotThrown) {
    Spec s;
    s.argv = {"envctl-no-such-program-xyz"};
    auto r = run(s);
    EXPECT_TRUE(r.spawn_failed);
    EXPECT_NE(r.describe().find("not found: envctl-no-such-program-xyz"), std::string::npos);
    s.argv = {"/nonexistent/dir/prog"};
    EXPECT_TRUE(run(s).spawn_failed);
}

TEST(Subprocess, InterruptStopsTheWaitAndKillsTheChild) {
    envctl::interrupt::reset_for_test();
    auto s = sh("sleep 30");
    s.timeout = 60s;
    std::thread interrupter([] {
        std::this_thread::sleep_for(200ms);
        envctl::interrupt::request_for_test(SIGINT);
    });
    auto started = std::chrono::steady_clock::now();
    auto r = run(s);
    interrupter.join();
    envctl::interrupt::reset_for_test();
    EXPECT_TRUE(r.interrupted);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(Subprocess, RealSigintToEnvctlInterruptsTheWait) {
    envctl::interrupt::reset_for_test();
    envctl::interrupt::install_handlers();
    auto s = sh("sleep 30");
    std::thread interrupter([] {
        std::this_thread::sleep_for(200ms);
        ::kill(::getpid(), SIGINT);
    });
    auto r = run(s);
    interrupter.join();
    EXPECT_TRUE(r.interrupted);
    EXPECT_EQ(envctl::interrupt::signal_number(), SIGINT);
    envctl::interrupt::reset_for_test();
}

TEST(Subprocess, CapturedOutputIsRedacted) {
    envctl::Redactor::global().add_secret("sup3r-secret-value");
    auto r = run(sh("echo password=sup3r-secret-value"));
    EXPECT_EQ(r.out, "password=***\n");
}

TEST(Subprocess, CleanupAfterAnInterruptStillRuns) {
    envctl::interrupt::reset_for_test();
    envctl::interrupt::request_for_test(SIGTERM);
    EXPECT_TRUE(run(sh("sleep 5")).interrupted);  // outside cleanup the run is cut short
    {
        envctl::interrupt::CleanupScope cleanup;
        EXPECT_FALSE(envctl::interrupt::requested());
        EXPECT_TRUE(envctl::interrupt::received());
        auto r = run(sh("sleep 0.2; echo cleaned"));
        EXPECT_TRUE(r.ok());
        EXPECT_EQ(r.out, "cleaned\n");
    }
    EXPECT_TRUE(envctl::interrupt::requested());
    envctl::interrupt::reset_for_test();
}

// --- Background: a program beside envctl (podman's API service) ---

using envctl::subprocess::Background;

namespace {

// Reads the pid a background shell wrote into `file`, waiting up to 5 s for it.
pid_t read_pid(const std::string& file) {
    for (int i = 0; i < 500; ++i) {
        std::ifstream in(file);
        pid_t pid = 0;
        if (in >> pid && pid > 0) return pid;
        std::this_thread::sleep_for(10ms);
    }
    return 0;
}

}  // namespace

TEST(SubprocessBackground, RunsUntilStoppedAndStopEndsItsWholeGroup) {
    std::string file = "/tmp/envctl-background-test-" + std::to_string(::getpid());
    std::remove(file.c_str());
    Background b = Background::start(sh("sleep 30 & echo $! > " + file + "; wait"));
    pid_t grandchild = read_pid(file);
    ASSERT_GT(grandchild, 0);
    EXPECT_TRUE(b.running());
    EXPECT_TRUE(process_alive(b.pid()));
    pid_t pid = b.pid();
    b.stop();
    EXPECT_FALSE(b.running());
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(process_alive(pid));
    EXPECT_FALSE(process_alive(grandchild)) << "grandchild " << grandchild << " survived";
    std::remove(file.c_str());
}

TEST(SubprocessBackground, DestructorStopsItAndOneIgnoringSigtermIsKilledAfterTheGrace) {
    pid_t pid = 0;
    std::chrono::steady_clock::time_point started;
    // The shell says when its trap is set (its PID in a file) instead of the test guessing a time for it.
    std::string file = "/tmp/envctl-background-trap-" + std::to_string(::getpid());
    std::remove(file.c_str());
    {
        auto s = sh("trap '' TERM; echo $$ > " + file + "; while true; do sleep 0.05; done");
        s.kill_grace = 300ms;
        Background b = Background::start(s);
        pid = b.pid();
        ASSERT_GT(read_pid(file), 0);
        started = std::chrono::steady_clock::now();
    }
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_FALSE(process_alive(pid));
    EXPECT_GE(took, 300ms);  // SIGTERM was ignored: only SIGKILL after the whole grace ended it
    EXPECT_LT(took, 5s);
    std::remove(file.c_str());
}

TEST(SubprocessBackground, OneThatExitsIsNotRunning) {
    Background b = Background::start(sh("exit 0"));
    for (int i = 0; i < 500 && b.running(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(b.running());
}

TEST(SubprocessBackground, MissingProgramThrows) {
    Spec s;
    s.argv = {"envctl-no-such-program-anywhere"};
    try {
        Background::start(s);
        FAIL() << "no error";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::preflight);
        EXPECT_NE(std::string(e.what()).find("envctl-no-such-program-anywhere"), std::string::npos);
    }
}
