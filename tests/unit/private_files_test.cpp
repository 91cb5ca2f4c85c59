// Finding 14 of issue 14: .envctl/ is 0700 (an existing one is tightened) and every file envctl writes in it 0600.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "envctl/orchestration/failure_report.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/util/files.hpp"
#include "support/temp_dir.hpp"

namespace {

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

}  // namespace

TEST(PrivateFiles, NewStateFolderAndFilesArePrivate) {
    envctl::test::TempDir dir;
    const auto state = dir / ".envctl";
    envctl::orchestration::write_state(state / "state.json", {});
    envctl::orchestration::FailureReport r;
    r.project = "p";
    const auto report = envctl::orchestration::write_failure_report(state / "reports", r);
    EXPECT_EQ(mode_of(state), 0700u);
    EXPECT_EQ(mode_of(state / "state.json"), 0600u);
    EXPECT_EQ(mode_of(state / "reports"), 0700u);
    EXPECT_EQ(mode_of(report), 0600u);
    EXPECT_EQ(mode_of(std::filesystem::path(report).replace_extension(".txt")), 0600u);
}

TEST(PrivateFiles, ExistingStateFolderIsTightened) {
    envctl::test::TempDir dir;
    const auto state = dir / ".envctl";
    std::filesystem::create_directories(state / "run");
    ::chmod(state.c_str(), 0755);
    ::chmod((state / "run").c_str(), 0777);
    const unsigned project_mode = mode_of(dir.path());
    envctl::files::write_private(state / "run" / "compose.yml", "services: {}\n");
    EXPECT_EQ(mode_of(state), 0700u);
    EXPECT_EQ(mode_of(state / "run"), 0700u);
    EXPECT_EQ(mode_of(state / "run" / "compose.yml"), 0600u);
    EXPECT_EQ(mode_of(dir.path()), project_mode);
}

TEST(PrivateFiles, CommittedFilesStayReadable) {
    envctl::test::TempDir dir;
    envctl::files::write_atomic(dir / "compose" / "podman-compose.yml", "services: {}\n");
    EXPECT_EQ(mode_of(dir / "compose" / "podman-compose.yml"), 0644u);
}

TEST(PrivateFiles, AFileWhereTheFolderShouldBeIsAnError) {
    envctl::test::TempDir dir;
    dir.write(".envctl", "not a folder");
    EXPECT_THROW(envctl::files::write_private(dir / ".envctl" / "state.json", "{}"), std::exception);
}
