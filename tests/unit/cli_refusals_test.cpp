// Findings 15 and 16 of issue 14, as the real binary sees them: a mount that a symbolic link leads out of the
// project, and a settings file that sets loader or container-engine variables, are refused (exit 2, naming them)
// by every command that reads them, `status` included, before anything runs.

#include <gtest/gtest.h>

#include <filesystem>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/mount_check.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/settings/child_env.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/subprocess.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kRepo = ENVCTL_REPO_ROOT;

// A stack file adding one service that mounts `source`.
const char* kStack = R"(mode: replace
services:
  web:
    group: core
    image: localhost/envctl/busybox:1.35
    mounts:
      - {source: conf/web.conf, target: /etc/web.conf, read_only: false}
    probe: {kind: command, command: [/bin/true]}
    ready_budget: 3s
    budget_reason: test stack
)";

struct Project {
    envctl::test::TempDir dir;
    Project() {
        dir.write(".env.development", envctl::files::read(kRepo / ".env.development"));
        dir.write("stack.yaml", kStack);
        fs::create_directories(dir / "conf");
    }
    envctl::subprocess::Result run(std::vector<std::string> args) const {
        envctl::subprocess::Spec spec;
        spec.argv = {ENVCTL_BINARY, "--project-dir", dir.path().string(), "--stack", (dir / "stack.yaml").string()};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.env = envctl::subprocess::current_environment();
        (*spec.env)["ENVCTL_LOCK_DIR"] = (dir / "locks").string();  // `down` locks the project first
        spec.timeout = std::chrono::seconds(30);
        return envctl::subprocess::run(spec);
    }
};

}  // namespace

TEST(MountCheck, ASymlinkOutOfTheProjectIsRefusedByEveryCommandThatReadsTheStack) {
    Project p;
    fs::create_symlink("/etc", p.dir / "conf" / "web.conf");  // resolves to /etc, outside the project
    for (std::vector<std::string> args : {std::vector<std::string>{"status"}, {"status", "--json"}, {"down"},
                                          {"wait-ready", "--timeout", "1s"}, {"logs", "web"}}) {
        auto r = p.run(args);
        EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.out << r.err;
        EXPECT_NE(r.err.find("service web mounts conf/web.conf, which leads to /etc"), std::string::npos) << r.err;
    }
}

TEST(MountCheck, ALinkedFolderOnTheWayOutIsCaughtToo) {
    envctl::test::TempDir outside;
    outside.write("web.conf", "x");
    Project p;
    fs::remove(p.dir / "conf");
    fs::create_directory_symlink(outside.path(), p.dir / "conf");
    auto stack = envctl::descriptors::parse_stack(kStack, "stack.yaml");
    EXPECT_THROW(envctl::descriptors::check_mounts_inside(stack, p.dir.path()), envctl::Error);
}

TEST(MountCheck, LinksThatStayInsideAndMissingSourcesPass) {
    Project p;
    auto stack = envctl::descriptors::parse_stack(kStack, "stack.yaml");
    EXPECT_NO_THROW(envctl::descriptors::check_mounts_inside(stack, p.dir.path()));  // missing: reported later
    p.dir.write("shared/web.conf", "x");
    fs::create_symlink("../shared/web.conf", p.dir / "conf" / "web.conf");
    EXPECT_NO_THROW(envctl::descriptors::check_mounts_inside(stack, p.dir.path()));
    // The project reached through a symbolic link of its own is still the project.
    envctl::test::TempDir elsewhere;
    fs::create_directory_symlink(p.dir.path(), elsewhere / "link");
    EXPECT_NO_THROW(envctl::descriptors::check_mounts_inside(stack, elsewhere / "link"));
}

TEST(ChildEnvironment, EngineVariablesInTheSettingsFileAreRefusedNamingFileAndLine) {
    for (const std::string key : {"LD_PRELOAD", "CONTAINER_HOST", "CONTAINERS_CONF", "DOCKER_HOST", "PATH",
                                  "PODMAN_USERNS", "PYTHONPATH", "XDG_RUNTIME_DIR", "BASH_ENV"}) {
        Project p;
        const std::string settings = envctl::files::read(p.dir / ".env.development");
        const int line = static_cast<int>(std::count(settings.begin(), settings.end(), '\n')) + 1;
        p.dir.write(".env.development", settings + key + "=/tmp/evil\n");
        auto r = p.run({"status"});
        EXPECT_EQ(r.exit_code, 2) << key << ": " << r.out << r.err;
        const std::string where = (p.dir / ".env.development").string() + ":" + std::to_string(line) + ": " + key;
        EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
    }
}

TEST(ChildEnvironment, TheListIsPrefixesAndExactNames) {
    using envctl::settings::is_engine_variable;
    for (const char* name : {"LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH", "HOME", "TMPDIR", "CONTAINERS_STORAGE_CONF",
                             "REGISTRY_AUTH_FILE", "STORAGE_DRIVER", "SSL_CERT_FILE", "BASH_FUNC_x%%", "ENV"})
        EXPECT_TRUE(is_engine_variable(name)) << name;
    for (const char* name : {"POSTGRES_PASSWORD", "VAULT_PORT", "ENVCTL_PROJECT", "HOMEPAGE_URL", "ENVIRONMENT",
                             "MY_PATH", "LOAD_PATH"})
        EXPECT_FALSE(is_engine_variable(name)) << name;
}

TEST(MountCheck, GenerateRefusesABuiltInMountThatALinkLeadsOut) {
    envctl::test::TempDir dir;
    dir.write(".env.development", envctl::files::read(kRepo / ".env.development"));
    fs::create_directories(dir / "compose" / "opa");
    fs::create_directory_symlink("/etc", dir / "compose" / "opa" / "policies");
    envctl::subprocess::Spec spec;
    spec.argv = {ENVCTL_BINARY, "--project-dir", dir.path().string(), "generate", "-o", (dir / "out.yml").string()};
    spec.timeout = std::chrono::seconds(30);
    auto r = envctl::subprocess::run(spec);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("service opa mounts compose/opa/policies, which leads to /etc"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out.yml"));
}
