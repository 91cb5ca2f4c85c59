// The identity services' checks. authentik (which cannot run here) against a test server implementing the documented
// calls: the provider's OpenID discovery document (/application/o/<slug>/.well-known/openid-configuration), its JWKS
// (/application/o/<slug>/jwks/), the anonymous /api/v3/root/config/ and an admin endpoint refusing anonymous callers;
// the provider and application come from the shipped blueprint, whose shape is checked against authentik's
// documented blueprint format. The portless services' in-container commands: the identity database check run by
// psql against a real PostgreSQL cluster, authentik-redis's against a real redis-server, the worker's and
// sql-edge's against what their images document.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "envctl/db/session.hpp"
#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/subprocess.hpp"
#include "envctl/verify/steps.hpp"
#include "support/builtin_checks.hpp"
#include "support/http_test_server.hpp"
#include "support/pg_cluster.hpp"
#include "support/redis_test_server.hpp"
#include "support/test_paths.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;
using envctl::test::builtin_check;
using nlohmann::json;

namespace {

const std::string kBlueprint = std::string(ENVCTL_REPO_ROOT) + "/compose/authentik/blueprints/international-center.yaml";

YAML::Node entry_of(const YAML::Node& blueprint, const std::string& model) {
    for (const auto& e : blueprint["entries"])
        if (e["model"].as<std::string>() == model) return e;
    throw std::runtime_error("no entry of model " + model);
}

// Runs argv as the container would, here: with `env` added to the environment (and PATH).
engine::ExecResult run_here(const std::vector<std::string>& argv, subprocess::Environment env) {
    subprocess::Spec spec;
    spec.argv = argv;
    env["PATH"] = test::PgCluster::bin_dir().string() + ":/usr/bin:/bin";
    spec.env = env;
    spec.timeout = 20s;
    const auto r = subprocess::run(spec);
    return {r.exit_code, r.out + r.err, r.timed_out};
}

}  // namespace

TEST(VerifyIdentity, TheBlueprintHasTheDocumentedShapeAndIsMountedWhereAuthentikAppliesBlueprints) {
    const auto blueprint = YAML::LoadFile(kBlueprint);
    // authentik's blueprint file format: version 1, metadata.name, entries of {model: app.model, identifiers, attrs,
    // optional id/state/conditions}; meta models (authentik_blueprints.metaapplyblueprint) take only attrs.
    EXPECT_EQ(blueprint["version"].as<int>(), 1);
    EXPECT_FALSE(blueprint["metadata"]["name"].as<std::string>().empty());
    ASSERT_TRUE(blueprint["entries"].IsSequence());
    static const std::set<std::string> keys{"model", "identifiers", "attrs", "id", "state", "conditions"};
    static const std::set<std::string> states{"present", "created", "must_created", "absent"};
    for (const auto& e : blueprint["entries"]) {
        ASSERT_TRUE(e.IsMap());
        for (const auto& kv : e) EXPECT_TRUE(keys.count(kv.first.as<std::string>())) << kv.first.as<std::string>();
        const auto model = e["model"].as<std::string>();
        EXPECT_TRUE(std::regex_match(model, std::regex("authentik_[a-z0-9_]+\\.[a-z0-9]+"))) << model;
        ASSERT_TRUE(e["attrs"].IsMap()) << model;
        if (e["state"]) {
            EXPECT_TRUE(states.count(e["state"].as<std::string>()));
        }
        if (model == "authentik_blueprints.metaapplyblueprint") {
            EXPECT_TRUE(e["attrs"]["identifiers"]["name"].IsScalar());
        } else {
            EXPECT_TRUE(e["identifiers"].IsMap() && e["identifiers"].size() > 0) << model;
        }
    }
    const auto provider = entry_of(blueprint, "authentik_providers_oauth2.oauth2provider");
    const auto application = entry_of(blueprint, "authentik_core.application");
    EXPECT_EQ(application["attrs"]["name"].as<std::string>(), "International Center");
    EXPECT_EQ(application["identifiers"]["slug"].as<std::string>(), "international-center");
    // The application's provider is the provider entry (!KeyOf its id); the provider signs (so its JWKS has a key)
    // with a key found by name, and names the flows it needs (a provider without them does not save).
    EXPECT_EQ(application["attrs"]["provider"].Tag(), "!KeyOf");
    EXPECT_EQ(application["attrs"]["provider"].as<std::string>(), provider["id"].as<std::string>());
    for (const char* ref : {"signing_key", "authorization_flow", "invalidation_flow"}) {
        EXPECT_EQ(provider["attrs"][ref].Tag(), "!Find") << ref;
        EXPECT_EQ(provider["attrs"][ref].size(), 2u) << ref;
    }
    for (const auto& uri : provider["attrs"]["redirect_uris"]) {
        EXPECT_EQ(uri["matching_mode"].as<std::string>(), "strict");
        EXPECT_TRUE(uri["url"].as<std::string>().starts_with("http"));
    }
    EXPECT_EQ(provider["attrs"]["client_type"].as<std::string>(), "public") << "no client secret in the repository";

    // Server and worker both see it under /blueprints/custom.
    for (const char* service : {"authentik", "authentik-worker"}) {
        const auto& d = descriptors::builtin_stack().get(service);
        ASSERT_EQ(d.mounts.size(), 1u) << service;
        EXPECT_EQ(d.mounts[0].source, "compose/authentik/blueprints");
        EXPECT_EQ(d.mounts[0].target, "/blueprints/custom");
    }
}

