#include "envctl/orchestration/project_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "envctl/core/error.hpp"
#include "support/temp_dir.hpp"

using envctl::orchestration::LockHolder;
using envctl::orchestration::ProjectLock;
using namespace std::chrono_literals;

class ProjectLockTest : public ::testing::Test {
protected:
    void SetUp() override { ::setenv("ENVCTL_LOCK_DIR", dir_.path().c_str(), 1); }
    void TearDown() override { ::unsetenv("ENVCTL_LOCK_DIR"); }
    envctl::test::TempDir dir_;
};

TEST_F(ProjectLockTest, SecondHolderTimesOutNamingTheFirst) {
    auto first = ProjectLock::acquire("lockproj", "up", 1s);
    auto holder = ProjectLock::holder("lockproj");
    ASSERT_TRUE(holder.has_value());
    EXPECT_EQ(holder->pid, ::getpid());
    EXPECT_EQ(holder->command, "up");
    bool told = false;
    try {
        ProjectLock::acquire("lockproj", "down", 300ms, [&](const LockHolder& h) { told = h.command == "up"; });
        FAIL() << "acquired a held lock";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::locked);
        std::string msg = e.what();
        EXPECT_NE(msg.find("PID " + std::to_string(::getpid()) + " (up)"), std::string::npos) << msg;
    }
    EXPECT_TRUE(told);
}

TEST_F(ProjectLockTest, WaiterGetsTheLockOnceReleased) {
    std::optional<ProjectLock> first(ProjectLock::acquire("lockproj2", "up", 1s));
    std::thread releaser([&] {
        std::this_thread::sleep_for(300ms);
        first.reset();
    });
    auto started = std::chrono::steady_clock::now();
    auto second = ProjectLock::acquire("lockproj2", "migrate", 5s);
    releaser.join();
    EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);
    EXPECT_EQ(ProjectLock::holder("lockproj2")->command, "migrate");
}

TEST_F(ProjectLockTest, ProjectsDoNotShareALock) {
    auto a = ProjectLock::acquire("proj-a", "up", 1s);
    auto b = ProjectLock::acquire("proj-b", "up", 100ms);
    EXPECT_FALSE(ProjectLock::holder("proj-c").has_value());
}
