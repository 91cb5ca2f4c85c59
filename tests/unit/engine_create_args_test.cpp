#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "envctl/engine/create_args.hpp"
#include "support/sample_project_spec.hpp"

namespace envctl::engine {
namespace {

ProjectSpec sample() { return test::sample_project_spec(); }

// The expected command line is what `podman-compose --dry-run up` printed for the equivalent compose file
// (tests/data/engine/args_sample.yml), with `run -d` -> `create`.
TEST(EngineCreateArgs, MatchesPodmanComposeForTheSameService) {
    ProjectSpec p = sample();
    std::vector<std::string> expected{
        "create", "--name=enginetestargs_web1_1",
        "--label", "io.envctl.group=core",
        "--label", "io.envctl.config-hash=abc",
        "--label", "io.podman.compose.config-hash=123",
        "--label", "io.podman.compose.project=enginetestargs",
        "--label", "io.podman.compose.version=0.0.1",
        "--label", "com.docker.compose.project=enginetestargs",
        "--label", "com.docker.compose.project.working_dir=/nonexistent-envctl/run",
        "--label", "com.docker.compose.project.config_files=/nonexistent-envctl/run/compose.yml",
        "--label", "com.docker.compose.container-number=1",
        "--label", "com.docker.compose.service=web1",
        "--cap-add", "NET_ADMIN",
        "-e", "FOO", "-e", "BAR",
        "-v", "enginetestargs_data:/data",
        "-v", "/srv/conf/x.txt:/etc/x.txt:ro",
        "--net", "enginetestargs_default", "--network-alias", "web1",
        "-p", "127.0.0.1:25999:8080", "-p", "127.0.0.1:25998:53/udp",
        "-u", "0:0", "--shm-size", "64m", "--stop-signal", "SIGKILL", "-m", "64m",
        "--entrypoint", R"(["/bin/busybox"])",
        "--healthcheck-command", "/bin/sh -c 'wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1'",
        "--healthcheck-interval", "10s", "--healthcheck-timeout", "5s", "--healthcheck-start-period", "30s",
        "--healthcheck-retries", "3",
        "localhost/envctl/busybox:1.35", "httpd", "-f", "-p", "8080"};
    EXPECT_EQ(create_args(p, p.services[0]), expected);
}

TEST(EngineCreateArgs, RunArgsAreCreateArgsDetached) {
    ProjectSpec p = sample();
    auto create = create_args(p, p.services[0]);
    auto run = run_args(p, p.services[0]);
    ASSERT_EQ(run.size(), create.size() + 1);
    EXPECT_EQ(run[0], "run");
    EXPECT_EQ(run[1], "-d");
    EXPECT_TRUE(std::equal(create.begin() + 1, create.end(), run.begin() + 2));
}

TEST(EngineCreateArgs, NoHealthcheckAndOptionalsOmitted) {
    ProjectSpec p = sample();
    ServiceSpec s;
    s.name = "plain";
    s.image = "img";
    s.stop_grace_seconds = 3;
    auto args = create_args(p, s);
    auto has = [&](const std::string& a) { return std::find(args.begin(), args.end(), a) != args.end(); };
    EXPECT_TRUE(has("--no-healthcheck"));
    EXPECT_FALSE(has("-m"));
    EXPECT_FALSE(has("--entrypoint"));
    EXPECT_FALSE(has("-u"));
    EXPECT_TRUE(has("--stop-timeout"));
    EXPECT_EQ(args.back(), "img");
}

// Finding 13 of issue 14: no environment value on podman's command line; podman takes them from its own
// environment (`-e KEY`), except the variables podman itself would read, which keep theirs in argv.
TEST(EngineCreateArgs, EnvironmentValuesNeverOnTheCommandLine) {
    ProjectSpec p = sample();
    ServiceSpec s = p.services[0];
    const std::string secret = "s3cr\"et value";
    s.environment = {{"DB_PASSWORD", secret}, {"EMPTY", ""}, {"LD_LIBRARY_PATH", "/opt/lib"}};
    for (const auto& args : {create_args(p, s), run_args(p, s)}) {
        for (const auto& a : args) EXPECT_EQ(a.find("s3cr"), std::string::npos) << a;
        auto at = std::find(args.begin(), args.end(), "DB_PASSWORD");
        ASSERT_NE(at, args.end());
        EXPECT_EQ(*(at - 1), "-e");
        EXPECT_NE(std::find(args.begin(), args.end(), "LD_LIBRARY_PATH=/opt/lib"), args.end());
    }
    const std::map<std::string, std::string> expected{{"DB_PASSWORD", secret}, {"EMPTY", ""}};
    EXPECT_EQ(run_environment(s), expected);
}

TEST(EngineCreateArgs, ShellQuoteMatchesPythonShlex) {
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(shell_quote("abc-1.2/x:y=z@%+,"), "abc-1.2/x:y=z@%+,");
    EXPECT_EQ(shell_quote("a b"), "'a b'");
    EXPECT_EQ(shell_quote("it's"), "'it'\"'\"'s'");
}

}  // namespace
}  // namespace envctl::engine