TEST(VerifyIdentity, AuthentikDiscoveryJwksAndAnonymousAccessAgainstTheDocumentedEndpoints) {
    const std::string slug = YAML::LoadFile(kBlueprint)["entries"][4]["identifiers"]["slug"].as<std::string>();
    test::HttpTestServer authentik;
    const std::string base = "http://127.0.0.1:" + std::to_string(authentik.port());
    authentik.script([&](int) {
        const auto r = authentik.received().back();
        const std::string app = "/application/o/" + slug + "/";
        if (r.method != "GET") return test::ScriptedReply{405, "{}"};
        if (r.path == app + ".well-known/openid-configuration")
            return test::ScriptedReply{200, json{{"issuer", base + app},
                                                 {"authorization_endpoint", base + "/application/o/authorize/"},
                                                 {"token_endpoint", base + "/application/o/token/"},
                                                 {"jwks_uri", base + app + "jwks/"},
                                                 {"response_types_supported", {"code", "id_token", "id_token token"}},
                                                 {"subject_types_supported", {"public"}},
                                                 {"id_token_signing_alg_values_supported", {"RS256"}}}
                                                .dump()};
        if (r.path == app + "jwks/")
            return test::ScriptedReply{200, json{{"keys", {{{"alg", "RS256"}, {"kid", "d41d8cd98f00b204e9800998ecf8427e"},
                                                            {"kty", "RSA"}, {"use", "sig"}, {"n", "AQAB"}, {"e", "AQAB"}}}}}
                                                .dump()};
        if (r.path == "/api/v3/root/config/")
            return test::ScriptedReply{200, R"({"error_reporting": {"enabled": false, "environment": "customer"},
                                                "capabilities": ["can_save_media"], "cache_timeout": 300})"};
        if (r.path.starts_with("/api/v3/"))
            return r.header("Authorization").empty()
                       ? test::ScriptedReply{403, R"({"detail": "Authentication credentials were not provided."})"}
                       : test::ScriptedReply{200, R"({"results": []})"};
        return test::ScriptedReply{404, "Not Found"};
    });
    settings::Settings settings;
    settings.vars.set("AUTHENTIK_PORT", std::to_string(authentik.port()), {});
    StepEnv env;
    env.settings = &settings;
    env.service = "authentik";
    for (const char* name : {"openid discovery", "jwks", "anonymous access"}) {
        const auto& check = builtin_check("authentik", name);
        EXPECT_EQ(check.category, "security");
        const auto outcome = run_declared(check, env, Clock::now() + 5s, 2s);
        EXPECT_TRUE(outcome.ok) << name << ": " << outcome.detail;
    }
    const auto requests = authentik.received();
    ASSERT_EQ(requests.size(), 4u);
    for (const auto& r : requests) EXPECT_EQ(r.header("Authorization"), "") << "anonymous: " << r.path;

    // A provider the blueprint did not create (authentik answers 404) fails the discovery check, naming the path.
    authentik.script({{404, "Not Found"}});
    const auto outcome = run_declared(builtin_check("authentik", "openid discovery"), env, Clock::now() + 8s, 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("GET /application/o/international-center/.well-known/openid-configuration: HTTP 404"),
              std::string::npos)
        << outcome.detail;
}

