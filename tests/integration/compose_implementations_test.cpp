// Both compose implementations take the generated compose/podman-compose.yml: Debian's docker-compose 1.29
// validates and resolves it; podman-compose 1.0.3 turns it into podman commands (--dry-run). Every published
// port must come out on 127.0.0.1 with its variable's value, and every healthcheck must survive.

#include <gtest/gtest.h>
#include "support/test_paths.hpp"
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <unistd.h>

#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/settings/env_file.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/subprocess.hpp"
#include "support/prerequisite.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using envctl::subprocess::Environment;

namespace {

const fs::path kRepo = ENVCTL_REPO_ROOT;

std::map<std::string, std::string> env_file_values() {
    std::map<std::string, std::string> out;
    for (const auto& e : envctl::settings::load_env_file(kRepo / ".env.development").entries) out[e.key] = e.value;
    return out;
}

// Only what the programs need to run, so nothing in the test's own environment changes the resolution.
Environment minimal_environment() {
    Environment env;
    for (const char* name : {"PATH", "HOME", "LANG"})
        if (const char* v = std::getenv(name)) env[name] = v;
    return env;
}

envctl::subprocess::Result run(std::vector<std::string> argv, const fs::path& cwd, Environment env,
                               std::chrono::seconds timeout = std::chrono::seconds(120)) {
    envctl::subprocess::Spec spec;
    spec.argv = std::move(argv);
    spec.cwd = cwd.string();
    spec.env = std::move(env);
    spec.timeout = timeout;
    return envctl::subprocess::run(spec);
}

// "127.0.0.1:<value of VAR>:<container>" for every port of every built-in service.
std::map<std::string, std::multiset<std::string>> expected_ports() {
    const auto values = env_file_values();
    std::map<std::string, std::multiset<std::string>> out;
    for (const auto& s : envctl::descriptors::builtin_stack().services)
        for (const auto& p : s.ports) out[s.name].insert("127.0.0.1:" + values.at(p.variable) + ":" + std::to_string(p.container));
    return out;
}

// What podman-compose passes podman: `/bin/sh -c <shlex.quote(test)>`, after compose's $$ -> $.
std::string podman_healthcheck(const std::string& test) {
    std::string unescaped = std::regex_replace(test, std::regex("\\$\\$"), "$");
    std::string quoted = "'";
    for (char c : unescaped) quoted += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
    return "--healthcheck-command /bin/sh -c " + quoted + "'";
}

// Removes what `podman-compose --dry-run up` really creates: the project network and its named volumes.
struct DryRunCleanup {
    std::string project;
    ~DryRunCleanup() {
        const Environment env = minimal_environment();
        run({"podman", "network", "rm", "-f", project + "_default"}, "/", env, std::chrono::seconds(30));
        const auto volumes = run({"podman", "volume", "ls", "-q", "--filter",
                                  "label=io.podman.compose.project=" + project},
                                 "/", env, std::chrono::seconds(30));
        std::vector<std::string> rm{"podman", "volume", "rm", "-f"};
        std::istringstream names(volumes.out);
        for (std::string name; std::getline(names, name);)
            if (!name.empty()) rm.push_back(name);
        if (rm.size() > 4) run(rm, "/", env, std::chrono::seconds(30));
    }
};

}  // namespace

TEST(ComposeImplementations, DockerComposeValidatesAndResolvesEveryPortOnLoopback) {
    REQUIRE_PREREQUISITE(envctl::subprocess::find_program("docker-compose"), "docker-compose (apt install docker-compose)");
    const auto r = run({"docker-compose", "-p", "compose-it", "--env-file", ".env.development", "-f",
                        "compose/podman-compose.yml", "config"},
                       kRepo, minimal_environment());
    ASSERT_EQ(r.exit_code, 0) << r.describe() << "\n" << r.err;

    const YAML::Node resolved = YAML::Load(r.out);
    const auto expected = expected_ports();
    std::size_t services = 0;
    for (const auto& entry : resolved["services"]) {
        const auto name = entry.first.as<std::string>();
        ++services;
        std::multiset<std::string> published;
        for (const auto& p : entry.second["ports"]) {
            std::string text = p.as<std::string>();
            EXPECT_EQ(text.rfind("127.0.0.1:", 0), 0u) << name << ": " << text;
            if (text.ends_with("/tcp")) text.resize(text.size() - 4);
            published.insert(text);
        }
        const auto it = expected.find(name);
        EXPECT_EQ(published, it == expected.end() ? std::multiset<std::string>{} : it->second) << name;
    }
    EXPECT_EQ(services, 20u);

    // Secrets are references the env file resolves (compared without printing them).
    const auto values = env_file_values();
    EXPECT_TRUE(resolved["services"]["sql-edge"]["environment"]["MSSQL_SA_PASSWORD"].as<std::string>() ==
                values.at("SQL_EDGE_SA_PASSWORD"));
    EXPECT_TRUE(resolved["services"]["vault"]["environment"]["VAULT_DEV_ROOT_TOKEN_ID"].as<std::string>() ==
                values.at("VAULT_DEV_ROOT_TOKEN"));
}

