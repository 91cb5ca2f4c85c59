// Issue 14 finding 8: precedence says process environment > env file for every variable, including those only a
// stack file references (README's stack-file example sets ECHO_PORT in the environment), and secrets among them
// are registered with the redactor.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "envctl/cli/context.hpp"
#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/validate.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/util/redactor.hpp"
#include "support/temp_dir.hpp"

using envctl::settings::Origin;
using envctl::test::TempDir;

namespace {

const char* kEnvFile =
    "POSTGRES_PORT=5432\nPOSTGRES_USER=postgres\nPOSTGRES_PASSWORD=pw-secret\nPOSTGRES_DB=international_center\n";

// README's stack-file example, plus a token only the environment gives.
const char* kReadmeStack = R"(services:
  postgresql:
    group: core
    image: postgres:17.6-alpine
    environment: {POSTGRES_USER: "${POSTGRES_USER}", POSTGRES_PASSWORD: "${POSTGRES_PASSWORD}", POSTGRES_DB: "${POSTGRES_DB}"}
    ports:
      - {variable: POSTGRES_PORT, container: 5432}
    volumes:
      - {name: postgresql-data, target: /var/lib/postgresql/data}
    probe: {kind: postgres, port_variable: POSTGRES_PORT}
    healthcheck: pg_isready -h 127.0.0.1 -U "$${POSTGRES_USER}"
  echo:
    group: core
    image: busybox:1.36
    command: [httpd, -f, -p, "8080"]
    environment: {ECHO_API_TOKEN: "${ECHO_API_TOKEN}", GREETING: "${ECHO_GREETING:-hello}"}
    ports:
      - {variable: ECHO_PORT, container: 8080}
    depends_on: [postgresql]
    probe: {kind: http, port_variable: ECHO_PORT, path: /}
profiles:
  demo: [echo]
)";

// Sets process environment variables for one test.
class ScopedEnv {
public:
    ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> vars) {
        for (const auto& [k, v] : vars) {
            ::setenv(k, v, 1);
            names_.emplace_back(k);
        }
    }
    ~ScopedEnv() {
        for (const auto& k : names_) ::unsetenv(k.c_str());
    }

private:
    std::vector<std::string> names_;
};

struct Project {
    TempDir dir;
    envctl::cli::Context ctx;
    Project() {
        dir.write(".env.development", kEnvFile);
        dir.write("stack.yaml", kReadmeStack);
        ctx.options.project_dir = dir.path();
        ctx.options.stack_file = dir / "stack.yaml";
    }
};

}  // namespace

TEST(SettingsEnvironment, ReadmeStackExampleTakesItsPortFromTheEnvironment) {
    ScopedEnv env{{"ECHO_PORT", "18080"}, {"ECHO_API_TOKEN", "echo-Env-Token-77"}};
    Project p;
    const auto& settings = p.ctx.settings();
    EXPECT_NO_THROW(envctl::descriptors::validate_selection(p.ctx.stack(), {"postgresql", "echo"}, settings.vars));
    EXPECT_EQ(settings.vars.port("ECHO_PORT"), 18080);
    EXPECT_EQ(settings.vars.origin("ECHO_PORT").kind, Origin::Kind::process_env);
    EXPECT_EQ(settings.vars.require("ECHO_API_TOKEN"), "echo-Env-Token-77");
    // A secret only the environment gives is redacted like the env file's.
    EXPECT_EQ(envctl::Redactor::global().redact("token echo-Env-Token-77 here"), "token *** here");
}

TEST(SettingsEnvironment, AReferencedPortFromTheEnvironmentIsValidated) {
    ScopedEnv env{{"ECHO_PORT", "http"}};
    Project p;
    try {
        (void)p.ctx.settings();
        FAIL() << "a bad port from the environment was accepted";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("ECHO_PORT (process environment)"), std::string::npos) << e.what();
    }
}

TEST(SettingsEnvironment, UnreferencedEnvironmentVariablesAreNotTaken) {
    ScopedEnv env{{"SOMETHING_ELSE_PORT", "not-a-port"}, {"ECHO_PORT", "18081"}};
    Project p;
    const auto& settings = p.ctx.settings();
    EXPECT_FALSE(settings.vars.has("SOMETHING_ELSE_PORT"));
    EXPECT_FALSE(settings.vars.has("ECHO_GREETING"));  // referenced, but set nowhere: the default applies
}

TEST(SettingsEnvironment, EnvironmentStillOverridesTheFileForKnownVariables) {
    ScopedEnv env{{"POSTGRES_PORT", "15433"}, {"ECHO_PORT", "18082"}};
    Project p;
    EXPECT_EQ(p.ctx.settings().vars.port("POSTGRES_PORT"), 15433);
}

TEST(SettingsEnvironment, ReferencedVariablesNameEveryVariableOfTheStack) {
    auto stack = envctl::descriptors::parse_stack(kReadmeStack, "stack.yaml");
    auto names = envctl::descriptors::referenced_variables(stack);
    for (const char* expected : {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "POSTGRES_PORT", "ECHO_API_TOKEN",
                                 "ECHO_GREETING", "ECHO_PORT"})
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    // "$${POSTGRES_USER}" in the healthcheck is the container's own variable, but POSTGRES_USER is referenced anyway.
    EXPECT_EQ(std::count(names.begin(), names.end(), "POSTGRES_USER"), 1);
}

// Issue 14 finding 16: a key of the env file that the stack does not use (a CI token, another tool's setting) stays
// in envctl: podman and podman-compose see the process environment, the stack's variables and envctl's own.
TEST(SettingsEnvironment, ChildrenSeeOnlyTheStacksVariablesFromTheEnvFile) {
    ScopedEnv env{{"ECHO_PORT", "18083"}};
    Project p;
    p.dir.write(".env.development", std::string(kEnvFile) + "UNRELATED_DEPLOY_TOKEN=dont-pass-me\nENVCTL_PROJECT=childenv\n");
    const auto child = p.ctx.settings().child_environment();
    EXPECT_EQ(child.count("UNRELATED_DEPLOY_TOKEN"), 0U);
    EXPECT_EQ(child.at("POSTGRES_PASSWORD"), "pw-secret");  // the stack uses it: podman-compose substitutes it
    EXPECT_EQ(child.at("ECHO_PORT"), "18083");
    EXPECT_EQ(child.at("ENVCTL_PROJECT"), "childenv");
    EXPECT_TRUE(p.ctx.settings().vars.has("UNRELATED_DEPLOY_TOKEN"));  // envctl itself still knows it
}

TEST(SettingsEnvironment, TheProcessEnvironmentReachesChildrenUnchanged) {
    ScopedEnv env{{"ECHO_PORT", "18084"}, {"SOME_USER_SETTING", "mine"}};
    Project p;
    const auto child = p.ctx.settings().child_environment();
    EXPECT_EQ(child.at("SOME_USER_SETTING"), "mine");  // the user's own environment is theirs to pass
    EXPECT_EQ(child.at("PATH"), std::getenv("PATH"));
}