TEST(VerifyIdentity, IdentityDatabaseExistsAndAcceptsItsUserByPassword) {
    REQUIRE_PG_CLUSTER(pg);
    {
        db::Session admin(pg->admin_connection());
        if (admin.query("SELECT 1 FROM pg_roles WHERE rolname = 'authentik'").empty())
            admin.exec("CREATE ROLE authentik LOGIN PASSWORD 'authentik-test-password'");
        if (admin.query("SELECT 1 FROM pg_database WHERE datname = 'authentik'").empty())
            admin.exec("CREATE DATABASE authentik OWNER authentik");
    }
    const auto& check = builtin_check("authentik-postgresql", "identity database");
    EXPECT_EQ(check.category, "migrations");
    std::string password = "authentik-test-password";
    StepEnv env;
    env.service = "authentik-postgresql";
    std::vector<std::string> seen;
    // The container's environment: POSTGRES_PASSWORD as the descriptor sets it; PGPORT points psql at the cluster.
    env.exec = [&](const std::string& service, const std::vector<std::string>& argv, Deadline) {
        seen.push_back(service);
        return run_here(argv, {{"POSTGRES_PASSWORD", password}, {"PGPORT", std::to_string(pg->port())}});
    };
    auto outcome = run_declared(check, env, Clock::now() + 10s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_EQ(seen, std::vector<std::string>{"authentik-postgresql"});
    // The password is never on the command line.
    for (const auto& a : check.steps[0].command) EXPECT_EQ(a.find("authentik-test-password"), std::string::npos);

    password = "wrong-password";
    outcome = run_declared(check, env, Clock::now() + 10s, 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("password authentication failed"), std::string::npos) << outcome.detail;
}

TEST(VerifyIdentity, AuthentikRedisRoundTripInItsContainerLeavesNoKey) {
    std::string why_not;
    auto redis = test::RedisTestServer::start(why_not);
    REQUIRE_PREREQUISITE(redis != nullptr, "redis-server: " + why_not);
    StepEnv env;
    env.service = "authentik-redis";
    env.exec = [&](const std::string&, const std::vector<std::string>& argv, Deadline) {
        EXPECT_EQ(argv.at(0), "redis-cli");
        std::vector<std::string> local{"redis-cli", "-p", std::to_string(redis->port())};
        local.insert(local.end(), argv.begin() + 1, argv.end());
        return run_here(local, {});
    };
    const auto outcome = run_declared(builtin_check("authentik-redis", "round trip"), env, Clock::now() + 10s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    const auto keys = run_here({"redis-cli", "-p", std::to_string(redis->port()), "--scan", "--pattern", "envctl-verify-*"}, {});
    EXPECT_EQ(keys.exit_code, 0);
    EXPECT_EQ(keys.output, "") << "the cleanup deleted the key";
}

TEST(VerifyIdentity, PortlessServicesCheckInTheirContainer) {
    // authentik-worker: `ak healthcheck` (the image's HEALTHCHECK), then the blueprint where authentik reads it.
    std::vector<std::vector<std::string>> ran;
    StepEnv env;
    env.service = "authentik-worker";
    env.exec = [&](const std::string& service, const std::vector<std::string>& argv, Deadline) {
        EXPECT_EQ(service, "authentik-worker");
        ran.push_back(argv);
        if (argv[0] == "cat") return engine::ExecResult{0, envctl::files::read(kBlueprint), false};
        return engine::ExecResult{0, "", false};
    };
    auto outcome = run_declared(builtin_check("authentik-worker", "healthcheck"), env, Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    ASSERT_EQ(ran.size(), 2u);
    EXPECT_EQ(ran[0], (std::vector<std::string>{"ak", "healthcheck"}));
    EXPECT_EQ(ran[1], (std::vector<std::string>{"cat", "/blueprints/custom/international-center.yaml"}));
    env.exec = [&](const std::string&, const std::vector<std::string>&, Deadline) {
        return engine::ExecResult{1, "{\"event\": \"could not connect to server\"}", false};
    };
    outcome = run_declared(builtin_check("authentik-worker", "healthcheck"), env, Clock::now() + 5s, 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("ak: exit code 1 (expected 0)"), std::string::npos) << outcome.detail;

    // sql-edge: sqlcmd as sa, the password from the container's environment (never argv), -b to fail on an error.
    const auto& sa = builtin_check("sql-edge", "sa query");
    ASSERT_EQ(sa.steps[0].command.size(), 3u);
    const auto& script = sa.steps[0].command[2];
    EXPECT_NE(script.find("SQLCMDPASSWORD=\"$MSSQL_SA_PASSWORD\""), std::string::npos);
    EXPECT_NE(script.find("/opt/mssql-tools18/bin/sqlcmd -C -S localhost -U sa"), std::string::npos);
    EXPECT_NE(script.find(" -b "), std::string::npos);
    EXPECT_EQ(script.find(" -P "), std::string::npos);
    env.service = "sql-edge";
    env.exec = [&](const std::string& service, const std::vector<std::string>& argv, Deadline) {
        EXPECT_EQ(service, "sql-edge");
        EXPECT_EQ(argv, sa.steps[0].command);
        return engine::ExecResult{0, "master\n", false};
    };
    outcome = run_declared(sa, env, Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
}
