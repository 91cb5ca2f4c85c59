// The security category's declared checks of vault and opa (which cannot run here) against test servers that
// implement the documented upstream APIs for exactly the calls used (Vault: KV v2 /v1/secret/data and
// /v1/secret/metadata, /v1/sys/policies/acl, /v1/auth/token/create and revoke-self, X-Vault-Token; OPA:
// GET /v1/policies, POST /v1/data/envctl/authz with {"input": ...}), asserting what envctl sends.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "envctl/descriptors/verify_step.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/verify/steps.hpp"
#include "support/builtin_checks.hpp"
#include "support/http_test_server.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;
using envctl::test::builtin_check;
using nlohmann::json;

namespace {

constexpr const char* kRoot = "root-token-of-the-dev-server";
constexpr const char* kChild = "hvs.child-token-made-by-fake-vault";

// Vault's documented behaviour for the calls the check makes; anything else is 404 (so a wrong path fails).
struct FakeVault {
    std::mutex mutex;
    std::map<std::string, json> secrets;    // path -> data
    std::map<std::string, std::string> policies;  // name -> HCL
    std::vector<std::string> child_policies;
    bool child_revoked = false;

    test::ScriptedReply answer(const test::ReceivedRequest& r) {
        std::lock_guard<std::mutex> lock(mutex);
        const std::string token = r.header("X-Vault-Token");
        const bool root = token == kRoot;
        const bool child = token == kChild && !child_revoked;
        if (!root && !child) return {403, R"({"errors": ["permission denied"]})"};
        const std::string data_prefix = "/v1/secret/data/", meta_prefix = "/v1/secret/metadata/",
                          policy_prefix = "/v1/sys/policies/acl/";
        if (r.path.starts_with(data_prefix)) {
            const auto path = r.path.substr(data_prefix.size());
            // The child token's policy grants read on secret/data/<its policy name> only.
            const bool readable = root || (r.method == "GET" && !child_policies.empty() && child_policies[0] == path &&
                                           policies.count(path) &&
                                           policies[path].find("capabilities = [\"read\"]") != std::string::npos);
            if (r.method == "POST" && root) {
                secrets[path] = json::parse(r.body).at("data");
                return {200, R"({"data": {"created_time": "2026-11-27T00:00:00Z", "version": 1}})"};
            }
            if (r.method == "GET" && readable && secrets.count(path))
                return {200, json{{"data", {{"data", secrets[path]}, {"metadata", {{"version", 1}}}}}}.dump()};
            return {403, R"({"errors": ["permission denied"]})"};
        }
        if (!root && r.path != "/v1/auth/token/revoke-self") return {403, R"({"errors": ["permission denied"]})"};
        if (r.path.starts_with(meta_prefix) && r.method == "DELETE") {
            secrets.erase(r.path.substr(meta_prefix.size()));
            return {204, ""};
        }
        if (r.path.starts_with(policy_prefix) && r.method == "PUT") {
            policies[r.path.substr(policy_prefix.size())] = json::parse(r.body).at("policy").get<std::string>();
            return {204, ""};
        }
        if (r.path.starts_with(policy_prefix) && r.method == "DELETE") {
            policies.erase(r.path.substr(policy_prefix.size()));
            return {204, ""};
        }
        if (r.path == "/v1/auth/token/create" && r.method == "POST") {
            child_policies = json::parse(r.body).at("policies").get<std::vector<std::string>>();
            return {200, json{{"auth", {{"client_token", kChild}, {"policies", child_policies}}}}.dump()};
        }
        if (r.path == "/v1/auth/token/revoke-self" && r.method == "POST") {
            child_revoked = true;
            return {204, ""};
        }
        return {404, R"({"errors": []})"};
    }
};

}  // namespace

