// The azure category's signatures and steps: HMAC-SHA256 and Base64 (OpenSSL) against RFC 4231; Shared Key's
// string-to-sign against the example of "Authorize with Shared Key" and its signature against what the official SDK
// (@azure/storage-blob 12.27.0) sent for the same requests; the Cosmos DB master key token against the example of
// "Access control in the Azure Cosmos DB SQL API"; what the azure_blob and cosmos steps send (every request signed
// as documented, the object deleted after a failure); their `verify:` fields validated with file, line and key.
#include <gtest/gtest.h>

#include <array>

#include <nlohmann/json.hpp>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/util/hash.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/verify/azure_auth.hpp"
#include "envctl/verify/steps.hpp"
#include "support/http_test_server.hpp"

using namespace std::chrono_literals;
using namespace envctl;
using namespace envctl::verify;

namespace {

constexpr const char* kAzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
constexpr const char* kCosmosKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

const std::string kHead = R"(mode: replace
services:
  store:
    group: core
    image: busybox:1.36
    ports:
      - {variable: STORE_PORT, container: 10000}
    probe: {kind: tcp, port_variable: STORE_PORT}
    verify:
)";

descriptors::VerifyCheck declared(const std::string& yaml) {
    return descriptors::parse_verify_checks(kHead + yaml, "t.yaml").at("store").at(0);
}

StepEnv step_env(settings::Settings& settings, int port) {
    settings.vars.set("STORE_PORT", std::to_string(port), {});
    settings.vars.set("STORE_KEY", kAzuriteKey, {});
    settings.vars.set("COSMOS_KEY", kCosmosKey, {});
    StepEnv env;
    env.settings = &settings;
    env.service = "store";
    return env;
}

// The query string of a path as a (name, value) list (the tests' values need no decoding).
std::vector<std::pair<std::string, std::string>> query_of(const std::string& path) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto q = path.find('?');
    if (q == std::string::npos) return out;
    std::string rest = path.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string part = rest.substr(0, amp);
        const auto eq = part.find('=');
        out.emplace_back(part.substr(0, eq), eq == std::string::npos ? "" : part.substr(eq + 1));
        rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
    }
    return out;
}

}  // namespace

