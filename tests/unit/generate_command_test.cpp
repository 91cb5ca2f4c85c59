// `envctl generate [--check] [-o FILE]`, run as the real binary against temporary copies of the project.

#include <gtest/gtest.h>
#include "support/test_paths.hpp"

#include <filesystem>

#include "envctl/settings/env_file.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/util/files.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kRepo = ENVCTL_REPO_ROOT;

envctl::subprocess::Result envctl_run(std::vector<std::string> args) {
    envctl::subprocess::Spec spec;
    spec.argv = {ENVCTL_BINARY};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.timeout = std::chrono::seconds(30);
    return envctl::subprocess::run(spec);
}

// A project with the settings file and the committed compose file.
struct ProjectCopy {
    envctl::test::TempDir dir;
    ProjectCopy() {
        dir.write(".env.development", envctl::files::read(kRepo / ".env.development"));
        dir.write("compose/podman-compose.yml", envctl::files::read(kRepo / "compose/podman-compose.yml"));
    }
    fs::path compose() const { return dir.path() / "compose" / "podman-compose.yml"; }
    std::string root() const { return dir.path().string(); }
};

}  // namespace

TEST(GenerateCommand, TheCommittedFileIsWhatTheDescriptorsProduce) {
    const auto r = envctl_run({"--project-dir", kRepo.string(), "generate", "--check"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(GenerateCommand, CheckExits10AndShowsTheFirstDifferenceOfAModifiedCopy) {
    ProjectCopy p;
    std::string text = envctl::files::read(p.compose());
    const std::string from = "    mem_limit: \"512m\"\n";
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, from.size(), "    mem_limit: \"768m\"\n");
    p.dir.write("compose/podman-compose.yml", text);

    const auto r = envctl_run({"--project-dir", p.root(), "generate", "--check"});
    EXPECT_EQ(r.exit_code, 10) << r.out << r.err;
    EXPECT_NE(r.out.find("compose/podman-compose.yml is not what the descriptors produce"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--- compose/podman-compose.yml (on disk)\n+++ compose/podman-compose.yml (generated)\n@@ -"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("\n-    mem_limit: \"768m\"\n+    mem_limit: \"512m\"\n"), std::string::npos) << r.out;
    EXPECT_EQ(envctl::files::read(p.compose()), text) << "--check writes nothing";
}

TEST(GenerateCommand, CheckOfAMissingFileDiffers) {
    ProjectCopy p;
    fs::remove(p.compose());
    const auto r = envctl_run({"--project-dir", p.root(), "generate", "--check"});
    EXPECT_EQ(r.exit_code, 10);
    EXPECT_NE(r.out.find("does not exist"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(p.compose()));
}

TEST(GenerateCommand, WritesTheSameBytesEveryRunWhateverStackProfileOrImages) {
    ProjectCopy p;
    fs::remove(p.compose());
    p.dir.write("extra.yaml", "services:\n  echo:\n    group: core\n    image: busybox:1.36\n"
                              "    probe: {kind: command, command: [true]}\n");
    auto r = envctl_run({"--project-dir", p.root(), "--stack", (p.dir.path() / "extra.yaml").string(), "--profile",
                         "core", "--images", "local", "generate"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string first = envctl::files::read(p.compose());
    EXPECT_EQ(first, envctl::files::read(kRepo / "compose/podman-compose.yml"));
    r = envctl_run({"--project-dir", p.root(), "generate"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(envctl::files::read(p.compose()), first);
    EXPECT_EQ(envctl_run({"--project-dir", p.root(), "generate", "--check"}).exit_code, 0);
}

TEST(GenerateCommand, OutputElsewhereMountsTheProjectsFilesFromThere) {
    ProjectCopy p;
    const fs::path other = p.dir.path() / "out" / "deeper" / "stack.yml";
    auto r = envctl_run({"--project-dir", p.root(), "generate", "-o", other.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string text = envctl::files::read(other);
    EXPECT_NE(text.find("\"../../compose/tempo/tempo.yaml:/etc/tempo/tempo.yaml:ro\""), std::string::npos);
    EXPECT_EQ(envctl::files::read(p.compose()), envctl::files::read(kRepo / "compose/podman-compose.yml")) << "the committed file is untouched";
    EXPECT_EQ(envctl_run({"--project-dir", p.root(), "generate", "--check", "-o", other.string()}).exit_code, 0);
}

TEST(GenerateCommand, VerboseJsonLogsCarryNoSecretValue) {
    ProjectCopy p;
    fs::remove(p.compose());
    const auto r = envctl_run({"--project-dir", p.root(), "-v", "--log-format", "json", "generate"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(r.err.empty()) << "verbose logging says something";
    const auto env = envctl::settings::load_env_file(kRepo / ".env.development");
    const std::string everything = r.out + r.err + envctl::files::read(p.compose());
    for (const auto& e : env.entries) {
        if (envctl::Redactor::is_secret_name(e.key) && e.value.size() >= 3) {
            EXPECT_EQ(everything.find(e.value), std::string::npos) << e.key << "'s value leaked";
        }
    }
}
