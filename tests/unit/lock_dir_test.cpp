// Issue 14 finding 9: the lock folder for users without XDG_RUNTIME_DIR, and opening it without following links.

#include "envctl/orchestration/lock_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "envctl/core/error.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"

using envctl::orchestration::choose_lock_dir;
using envctl::orchestration::LockDirInputs;
using envctl::orchestration::open_lock_dir;
using envctl::orchestration::ProjectLock;
using envctl::test::TempDir;

namespace {

// Another user than this one: nobody when running as root (which can chown to it), else this very user.
uid_t other_uid() { return ::geteuid() == 0 ? 65534 : ::geteuid(); }

mode_t mode_of(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

std::string open_error(const std::filesystem::path& dir) {
    try {
        int fd = open_lock_dir(dir);
        ::close(fd);
    } catch (const envctl::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(LockDir, ExplicitFolderThenRuntimeDirThenRunForRoot) {
    EXPECT_EQ(choose_lock_dir({.lock_dir = "/x/locks", .xdg_runtime_dir = "/run/user/5", .uid = 5}), "/x/locks");
    EXPECT_EQ(choose_lock_dir({.lock_dir = "", .xdg_runtime_dir = "/run/user/5", .uid = 5}), "/run/user/5/envctl");
    EXPECT_EQ(choose_lock_dir({.uid = 0}), "/run/envctl");
    EXPECT_EQ(choose_lock_dir({.xdg_runtime_dir = "", .uid = 0}), "/run/envctl");
}

TEST(LockDir, AUserWithoutRuntimeDirFallsBackToAPerUserFolder) {
    TempDir dir;
    const uid_t uid = other_uid();
    const LockDirInputs in{.uid = uid, .run_user = dir / "run-user", .tmp = dir / "tmp"};
    EXPECT_EQ(choose_lock_dir(in), dir / "tmp" / ("envctl-" + std::to_string(uid)));
    // The user's own /run/user/<uid> (a session's XDG_RUNTIME_DIR) is preferred when it exists.
    const auto runtime = dir / "run-user" / std::to_string(uid);
    std::filesystem::create_directories(runtime);
    ASSERT_EQ(::chown(runtime.c_str(), uid, static_cast<gid_t>(-1)), 0);
    EXPECT_EQ(choose_lock_dir(in), runtime / "envctl");
    if (uid != ::geteuid()) {
        // One belonging to someone else is not.
        ASSERT_EQ(::chown(runtime.c_str(), ::geteuid(), static_cast<gid_t>(-1)), 0);
        EXPECT_EQ(choose_lock_dir(in), dir / "tmp" / ("envctl-" + std::to_string(uid)));
    }
}

TEST(LockDir, CreatedPrivate) {
    TempDir dir;
    const auto locks = dir / "deep" / "envctl-1000";
    int fd = open_lock_dir(locks);
    ::close(fd);
    EXPECT_EQ(mode_of(locks), 0700u);
}

TEST(LockDir, ASymlinkInItsPlaceIsRefused) {
    TempDir dir;
    std::filesystem::create_directories(dir / "elsewhere");
    std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "locks");
    EXPECT_NE(open_error(dir / "locks").find("symbolic link"), std::string::npos) << open_error(dir / "locks");
}

TEST(LockDir, AFolderOfAnotherUserIsRefused) {
    REQUIRE_PREREQUISITE(::geteuid() == 0, "root, to give a folder to another user (CI runs as root)");
    TempDir dir;
    const auto locks = dir / "envctl-0";
    std::filesystem::create_directories(locks);
    ASSERT_EQ(::chown(locks.c_str(), 65534, 65534), 0);
    const std::string error = open_error(locks);
    EXPECT_NE(error.find("belongs to uid 65534"), std::string::npos) << error;
    EXPECT_NE(error.find("ENVCTL_LOCK_DIR"), std::string::npos) << error;
}

TEST(LockDir, AWorldWritableFolderOfOursIsTightened) {
    TempDir dir;
    const auto locks = dir / "locks";
    std::filesystem::create_directories(locks);
    ASSERT_EQ(::chmod(locks.c_str(), 0777), 0);
    int fd = open_lock_dir(locks);
    ::close(fd);
    EXPECT_EQ(mode_of(locks) & 022, 0u);
}

TEST(LockDir, ALockFileSymlinkIsNeverFollowed) {
    TempDir dir;
    ::setenv("ENVCTL_LOCK_DIR", (dir / "locks").c_str(), 1);
    std::filesystem::create_directories(dir / "locks");
    dir.write("victim", "precious\n");
    std::filesystem::create_symlink(dir / "victim", dir / "locks" / "linked.lock");
    EXPECT_THROW(ProjectLock::acquire("linked", "up", std::chrono::milliseconds(100)), envctl::Error);
    ::unsetenv("ENVCTL_LOCK_DIR");
    std::ifstream in(dir / "victim");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "precious\n");
}
