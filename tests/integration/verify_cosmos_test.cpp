// The azure category's Cosmos DB check against the local stand-in (localhost/envctl/cosmosdb-server:1.0.1, a stand-in
// for the emulator, not the emulator), cross-checked by the official SDK: cosmosdb-emulator comes up under --images
// local on its own ports (its probe, GET /ready on the health port, answered by the stand-in), and `envctl verify
// --category azure cosmosdb-emulator` passes its declared `document round trip`; @azure/cosmos reads the document
// envctl's client wrote (by id and by SQL query) and envctl reads what the SDK wrote; after a failed and a timed-out
// check (a database created, then a step failing / hanging past the category deadline) nothing envctl-verify-* is
// left, as the SDK lists it (and it does list one a check leaves behind).
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "envctl/descriptors/verify_step.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/verify/azure_clients.hpp"
#include "envctl/verify/runner.hpp"
#include "envctl/verify/steps.hpp"
#include "support/azure_emulators.hpp"
#include "support/busybox_image.hpp"
#include "support/core_project.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"
#include "support/tcp_test_listener.hpp"

using namespace std::chrono_literals;
using namespace envctl;

namespace {

constexpr int kCosmosPort = 26933;
constexpr int kCosmosHealthPort = 26934;
constexpr const char* kStandIn = "localhost/envctl/cosmosdb-server:1.0.1";

std::string output(const subprocess::Result& r) { return r.out + r.err; }

struct Cosmos {
    settings::Settings settings = test::repo_settings({{"COSMOSDB_PORT", std::to_string(kCosmosPort)}});
    std::map<std::string, std::string> sdk_env() const {
        return {{"COSMOS_URL", "http://127.0.0.1:" + std::to_string(kCosmosPort)},
                {"COSMOSDB_KEY", *settings.vars.find("COSMOSDB_KEY")}};
    }
    subprocess::Result sdk(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra = {}) const {
        auto env = sdk_env();
        env.insert(extra.begin(), extra.end());
        return test::azure_sdk("cosmos.js", args, env);
    }
    std::string sdk_list(const std::string& prefix) const {
        const auto r = sdk({"list", prefix});
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        return r.out;
    }
    verify::azure::Answer request(const std::string& method, const std::string& path, const std::string& type,
                                  const std::string& link, const verify::azure::Headers& headers = {},
                                  const std::string& body = "") const {
        const verify::azure::CosmosService service{"127.0.0.1", kCosmosPort, *settings.vars.find("COSMOSDB_KEY")};
        return verify::azure::cosmos_request(service, method, path, type, link, headers, body, "application/json",
                                             envctl::Clock::now() + 10s);
    }
};

// After a failed and a timed-out check nothing envctl-verify-* is left (part of the one test below: one stand-in).
void failed_and_timed_out_checks_leave_nothing(Cosmos& cosmos) {
    test::TcpTestListener hanging("", /*silent=*/true);
    cosmos.settings.vars.set("HANG_PORT", std::to_string(hanging.port()), {});
    cosmos.settings.vars.set("CLOSED_PORT", "1", {});
    // A database created, then a step that fails (nothing on port 1) or hangs (a server that never answers).
    const auto declared = descriptors::parse_verify_checks(R"(mode: replace
services:
  cosmosdb-emulator:
    group: core
    image: busybox:1.36
    ports:
      - {variable: COSMOSDB_PORT, container: 8081}
      - {variable: CLOSED_PORT, container: 1}
      - {variable: HANG_PORT, container: 2}
    probe: {kind: tcp, port_variable: COSMOSDB_PORT}
    verify:
      - name: fails
        category: azure
        steps:
          - {kind: cosmos, port_variable: COSMOSDB_PORT, action: create, database: "${VERIFY_ID}", key_variable: COSMOSDB_KEY}
          - {kind: http, port_variable: CLOSED_PORT, path: /}
        cleanup:
          - {kind: cosmos, port_variable: COSMOSDB_PORT, action: delete, database: "${VERIFY_ID}", key_variable: COSMOSDB_KEY}
      - name: hangs
        category: azure
        steps:
          - {kind: cosmos, port_variable: COSMOSDB_PORT, action: create, database: "${VERIFY_ID}", key_variable: COSMOSDB_KEY}
          - {kind: http, port_variable: HANG_PORT, path: /}
        cleanup:
          - {kind: cosmos, port_variable: COSMOSDB_PORT, action: delete, database: "${VERIFY_ID}", key_variable: COSMOSDB_KEY}
      - name: leaves one behind
        category: azure
        steps:
          - {kind: cosmos, port_variable: COSMOSDB_PORT, action: create, database: "${VERIFY_ID}", key_variable: COSMOSDB_KEY}
)",
                                                           "t.yaml")
                              .at("cosmosdb-emulator");
    test::run_failing_and_hanging_checks(declared, cosmos.settings, "cosmosdb-emulator");
    EXPECT_EQ(cosmos.sdk_list("envctl-verify-"), "");

    // The listing does see a database a check leaves behind (no cleanup).
    const auto left = verify::run_declared(declared[2], test::verify_step_env(cosmos.settings, "cosmosdb-emulator"),
                                           envctl::Clock::now() + 10s, 5s);
    ASSERT_TRUE(left.ok) << left.detail;
    EXPECT_TRUE(cosmos.sdk_list("envctl-verify-").starts_with("envctl-verify-"));
}

}  // namespace