TEST(ComposeImplementations, DockerComposeRefusesTheFileWhenAPortVariableIsMissing) {
    REQUIRE_PREREQUISITE(envctl::subprocess::find_program("docker-compose"), "docker-compose (apt install docker-compose)");
    envctl::test::TempDir dir;
    dir.write("compose/podman-compose.yml", envctl::files::read(kRepo / "compose/podman-compose.yml"));
    std::string env = envctl::files::read(kRepo / ".env.development");
    env = std::regex_replace(env, std::regex("\nOPA_PORT=8181\n"), "\n");
    dir.write(".env.development", env);
    const auto r = run({"docker-compose", "-p", "compose-it", "--env-file", ".env.development", "-f",
                        "compose/podman-compose.yml", "config", "-q"},
                       dir.path(), minimal_environment());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("OPA_PORT is not set"), std::string::npos) << r.err;
}

TEST(ComposeImplementations, PodmanComposeDryRunResolvesPortsAndKeepsHealthchecks) {
    REQUIRE_PREREQUISITE(envctl::subprocess::find_program("podman-compose"), "podman-compose (apt install podman-compose)");
    REQUIRE_PREREQUISITE(envctl::subprocess::find_program("podman"), "podman (apt install podman)");

    // A copy: the dry run creates missing bind-mount folders next to the compose file.
    envctl::test::TempDir dir;
    fs::copy(kRepo / "compose", dir.path() / "compose", fs::copy_options::recursive);
    fs::copy(kRepo / "dapr", dir.path() / "dapr", fs::copy_options::recursive);
    const std::string project = "compose-it-dry-" + std::to_string(::getpid());
    DryRunCleanup cleanup{project};

    Environment env = minimal_environment();
    for (const auto& [k, v] : env_file_values()) env[k] = v;  // podman-compose has no --env-file
    const auto r = run({"podman-compose", "-p", project, "-f", "compose/podman-compose.yml", "--dry-run", "up", "-d"},
                       dir.path(), env, std::chrono::seconds(180));
    ASSERT_EQ(r.exit_code, 0) << r.describe() << "\n" << r.err;
    EXPECT_NE(r.out.find("'" + project + "_default']"), std::string::npos) << "one project network";

    const auto expected = expected_ports();
    std::map<std::string, std::string> runs;  // service -> its `podman run` line
    std::istringstream lines(r.out);
    const std::string prefix = "podman run --name=" + project + "_";
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with(prefix)) continue;
        const auto name_end = line.find("_1 ", prefix.size());
        ASSERT_NE(name_end, std::string::npos) << line;
        runs[line.substr(prefix.size(), name_end - prefix.size())] = line;
    }
    ASSERT_EQ(runs.size(), 20u) << r.out;

    for (const auto& s : envctl::descriptors::builtin_stack().services) {
        SCOPED_TRACE(s.name);
        const std::string& line = runs[s.name];
        // Ports come before the healthcheck arguments (whose commands may contain " -p ").
        const std::string head = line.substr(0, line.find(" --healthcheck-command"));
        std::multiset<std::string> published;
        const std::regex port_arg(" -p (\\S+)");
        for (auto it = std::sregex_iterator(head.begin(), head.end(), port_arg); it != std::sregex_iterator(); ++it)
            published.insert((*it)[1]);
        const auto want = expected.find(s.name);
        EXPECT_EQ(published, want == expected.end() ? std::multiset<std::string>{} : want->second);
        if (s.healthcheck) {
            EXPECT_NE(line.find(podman_healthcheck(*s.healthcheck)), std::string::npos) << line;
            EXPECT_NE(line.find("--healthcheck-interval 10s"), std::string::npos);
        } else {
            EXPECT_NE(line.find("--no-healthcheck"), std::string::npos) << line;
            EXPECT_EQ(line.find("--healthcheck-command"), std::string::npos) << line;
        }
        EXPECT_NE(line.find("--label io.envctl.config-hash="), std::string::npos);
    }
}
