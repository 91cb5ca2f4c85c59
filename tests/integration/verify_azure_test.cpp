// The azure category against the real emulator images, cross-checked by the official SDKs: Azurite (the local
// image) passes azurite's declared `blob round trip` with the development key of .env.development and refuses a
// wrong key; @azure/storage-blob reads byte-for-byte what envctl's client wrote and envctl reads what the SDK wrote;
// after a failed and a timed-out check (a container created, then a step failing / hanging past the category
// deadline) nothing envctl-verify-* is left, as the SDK lists it (and it does list one a check leaves behind).
#include <gtest/gtest.h>

#include <random>

#include "envctl/descriptors/verify_step.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/util/hash.hpp"
#include "envctl/verify/azure_clients.hpp"
#include "envctl/verify/runner.hpp"
#include "envctl/verify/steps.hpp"
#include "support/azure_emulators.hpp"
#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"
#include "support/tcp_test_listener.hpp"
#include "support/test_paths.hpp"

using namespace std::chrono_literals;
using namespace envctl;

namespace {

constexpr int kAzuritePort = 26941;
constexpr const char* kAzuriteImage = "localhost/envctl/azurite:3.35.0";

using test::image_present;
using test::repo_settings;
constexpr auto step_env = test::verify_step_env;

struct Azurite {
    // The descriptor's own command line (builtin stack), on the test's port; one container for the suite's tests.
    static test::EmulatorContainer& shared_container() {
        static test::EmulatorContainer container{"envctl-azuretest-blob", kAzuriteImage, {{kAzuritePort, 10000}},
                                      {"azurite", "--blobHost", "0.0.0.0", "--blobPort", "10000", "--location", "/data",
                                       "--skipApiVersionCheck", "--loose"}};
        return container;
    }
    test::EmulatorContainer& container = shared_container();
    settings::Settings settings = repo_settings({{"AZURITE_BLOB_PORT", std::to_string(kAzuritePort)}});
    std::map<std::string, std::string> sdk_env() const {
        return {{"AZURITE_URL", "http://127.0.0.1:" + std::to_string(kAzuritePort) + "/devstoreaccount1"},
                {"AZURITE_ACCOUNT_KEY", *settings.vars.find("AZURITE_ACCOUNT_KEY")}};
    }
    std::string sdk_list(const std::string& prefix) const {
        const auto r = test::azure_sdk("blob.js", {"list", prefix}, sdk_env());
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        return r.out;
    }
    verify::azure::BlobService service() const {
        return {"127.0.0.1", kAzuritePort, "devstoreaccount1", *settings.vars.find("AZURITE_ACCOUNT_KEY")};
    }
};

#define REQUIRE_AZURITE()                                                                                   \
    std::string why;                                                                                        \
    REQUIRE_PREREQUISITE(test::podman_usable(&why), why);                                                   \
    REQUIRE_PREREQUISITE(image_present(kAzuriteImage), std::string(kAzuriteImage) + " (envctl images build azurite)"); \
    REQUIRE_PREREQUISITE(test::azure_sdk_installed("@azure/storage-blob"),                                  \
                         "the npm package @azure/storage-blob under scripts/azure (scripts/setup --tests)")

}  // namespace

namespace {

// After a failed and a timed-out check nothing envctl-verify-* is left (part of the one test below: one Azurite).
void failed_and_timed_out_checks_leave_nothing(Azurite& azurite) {
    test::TcpTestListener hanging("", /*silent=*/true);
    azurite.settings.vars.set("HANG_PORT", std::to_string(hanging.port()), {});
    azurite.settings.vars.set("CLOSED_PORT", "1", {});
    // A container created, then a step that fails (nothing on port 1) or hangs (a server that never answers).
    const auto declared = descriptors::parse_verify_checks(R"(mode: replace
services:
  azurite:
    group: core
    image: busybox:1.36
    ports:
      - {variable: AZURITE_BLOB_PORT, container: 10000}
      - {variable: CLOSED_PORT, container: 1}
      - {variable: HANG_PORT, container: 2}
    probe: {kind: tcp, port_variable: AZURITE_BLOB_PORT}
    verify:
      - name: fails
        category: azure
        steps:
          - {kind: azure_blob, action: create, container: "${VERIFY_ID}", key_variable: AZURITE_ACCOUNT_KEY}
          - {kind: http, port_variable: CLOSED_PORT, path: /}
        cleanup:
          - {kind: azure_blob, action: delete, container: "${VERIFY_ID}", key_variable: AZURITE_ACCOUNT_KEY}
      - name: hangs
        category: azure
        steps:
          - {kind: azure_blob, action: create, container: "${VERIFY_ID}", key_variable: AZURITE_ACCOUNT_KEY}
          - {kind: http, port_variable: HANG_PORT, path: /}
        cleanup:
          - {kind: azure_blob, action: delete, container: "${VERIFY_ID}", key_variable: AZURITE_ACCOUNT_KEY}
      - name: leaves one behind
        category: azure
        steps:
          - {kind: azure_blob, action: create, container: "${VERIFY_ID}", key_variable: AZURITE_ACCOUNT_KEY}
)",
                                                           "t.yaml")
                              .at("azurite");
    test::run_failing_and_hanging_checks(declared, azurite.settings, "azurite");
    EXPECT_EQ(azurite.sdk_list("envctl-verify-"), "");

