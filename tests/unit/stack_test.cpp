// The Stack type (profiles, dependencies, levels, subsets), stack files (extend/replace) and the built-in stack.

#include <gtest/gtest.h>

#include <set>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "support/temp_dir.hpp"

using envctl::descriptors::builtin_stack;
using envctl::descriptors::load_stack;
using envctl::descriptors::parse_stack;
using envctl::descriptors::Stack;
using Names = std::vector<std::string>;

namespace {

// db <- api <- web, cache <- api; tool stands alone. Declared out of dependency order on purpose.
const char* kDiamond = R"(mode: replace
services:
  web:
    group: core
    image: busybox:1.36
    depends_on: [api]
    probe: {kind: command, command: [true]}
  api:
    group: core
    image: busybox:1.36
    depends_on: [db, cache]
    probe: {kind: command, command: [true]}
  db:
    group: core
    image: busybox:1.36
    probe: {kind: command, command: [true]}
  cache:
    group: dapr
    image: busybox:1.36
    probe: {kind: command, command: [true]}
  tool:
    group: observability
    image: busybox:1.36
    probe: {kind: command, command: [true]}
profiles:
  front: [web]
  data: [cache, db]
)";

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
}

}  // namespace

TEST(Stack, ProfilesInDeclarationOrderAndFullIsEveryService) {
    const Stack s = parse_stack(kDiamond, "d.yaml");
    EXPECT_EQ(s.profile_services("data"), (Names{"db", "cache"}));
    EXPECT_EQ(s.profile_services("full"), (Names{"web", "api", "db", "cache", "tool"}));
    EXPECT_NE(error_of([&] { s.profile_services("nope"); }).find("unknown profile \"nope\""), std::string::npos);
}

TEST(Stack, WithDependenciesIsTransitiveInDeclarationOrder) {
    const Stack s = parse_stack(kDiamond, "d.yaml");
    EXPECT_EQ(s.with_dependencies({"web"}), (Names{"web", "api", "db", "cache"}));
    EXPECT_EQ(s.with_dependencies({"tool", "db"}), (Names{"db", "tool"}));
    EXPECT_NE(error_of([&] { s.with_dependencies({"ghost"}); }).find("unknown service \"ghost\""), std::string::npos);
}

TEST(Stack, LevelsStartWithServicesWithoutDependencies) {
    const Stack s = parse_stack(kDiamond, "d.yaml");
    const auto levels = s.levels(s.profile_services("full"));
    ASSERT_EQ(levels.size(), 3u);
    EXPECT_EQ(levels[0], (Names{"db", "cache", "tool"}));
    EXPECT_EQ(levels[1], (Names{"api"}));
    EXPECT_EQ(levels[2], (Names{"web"}));
    // Dependencies outside the selection do not hold a service back.
    EXPECT_EQ(s.levels({"web", "api"}), (std::vector<Names>{{"api"}, {"web"}}));
}

TEST(Stack, SubsetPrunesServicesProfilesAndDependencies) {
    const Stack s = parse_stack(kDiamond, "d.yaml").subset({"api", "db"});
    ASSERT_EQ(s.services.size(), 2u);
    EXPECT_EQ(s.get("api").depends_on, (Names{"db"}));
    EXPECT_EQ(s.profiles.at("data"), (Names{"db"}));
    EXPECT_TRUE(s.profiles.at("front").empty());
}

TEST(BuiltinStack, HasTheSeedsTwentyServicesAndTheCoreProfile) {
    const Stack& s = builtin_stack();
    const std::set<std::string> expected{"dapr-placement",  "dapr-sentry",       "redis-dapr",  "postgresql",
                                         "azurite",         "cosmosdb-emulator", "sql-edge",    "service-bus-emulator",
                                         "authentik",       "authentik-worker",  "authentik-postgresql",
                                         "authentik-redis", "opa",               "vault",       "grafana",
                                         "mimir",           "loki",              "tempo",       "pyroscope",
                                         "grafana-agent"};
    std::set<std::string> names;
    for (const auto& service : s.services) names.insert(service.name);
    EXPECT_EQ(names, expected);
    EXPECT_EQ(s.profile_services("full").size(), 20u);
    EXPECT_EQ(s.profile_services("core"), (Names{"redis-dapr", "postgresql", "azurite"}));
}

