// Every one of the built-in stack's services has at least one check of its own beyond `environment`'s ready, port
// and connect (which every service gets): a declared check in its descriptor or a category's built-in one
// (postgresql's migration checks). Portless services (authentik-worker, sql-edge, ...) check in their container.
#include <gtest/gtest.h>

#include <set>

#include "envctl/cli/verify_suite.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/verify/steps.hpp"
#include "support/builtin_checks.hpp"
#include "support/http_test_server.hpp"
#include "support/tcp_test_listener.hpp"
#include "support/test_paths.hpp"

using namespace envctl;

TEST(VerifyCoverage, EveryServiceOfTheBuiltInStackHasACheckBeyondTheEnvironment) {
    const auto settings = settings::load({.project_dir = std::filesystem::path(ENVCTL_REPO_ROOT)}, {}, "/");
    const auto& stack = descriptors::builtin_stack();
    auto in = std::make_shared<verify::SuiteInputs>();
    in->settings = &settings;
    in->stack = &stack;
    in->declared = descriptors::load_verify_checks(std::nullopt);
    std::set<std::string> all;
    for (const auto& s : stack.services) {
        in->services.push_back(s.name);
        all.insert(s.name);
    }
    in->selected = in->services;
    ASSERT_EQ(all.size(), 20u);

    std::vector<std::string> categories;
    for (const auto& c : descriptors::verify_categories())
        if (c != "environment") categories.push_back(c);
    std::set<std::string> checked;
    for (const auto& check : cli::suite_checks(in, categories)) checked.insert(check.service);
    for (const auto& service : all) EXPECT_TRUE(checked.count(service)) << service << " has no check beyond the environment's";

    // Services without a published port can only be checked inside their container.
    for (const auto& s : stack.services) {
        if (!s.ports.empty() || !in->declared.count(s.name)) continue;
        for (const auto& check : in->declared.at(s.name))
            for (const auto& step : check.steps)
                EXPECT_EQ(step.kind, descriptors::StepKind::command) << s.name << " / " << check.name;
    }
}

// The readiness-level azure check beside the AMQP round trip: the Service Bus emulator's /health answers 200 (a test
// server). Azurite's and Cosmos DB's checks are their round trips (verify_azure_test.cpp).
TEST(VerifyCoverage, AzureReadinessChecksAgainstTestServers) {
    using namespace std::chrono_literals;
    test::HttpTestServer bus;
    settings::Settings settings;
    settings.vars.set("SERVICE_BUS_HEALTH_PORT", std::to_string(bus.port()), {});
    auto run = [&](const std::string& service, const std::string& name) {
        verify::StepEnv env;
        env.settings = &settings;
        env.service = service;
        const auto& check = test::builtin_check(service, name);
        EXPECT_EQ(check.category, "azure");
        return verify::run_declared(check, env, envctl::Clock::now() + 5s, 2s);
    };
    EXPECT_TRUE(run("service-bus-emulator", "emulator healthy").ok);
    EXPECT_EQ(bus.last_path(), "/health");
    bus.script({{503, R"({"status": "unhealthy"})"}});
    const auto failed = run("service-bus-emulator", "emulator healthy");
    EXPECT_FALSE(failed.ok);
    EXPECT_NE(failed.detail.find("HTTP 503"), std::string::npos) << failed.detail;
}