TEST(VerifyCosmos, TheStandInPassesTheDeclaredCheckReadByTheSdkAndNothingLeftAfterAFailedOrTimedOutCheck) {
    std::string why;
    REQUIRE_PREREQUISITE(test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(test::image_present(kStandIn), std::string(kStandIn) + " (envctl images build cosmosdb-emulator)");
    REQUIRE_PREREQUISITE(test::azure_sdk_installed("@azure/cosmos"),
                         "the npm package @azure/cosmos under scripts/azure (scripts/setup --tests)");

    // cosmosdb-emulator alone, under --images local: its own probe (GET /ready on the health port) says ready.
    test::CoreProject project({{"ENVCTL_PROJECT", "verifycosmos"}, {"COSMOSDB_PORT", std::to_string(kCosmosPort)},
                               {"COSMOSDB_HEALTH_PORT", std::to_string(kCosmosHealthPort)}, {"CI", "true"}});
    auto up = project.envctl({"up", "cosmosdb-emulator"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    // `images list` (of the full profile: cosmosdb-emulator is not in core) calls the image a stand-in.
    subprocess::Spec list;
    list.argv = project.argv({"images", "list"});
    std::replace(list.argv.begin(), list.argv.end(), std::string("core"), std::string("full"));
    auto env = subprocess::current_environment();
    for (const auto& [k, v] : project.variables()) env[k] = v;
    list.env = env;
    list.timeout = 60s;
    const auto listed = subprocess::run(list);
    EXPECT_NE(listed.out.find("localhost/envctl/cosmosdb-server:1.0.1 (a stand-in for the Cosmos DB emulator)"),
              std::string::npos) << output(listed);

    // The declared check, through the command.
    auto verified = project.envctl({"verify", "--category", "azure", "--json", "cosmosdb-emulator"});
    EXPECT_EQ(verified.exit_code, 0) << output(verified);
    const auto doc = nlohmann::json::parse(verified.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << output(verified);
    std::map<std::string, std::string> status;
    for (const auto& c : doc["checks"])
        status[c["category"].get<std::string>() + "/" + c["service"].get<std::string>() + "/" + c["name"].get<std::string>()] =
            c["status"].get<std::string>();
    EXPECT_EQ(status["azure/cosmosdb-emulator/document round trip"], "pass") << verified.out;
    Cosmos cosmos;
    EXPECT_EQ(cosmos.sdk_list("envctl-verify-"), "");

    // What envctl's client writes (the step's own requests), the SDK reads; what the SDK writes, envctl reads.
    const std::string db = verify::verify_object_name();
    const std::string coll_link = "dbs/" + db + "/colls/" + db;
    const verify::azure::Headers partition{{"x-ms-documentdb-partitionkey", nlohmann::json::array({"p1"}).dump()}};
    ASSERT_EQ(cosmos.request("POST", "/dbs", "dbs", "", {}, nlohmann::json{{"id", db}}.dump()).status, 201);
    const nlohmann::json container{{"id", db}, {"partitionKey", {{"paths", {"/pk"}}, {"kind", "Hash"}}}};
    ASSERT_EQ(cosmos.request("POST", "/dbs/" + db + "/colls", "colls", "dbs/" + db, {}, container.dump()).status, 201);
    const nlohmann::json written{{"id", "by-envctl"}, {"pk", "p1"}, {"value", "written by envctl \xc3\xa9"}, {"n", 42}};
    auto upsert = partition;
    upsert.emplace_back("x-ms-documentdb-is-upsert", "True");
    const auto put = cosmos.request("POST", "/" + coll_link + "/docs", "docs", coll_link, upsert, written.dump());
    ASSERT_TRUE(put.status == 201 || put.status == 200) << put.describe();
    const auto read = cosmos.sdk({"read", db, db, "by-envctl", "p1"});
    ASSERT_EQ(read.exit_code, 0) << read.err;
    const auto got = nlohmann::json::parse(read.out, nullptr, false);
    ASSERT_FALSE(got.is_discarded()) << read.out;
    EXPECT_EQ(got["value"], written["value"]);
    EXPECT_EQ(got["n"], 42);
    const auto queried = cosmos.sdk({"query", db, db, "by-envctl"});
    ASSERT_EQ(queried.exit_code, 0) << queried.err;
    EXPECT_EQ(nlohmann::json::parse(queried.out, nullptr, false).at(0).at("value"), written["value"]) << queried.out;
    const auto write = cosmos.sdk({"write", db, db}, {{"DOCUMENT_JSON", R"({"id":"by-sdk","pk":"p1","value":"written by @azure/cosmos"})"}});
    ASSERT_EQ(write.exit_code, 0) << write.err;
    const auto by_sdk = cosmos.request("GET", "/" + coll_link + "/docs/by-sdk", "docs", coll_link + "/docs/by-sdk", partition);
    ASSERT_EQ(by_sdk.status, 200) << by_sdk.describe();
    EXPECT_EQ(nlohmann::json::parse(by_sdk.body, nullptr, false).value("value", ""), "written by @azure/cosmos") << by_sdk.body;
    EXPECT_EQ(cosmos.sdk_list(db), db + "\n");
    // The declared cleanup step deletes the database with what it holds.
    const auto checks = descriptors::load_verify_checks(std::nullopt).at("cosmosdb-emulator");
    ASSERT_EQ(checks.size(), 1u);
    auto cleanup = test::verify_step_env(cosmos.settings, "cosmosdb-emulator");
    cleanup.values["VERIFY_ID"] = db;
    const auto deleted = verify::run_step(checks[0].cleanup.at(0), cleanup, envctl::Clock::now() + 10s);
    EXPECT_TRUE(deleted.ok) << deleted.detail;
    EXPECT_EQ(cosmos.sdk_list("envctl-verify-"), "");

    failed_and_timed_out_checks_leave_nothing(cosmos);
}
