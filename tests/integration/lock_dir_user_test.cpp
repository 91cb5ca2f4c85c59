// Issue 14 finding 9: a user without XDG_RUNTIME_DIR (cron, CI containers, `sudo -u`) cannot create
// /run/envctl; envctl falls back to a per-user folder, /tmp/envctl-<uid> (0700, theirs), and locks there. Runs the
// real binary as `nobody` (setpriv); the test itself runs as root in CI.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "envctl/util/subprocess.hpp"
#include "support/prerequisite.hpp"
#include "support/test_paths.hpp"
#include "support/temp_dir.hpp"

namespace {

constexpr uid_t kNobody = 65534;
const std::filesystem::path kFallback = "/tmp/envctl-65534";

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

// envctl run as nobody, with a minimal environment (no XDG_RUNTIME_DIR, no ENVCTL_LOCK_DIR).
envctl::subprocess::Result as_nobody(const std::filesystem::path& project_dir, const std::vector<std::string>& args) {
    envctl::subprocess::Spec spec;
    spec.argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ENVCTL_BINARY, "--project-dir",
                 project_dir.string()};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = envctl::subprocess::Environment{{"PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"},
                                               {"HOME", project_dir.string()},
                                               {"ASAN_OPTIONS", "detect_leaks=0"}};
    spec.timeout = std::chrono::seconds(60);
    return envctl::subprocess::run(spec);
}

}  // namespace

TEST(LockDirAsUser, NobodyWithoutRuntimeDirLocksInAPrivateFolderOfTheirOwn) {
    REQUIRE_PREREQUISITE(::geteuid() == 0, "the test runs as root, to run envctl as nobody");
    REQUIRE_PREREQUISITE(envctl::subprocess::find_program("setpriv").has_value(), "setpriv (util-linux)");
    std::error_code ec;
    std::filesystem::remove_all(kFallback, ec);
    envctl::test::TempDir dir;
    ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);  // nobody reads the project
    dir.write(".env.development",
              "POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=lock-Test-Secret\nPOSTGRES_DB=lockdb\nENVCTL_PROJECT=nobodyproj\n");
    const std::string lock_file = (kFallback / "nobodyproj.lock").string();

    // A mutating command gets past the lock (what it does next, podman as nobody, may fail: not the point).
    auto first = as_nobody(dir.path(), {"down", "--lock-timeout", "2s"});
    EXPECT_EQ(output(first).find("project lock"), std::string::npos) << output(first);
    EXPECT_EQ(output(first).find("lock folder"), std::string::npos) << output(first);
    struct stat st {};
    ASSERT_EQ(::lstat(kFallback.c_str(), &st), 0) << "no " << kFallback << ": " << output(first);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_uid, kNobody);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::lstat(lock_file.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, kNobody);

    // And the lock there really excludes: held here, nobody's envctl waits, then gives up with exit 8.
    int fd = ::open(lock_file.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    const std::string record = std::to_string(::getpid()) + " test-holder\n";
    ASSERT_EQ(::pwrite(fd, record.data(), record.size(), 0), static_cast<ssize_t>(record.size()));
    auto second = as_nobody(dir.path(), {"down", "--lock-timeout", "300ms"});
    ::close(fd);
    EXPECT_EQ(second.exit_code, 8) << output(second);
    EXPECT_NE(output(second).find("PID " + std::to_string(::getpid()) + " (test-holder)"), std::string::npos)
        << output(second);
    std::filesystem::remove_all(kFallback, ec);
}