TEST(VerifySecurity, VaultKvPolicyAndTokenAgainstTheDocumentedApi) {
    test::HttpTestServer server;
    FakeVault vault;
    server.script([&](int) { return vault.answer(server.received().back()); });
    settings::Settings settings;
    settings.vars.set("VAULT_PORT", std::to_string(server.port()), {});
    settings.vars.set("VAULT_DEV_ROOT_TOKEN", kRoot, {});
    StepEnv env;
    env.settings = &settings;
    env.service = "vault";
    const auto& check = builtin_check("vault", "kv policy token");
    EXPECT_EQ(check.category, "security");
    const auto outcome = run_declared(check, env, Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;

    const auto requests = server.received();
    ASSERT_EQ(requests.size(), 9u);
    const std::string id = requests[0].path.substr(std::string("/v1/secret/data/").size());
    ASSERT_TRUE(id.starts_with("envctl-verify-")) << id;
    auto expect = [&](std::size_t i, const std::string& method, const std::string& path, const std::string& token) {
        EXPECT_EQ(requests[i].method, method) << i;
        EXPECT_EQ(requests[i].path, path) << i;
        EXPECT_EQ(requests[i].header("X-Vault-Token"), token) << i;
    };
    expect(0, "POST", "/v1/secret/data/" + id, kRoot);
    EXPECT_EQ(json::parse(requests[0].body), (json{{"data", {{"value", id}}}}));
    EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
    expect(1, "GET", "/v1/secret/data/" + id, kRoot);
    expect(2, "PUT", "/v1/sys/policies/acl/" + id, kRoot);
    EXPECT_EQ(json::parse(requests[2].body).at("policy"), "path \"secret/data/" + id + "\" { capabilities = [\"read\"] }");
    expect(3, "POST", "/v1/auth/token/create", kRoot);
    EXPECT_EQ(json::parse(requests[3].body), (json{{"policies", {id}}, {"no_default_policy", true}, {"ttl", "2m"}}));
    expect(4, "GET", "/v1/secret/data/" + id, kChild);      // allowed by the policy
    expect(5, "POST", "/v1/secret/data/" + id, kChild);     // refused: outside the policy
    expect(6, "POST", "/v1/auth/token/revoke-self", kChild);
    expect(7, "DELETE", "/v1/secret/metadata/" + id, kRoot);  // cleanup
    expect(8, "DELETE", "/v1/sys/policies/acl/" + id, kRoot);
    EXPECT_TRUE(vault.secrets.empty());
    EXPECT_TRUE(vault.policies.empty());
    EXPECT_TRUE(vault.child_revoked);
    // The captured token is a secret from then on.
    EXPECT_EQ(Redactor::global().redact(std::string("token ") + kChild), "token ***");
}

TEST(VerifySecurity, VaultRefusingTheReadFailsTheCheckAndStillCleansUp) {
    test::HttpTestServer server;
    FakeVault vault;
    server.script([&](int) {
        const auto r = server.received().back();
        if (r.method == "GET" && r.header("X-Vault-Token") == kRoot) return test::ScriptedReply{500, R"({"errors": ["boom"]})"};
        return vault.answer(r);
    });
    settings::Settings settings;
    settings.vars.set("VAULT_PORT", std::to_string(server.port()), {});
    settings.vars.set("VAULT_DEV_ROOT_TOKEN", kRoot, {});
    StepEnv env;
    env.settings = &settings;
    env.service = "vault";
    const auto outcome = run_declared(builtin_check("vault", "kv policy token"), env, Clock::now() + 5s, 2s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("step 2 (http)"), std::string::npos) << outcome.detail;
    const auto requests = server.received();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[2].method, "DELETE");
    EXPECT_EQ(requests[3].method, "DELETE");
    EXPECT_TRUE(vault.secrets.empty());
}

TEST(VerifySecurity, OpaPoliciesAndDecisionsAgainstTheDocumentedApi) {
    test::HttpTestServer server;
    server.script([&](int) {
        const auto r = server.received().back();
        if (r.method == "GET" && r.path == "/v1/policies")
            return test::ScriptedReply{200, R"({"result": [{"id": "/policies/authz.rego", "raw": "package envctl.authz",
                "ast": {"package": {"path": [{"type": "var", "value": "data"}, {"type": "string", "value": "envctl"},
                                             {"type": "string", "value": "authz"}]}}}]})"};
        if (r.method == "POST" && r.path == "/v1/data/envctl/authz") {
            // compose/opa/policies/authz.rego's rules for these inputs.
            const auto input = json::parse(r.body).at("input");
            const auto method = input.at("method").get<std::string>();
            const auto path = input.at("path").get<std::string>();
            const auto roles = input.contains("user") ? input["user"].value("roles", json::array()) : json::array();
            const bool editor = std::find(roles.begin(), roles.end(), "editor") != roles.end();
            const bool allow = path == "/health" || (method == "GET" && path.starts_with("/api/services")) ||
                               (editor && (method == "POST" || method == "PUT" || method == "PATCH"));
            return test::ScriptedReply{200, json{{"result", {{"allow", allow}}}}.dump()};
        }
        return test::ScriptedReply{404, "{}"};
    });
    settings::Settings settings;
    settings.vars.set("OPA_PORT", std::to_string(server.port()), {});
    StepEnv env;
    env.settings = &settings;
    env.service = "opa";
    auto outcome = run_declared(builtin_check("opa", "policies loaded"), env, Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    outcome = run_declared(builtin_check("opa", "authz decisions"), env, Clock::now() + 5s, 2s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    const auto requests = server.received();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[0].path, "/v1/policies");
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_EQ(requests[i].method, "POST");
        EXPECT_EQ(requests[i].header("Content-Type"), "application/json");
        const auto body = json::parse(requests[i].body);
        ASSERT_TRUE(body.contains("input")) << requests[i].body;
        EXPECT_EQ(body.size(), 1u);
    }
    EXPECT_EQ(json::parse(requests[3].body)["input"]["user"]["roles"], json::array({"editor"}));
    EXPECT_EQ(json::parse(requests[3].body)["input"]["method"], "DELETE");
}