TEST(BuiltinStack, SlowStartersHaveTheirOwnDocumentedBudgetAndTheRestUseTheDefault) {
    const std::set<std::string> slow{"cosmosdb-emulator", "sql-edge", "service-bus-emulator", "authentik",
                                     "authentik-worker"};
    for (const auto& s : builtin_stack().services) {
        EXPECT_EQ(s.ready_budget.has_value(), slow.count(s.name) == 1) << s.name;
        EXPECT_EQ(s.budget_reason.has_value(), slow.count(s.name) == 1) << s.name;
    }
}

TEST(BuiltinStack, LocalImagesForTheServicesThatHaveOne) {
    const std::map<std::string, std::string> local{{"postgresql", "localhost/envctl/postgresql:15"},
                                                   {"authentik-postgresql", "localhost/envctl/postgresql:15"},
                                                   {"redis-dapr", "localhost/envctl/redis:7"},
                                                   {"authentik-redis", "localhost/envctl/redis:7"},
                                                   {"azurite", "localhost/envctl/azurite:3.35.0"},
                                                   {"cosmosdb-emulator", "localhost/envctl/cosmosdb-server:1.0.1"}};
    for (const auto& s : builtin_stack().services) {
        auto it = local.find(s.name);
        if (it == local.end())
            EXPECT_FALSE(s.local_image) << s.name;
        else
            EXPECT_EQ(s.local_image.value_or(""), it->second) << s.name;
    }
}

TEST(StackFile, ExtendReplacesByNameAddsServicesAndProfiles) {
    envctl::test::TempDir dir;
    const auto file = dir.write("stack.yaml", R"(services:
  postgresql:
    group: core
    image: postgres:17.6-alpine
    ports:
      - {variable: POSTGRES_PORT, container: 5432}
    probe: {kind: tcp, port_variable: POSTGRES_PORT}
  echo:
    group: core
    image: busybox:1.36
    depends_on: [postgresql]
    probe: {kind: command, command: [true]}
profiles:
  core: [postgresql]
  demo: [echo]
)");
    const Stack s = load_stack(file);
    EXPECT_EQ(s.services.size(), 21u);
    EXPECT_EQ(s.get("postgresql").image, "postgres:17.6-alpine");
    EXPECT_EQ(s.services[3].name, "postgresql") << "replaced in place, keeping the built-in order";
    EXPECT_EQ(s.services.back().name, "echo");
    EXPECT_EQ(s.profile_services("core"), (Names{"postgresql"}));
    EXPECT_EQ(s.profile_services("demo"), (Names{"echo"}));
    EXPECT_EQ(s.profile_services("full").size(), 21u);
}

TEST(StackFile, ReplaceDropsTheBuiltInStack) {
    envctl::test::TempDir dir;
    const auto file = dir.write("stack.yaml", std::string(kDiamond));
    const Stack s = load_stack(file);
    EXPECT_EQ(s.services.size(), 5u);
    EXPECT_EQ(s.find("postgresql"), nullptr);
}

TEST(StackFile, ErrorsNameTheStackFileEvenWhenTheProblemIsInTheMergedStack) {
    envctl::test::TempDir dir;
    const auto file = dir.write("my-stack.yaml", R"(services:
  echo:
    group: core
    image: busybox:1.36
    depends_on: [postgres]
    probe: {kind: command, command: [true]}
)");
    const std::string message = error_of([&] { load_stack(file); });
    EXPECT_TRUE(message.starts_with(file.string() + ":5: services.echo.depends_on[0]:")) << message;
    EXPECT_NE(message.find("unknown service \"postgres\""), std::string::npos) << message;
}

TEST(StackFile, ExtendCanDependOnBuiltInServicesAndProfilesCanNameThem) {
    envctl::test::TempDir dir;
    const auto file = dir.write("s.yaml", R"(services:
  api:
    group: core
    image: busybox:1.36
    depends_on: [postgresql, redis-dapr]
    probe: {kind: command, command: [true]}
profiles:
  api: [api, postgresql]
)");
    const Stack s = load_stack(file);
    EXPECT_EQ(s.with_dependencies(s.profile_services("api")), (Names{"redis-dapr", "postgresql", "api"}));
}

TEST(StackFile, AMissingFileIsAUsageErrorNamingIt) {
    const std::string message = error_of([] { load_stack(std::filesystem::path("/nonexistent/stack.yaml")); });
    EXPECT_NE(message.find("/nonexistent/stack.yaml"), std::string::npos) << message;
}