TEST(AzureSignatures, HmacSha256AndBase64AreRfc4231AndRfc4648) {
    // RFC 4231, test case 2.
    EXPECT_EQ(hash::base64_encode(hash::hmac_sha256("Jefe", "what do ya want for nothing?")),
              hash::base64_encode(*hash::base64_decode("W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=")));
    EXPECT_EQ(hash::base64_encode(hash::hmac_sha256("Jefe", "what do ya want for nothing?")),
              "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
    for (const char* text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"})  // RFC 4648 section 10
        EXPECT_EQ(hash::base64_decode(hash::base64_encode(text)).value_or("?"), text);
    EXPECT_EQ(hash::base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(hash::base64_encode("fo"), "Zm8=");
    EXPECT_EQ(hash::base64_decode("Zg==").value_or("?"), "f");
    EXPECT_EQ(hash::base64_decode(kAzuriteKey)->size(), 64u);
    EXPECT_FALSE(hash::base64_decode("not base64!"));
    EXPECT_FALSE(hash::base64_decode("abc"));
}

TEST(AzureSignatures, SharedKeyStringToSignIsTheDocumentedExample) {
    // "Authorize with Shared Key", Blob, Queue and File services: the example string-to-sign.
    azure::SharedKeyRequest r{"GET", "myaccount", "/mycontainer",
                              {{"restype", "container"}, {"comp", "metadata"}, {"timeout", "20"}},
                              {{"x-ms-version", "2015-02-21"}, {"x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT"}}};
    EXPECT_EQ(azure::shared_key_string_to_sign(r),
              "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n"
              "/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
    // Content-Length: empty when zero; the standard headers in their places; x-ms- names lower-cased, values unfolded.
    azure::SharedKeyRequest put{"PUT", "a", "/a/c", {}, {{"Content-Length", "0"}, {"Content-Type", "text/plain"},
                                                         {"X-MS-Meta-Name", "  two   words "}, {"Range", "bytes=0-1"}}};
    EXPECT_EQ(azure::shared_key_string_to_sign(put), "PUT\n\n\n\n\ntext/plain\n\n\n\n\n\nbytes=0-1\nx-ms-meta-name:two words\n/a/a/c");
}

TEST(AzureSignatures, SharedKeyMatchesTheOfficialSdk) {
    // Two requests @azure/storage-blob 12.27.0 sent to http://127.0.0.1:10000/devstoreaccount1 (create a container,
    // upload an 11-byte block blob) with every header it sent, and the Authorization it computed for them.
    const std::string date = "Fri, 27 Nov 2026 22:14:27 GMT";
    const std::string agent = "azsdk-js-azure-storage-blob/12.27.0 core-rest-pipeline/1.24.0 Node/20.20.2 (Linux 6.18.44-fc-v782; x64)";
    azure::SharedKeyRequest create{"PUT", "devstoreaccount1", "/devstoreaccount1/envctl-verify-0123456789ab",
                                   {{"restype", "container"}},
                                   {{"x-ms-version", "2025-05-05"}, {"Accept", "application/xml"}, {"User-Agent", agent},
                                    {"x-ms-client-request-id", "47ec77fc-f65d-4385-8041-59f4ef27ca79"}, {"x-ms-date", date}}};
    EXPECT_EQ(azure::shared_key_authorization(create, kAzuriteKey),
              "SharedKey devstoreaccount1:uI3OnfTat8P4HBf9T6rEtSdbuIurpBNwDnQDGAtum2c=");
    azure::SharedKeyRequest upload{"PUT", "devstoreaccount1",
                                   "/devstoreaccount1/envctl-verify-0123456789ab/envctl-verify-0123456789ab.bin", {},
                                   {{"Content-Type", "application/octet-stream"}, {"x-ms-version", "2025-05-05"},
                                    {"Content-Length", "11"}, {"Accept", "application/xml"}, {"x-ms-blob-type", "BlockBlob"},
                                    {"User-Agent", agent}, {"x-ms-client-request-id", "0a266734-ec16-41ad-9e21-48374e2d68c9"},
                                    {"x-ms-date", date}}};
    EXPECT_EQ(azure::shared_key_authorization(upload, kAzuriteKey),
              "SharedKey devstoreaccount1:F1yppLkFpB12HR2p7Q4DDP92HS1zGxKcvU9tsy4EROY=");
    try {
        azure::shared_key_authorization(create, "not a key!");
        FAIL() << "accepted a key that is not Base64";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("is not Base64"), std::string::npos);
    }
}

TEST(AzureSignatures, CosmosMasterTokenIsTheDocumentedExample) {
    // "Access control in the Azure Cosmos DB SQL API": GET dbs dbs/ToDoList at Thu, 27 Apr 2017 00:51:12 GMT.
    EXPECT_EQ(azure::cosmos_master_token("GET", "dbs", "dbs/ToDoList", "Thu, 27 Apr 2017 00:51:12 GMT",
                                         "dsZQi3KtZmCv1ljt3VNWNm7sQUF1y5rJfC6kv5JiwvW0EndXdDku/dkKBp8/ufDToSxLzR4y+O/0H/t4bQtVNw=="),
              "type%3Dmaster%26ver%3D1.0%26sig%3Dc09PEVJrgp2uQRkr934kFbTqhByc7TVr3OHyqlu%2Bc%2Bc%3D");
    EXPECT_EQ(azure::http_date(std::chrono::system_clock::time_point{std::chrono::seconds(1493254272)}),
              "Thu, 27 Apr 2017 00:51:12 GMT");
}

TEST(AzureBlobStep, SignsEveryRequestAndDeletesTheContainerWhenAStepFails) {
    test::HttpTestServer server;
    server.script({{201, ""}, {500, "<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>disk full</Message></Error>"},
                   {202, ""}});
    settings::Settings settings;
    auto env = step_env(settings, server.port());
    env.values["VERIFY_ID"] = "envctl-verify-0123456789ab";
    const auto check = declared(
        "      - {name: blob, category: azure, steps: [{kind: azure_blob, action: round_trip, container: \"${VERIFY_ID}\", "
        "key_variable: STORE_KEY}]}\n");
    const auto outcome = run_step(check.steps.at(0), env, Clock::now() + 5s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("container envctl-verify-0123456789ab (Shared Key as devstoreaccount1): put blob: "
                                  "HTTP 500 InternalError: disk full"),
              std::string::npos)
        << outcome.detail;
    const auto requests = server.received();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].method + " " + requests[0].path, "PUT /devstoreaccount1/envctl-verify-0123456789ab?restype=container");
    EXPECT_EQ(requests[1].method + " " + requests[1].path,
              "PUT /devstoreaccount1/envctl-verify-0123456789ab/envctl-verify-0123456789ab.bin");
    EXPECT_EQ(requests[1].header("x-ms-blob-type"), "BlockBlob");
    EXPECT_EQ(requests[1].body.size(), 4096u);
    EXPECT_EQ(requests[2].method + " " + requests[2].path, "DELETE /devstoreaccount1/envctl-verify-0123456789ab?restype=container");
    for (const auto& r : requests) {
        // Signed as documented over what arrived: the server's view of the headers, the key from the settings.
        azure::SharedKeyRequest seen{r.method, "devstoreaccount1", r.path.substr(0, r.path.find('?')), query_of(r.path), r.headers};
        EXPECT_EQ(r.header("Authorization"), azure::shared_key_authorization(seen, kAzuriteKey)) << r.path;
        EXPECT_FALSE(r.header("x-ms-date").empty());
        EXPECT_EQ(r.header("x-ms-version"), "2021-12-02");
    }
}

TEST(AzureBlobStep, DeleteAcceptsAContainerAlreadyGoneAndReportsAnyOtherRefusal) {
    test::HttpTestServer server;
    server.script({{404, "<Error><Code>ContainerNotFound</Code></Error>"},
                   {403, "<Error><Code>AuthorizationFailure</Code><Message>no</Message></Error>"}});
    settings::Settings settings;
    auto env = step_env(settings, server.port());
    const auto check = declared(
        "      - {name: blob, category: azure, steps: [{kind: azure_blob, action: delete, container: envctl-verify-x1, "
        "account: otheraccount, key_variable: STORE_KEY}]}\n");
    auto outcome = run_step(check.steps.at(0), env, Clock::now() + 5s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_NE(outcome.detail.find("not there"), std::string::npos) << outcome.detail;
    EXPECT_EQ(server.received().at(0).path, "/otheraccount/envctl-verify-x1?restype=container");
    outcome = run_step(check.steps.at(0), env, Clock::now() + 5s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("delete: HTTP 403 AuthorizationFailure: no"), std::string::npos) << outcome.detail;
}

TEST(CosmosStep, SendsTheDocumentedRequestsSignedAndDeletesTheDatabaseWhenTheQueryMisses) {
    test::HttpTestServer server;
    server.script({{201, R"({"id": "db"})"}, {201, "{}"}, {201, "{}"}, {200, R"({"Documents": [], "_count": 0})"}, {204, ""}});
    settings::Settings settings;
    auto env = step_env(settings, server.port());
    env.values["VERIFY_ID"] = "envctl-verify-0123456789ab";
    const auto check = declared(
        "      - {name: doc, category: azure, steps: [{kind: cosmos, action: round_trip, database: \"${VERIFY_ID}\", "
        "key_variable: COSMOS_KEY}]}\n");
    const auto outcome = run_step(check.steps.at(0), env, Clock::now() + 5s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("database envctl-verify-0123456789ab: the query did not return the document"), std::string::npos)
        << outcome.detail;
    const auto requests = server.received();
    ASSERT_EQ(requests.size(), 5u);
    const std::string db = "envctl-verify-0123456789ab";
    const std::string coll = "dbs/" + db + "/colls/" + db;
    // method, path, resource type and link the token must sign (the REST reference of each operation).
    const std::vector<std::array<std::string, 4>> expected{{"POST", "/dbs", "dbs", ""},
                                                           {"POST", "/dbs/" + db + "/colls", "colls", "dbs/" + db},
                                                           {"POST", "/" + coll + "/docs", "docs", coll},
                                                           {"POST", "/" + coll + "/docs", "docs", coll},
                                                           {"DELETE", "/dbs/" + db, "dbs", "dbs/" + db}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& r = requests[i];
        EXPECT_EQ(r.method, expected[i][0]) << i;
        EXPECT_EQ(r.path, expected[i][1]) << i;
        EXPECT_EQ(r.header("x-ms-version"), "2018-12-31");
        // The token travels URL-encoded (the test server hands the header over decoded).
        EXPECT_EQ(http::url_encode(r.header("Authorization")),
                  azure::cosmos_master_token(r.method, expected[i][2], expected[i][3], r.header("x-ms-date"), kCosmosKey))
            << i;
    }
    EXPECT_EQ(nlohmann::json::parse(requests[0].body), (nlohmann::json{{"id", db}}));
    EXPECT_EQ(nlohmann::json::parse(requests[1].body)["partitionKey"]["paths"], (nlohmann::json{"/pk"}));
    EXPECT_EQ(requests[2].header("x-ms-documentdb-is-upsert"), "True");
    EXPECT_EQ(requests[2].header("x-ms-documentdb-partitionkey"), "[\"" + db + "\"]");
    EXPECT_EQ(nlohmann::json::parse(requests[2].body)["id"], db);
    EXPECT_EQ(requests[3].header("x-ms-documentdb-isquery"), "True");
    EXPECT_EQ(requests[3].header("Content-Type"), "application/query+json");
    EXPECT_EQ(nlohmann::json::parse(requests[3].body)["parameters"][0]["value"], db);
}

TEST(AzureStepsDescriptor, AreReadAndValidatedWithFileLineAndKey) {
    const auto check = declared(R"(      - name: both
        category: azure
        steps:
          - {kind: azure_blob, action: round_trip, container: "${VERIFY_ID}", key_variable: STORE_KEY}
          - {kind: cosmos, port_variable: STORE_PORT, action: create, database: "${VERIFY_ID}", key_variable: COSMOS_KEY}
        cleanup:
          - {kind: azure_blob, action: delete, container: "${VERIFY_ID}", account: devstoreaccount2, key_variable: STORE_KEY}
)");
    ASSERT_EQ(check.steps.size(), 2u);
    EXPECT_EQ(check.steps[0].kind, descriptors::StepKind::azure_blob);
    EXPECT_EQ(check.steps[0].port_variable, "STORE_PORT");
    EXPECT_EQ(check.steps[0].account, "devstoreaccount1");
    EXPECT_EQ(check.steps[1].kind, descriptors::StepKind::cosmos);
    EXPECT_EQ(check.steps[1].database, "${VERIFY_ID}");
    EXPECT_EQ(check.steps[1].action, "create");
    EXPECT_EQ(check.cleanup.at(0).account, "devstoreaccount2");

    const std::vector<std::array<std::string, 3>> bad{
        {"{kind: azure_blob, action: round_trip, container: c1c}", "services.store.verify[0].steps[0]", "needs `key_variable`"},
        {"{kind: azure_blob, action: round_trip, container: c1c, key_variable: STORE_ACCOUNT}",
         "services.store.verify[0].steps[0].key_variable", "the key is a secret"},
        {"{kind: cosmos, action: copy, database: d, key_variable: COSMOS_KEY}", "services.store.verify[0].steps[0].action",
         "round_trip"},
        {"{kind: cosmos, action: create, database: d, container: c1c, key_variable: COSMOS_KEY}",
         "services.store.verify[0].steps[0].container", "only azure_blob steps take `container`"},
        {"{kind: azure_blob, action: create, container: Upper_Case, key_variable: STORE_KEY}",
         "services.store.verify[0].steps[0].container", "3-63 lower-case letters"},
        {"{kind: http, key_variable: STORE_KEY}", "services.store.verify[0].steps[0].key_variable",
         "only amqp, azure_blob and cosmos steps take `key_variable`"},
    };
    for (const auto& [step, key, problem] : bad) {
        try {
            declared("      - name: a\n        category: azure\n        steps:\n          - " + step + "\n");
            FAIL() << step << ": accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ExitCode::usage);
            EXPECT_NE(std::string(e.what()).find("t.yaml:13: " + key + ":"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(problem), std::string::npos) << e.what();
        }
    }
}