    // The listing does see a container a check leaves behind (no cleanup).
    const auto left = verify::run_declared(declared[2], step_env(azurite.settings, "azurite"), envctl::Clock::now() + 10s, 5s);
    ASSERT_TRUE(left.ok) << left.detail;
    EXPECT_TRUE(azurite.sdk_list("envctl-verify-").starts_with("envctl-verify-"));
}

}  // namespace

TEST(VerifyAzure, AzuriteRoundTripWithTheDevelopmentKeyReadByTheSdkAndNothingLeftAfterAFailedOrTimedOutCheck) {
    REQUIRE_AZURITE();
    Azurite azurite;
    ASSERT_EQ(azurite.container.error(), "");

    // azurite's declared check, as the built-in stack declares it, with .env.development's key.
    const auto checks = descriptors::load_verify_checks(std::nullopt).at("azurite");
    ASSERT_EQ(checks.size(), 1u);
    ASSERT_EQ(checks[0].category, "azure");
    auto outcome = verify::run_declared(checks[0], step_env(azurite.settings, "azurite"), envctl::Clock::now() + 15s, 5s);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_NE(outcome.detail.find("read back byte-for-byte"), std::string::npos) << outcome.detail;
    EXPECT_EQ(outcome.detail.find(*azurite.settings.vars.find("AZURITE_ACCOUNT_KEY")), std::string::npos);

    // A wrong key is refused by the emulator itself: the signature is checked for real.
    auto wrong = azurite.settings;
    wrong.vars.set("AZURITE_ACCOUNT_KEY", hash::base64_encode(std::string(64, 'x')), {});
    outcome = verify::run_declared(checks[0], step_env(wrong, "azurite"), envctl::Clock::now() + 15s, 5s);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.detail.find("create: HTTP 403 AuthorizationFailure"), std::string::npos) << outcome.detail;

    // What envctl's client writes, the SDK reads byte-for-byte; what the SDK writes, envctl reads.
    const auto service = azurite.service();
    const std::string container = verify::verify_object_name();
    const auto deadline = envctl::Clock::now() + 15s;
    ASSERT_EQ(verify::azure::blob_request(service, "PUT", "/" + container, {{"restype", "container"}}, {}, "", deadline).status, 201);
    std::string bytes(3000, '\0');
    std::mt19937 random{7};
    for (auto& c : bytes) c = static_cast<char>(random() & 0xff);
    ASSERT_EQ(verify::azure::blob_request(service, "PUT", "/" + container + "/envctl.bin", {}, {{"x-ms-blob-type", "BlockBlob"}},
                                          bytes, deadline).status,
              201);
    const auto read = test::azure_sdk("blob.js", {"read", container, "envctl.bin"}, azurite.sdk_env());
    ASSERT_EQ(read.exit_code, 0) << read.err;
    EXPECT_EQ(hash::base64_decode(std::string(read.out.substr(0, read.out.find('\n')))).value_or(""), bytes);
    auto env = azurite.sdk_env();
    env["BLOB_BASE64"] = hash::base64_encode("written by @azure/storage-blob\n\x01\x02");
    const auto write = test::azure_sdk("blob.js", {"write", container, "sdk.bin"}, env);
    ASSERT_EQ(write.exit_code, 0) << write.err;
    const auto got = verify::azure::blob_request(service, "GET", "/" + container + "/sdk.bin", {}, {}, "", deadline);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.body, "written by @azure/storage-blob\n\x01\x02");
    EXPECT_EQ(azurite.sdk_list(container), container + "\n");
    // The cleanup step's delete takes the container with its blobs.
    auto cleanup = step_env(azurite.settings, "azurite");
    cleanup.values["VERIFY_ID"] = container;
    outcome = verify::run_step(checks[0].cleanup.at(0), cleanup, deadline);
    EXPECT_TRUE(outcome.ok) << outcome.detail;
    EXPECT_EQ(azurite.sdk_list("envctl-verify-"), "");

    failed_and_timed_out_checks_leave_nothing(azurite);
}

