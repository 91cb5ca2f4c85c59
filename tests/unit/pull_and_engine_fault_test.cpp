// Pull failures classified from the registry's answer (podman 4.3's words, measured against Debian's
// docker-registry as a mirror of docker.io), and engine faults recognised in an engine's error.
#include <gtest/gtest.h>

#include "envctl/images/podman_images.hpp"
#include "envctl/images/pull.hpp"
#include "envctl/orchestration/engine_fault.hpp"
#include "envctl/orchestration/retry_policy.hpp"

using namespace envctl;
using images::PullCause;

namespace {

const std::string kDns =
    "docker.io/library/pullexp:2: pinging container registry registry-1.docker.io: Get "
    "\"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host";

std::string via_mirror(const std::string& mirror_answer) {
    return "Error: initializing source docker://pullexp:2: (Mirrors also failed: [127.0.0.1:15123/library/pullexp:2: "
           "reading manifest 2 in 127.0.0.1:15123/library/pullexp: " + mirror_answer + "]): " + kDns + "\n";
}

}  // namespace

TEST(PullErrors, MirrorsManifestUnknownBesideTheUpstreamsDnsErrorIsNotFound) {
    auto e = images::classify_pull_error("docker.io/library/pullexp:2", via_mirror("manifest unknown: manifest unknown"));
    EXPECT_EQ(e.cause, PullCause::not_found);
    EXPECT_EQ(e.registry, "127.0.0.1:15123");
    EXPECT_NE(e.explain().find("not found"), std::string::npos) << e.explain();
    EXPECT_NE(e.explain().find("manifest unknown"), std::string::npos) << e.explain();
}

TEST(PullErrors, UnauthorizedNamesTheRegistryToLogInTo) {
    auto mirror = images::classify_pull_error("docker.io/library/pullexp:1",
                                              via_mirror("unauthorized: authentication required"));
    EXPECT_EQ(mirror.cause, PullCause::unauthorized);
    EXPECT_NE(mirror.explain().find("podman login 127.0.0.1:15123"), std::string::npos) << mirror.explain();
    auto direct = images::classify_pull_error(
        "ghcr.io/goauthentik/server:1", "Error: initializing source docker://ghcr.io/goauthentik/server:1: reading "
                                        "manifest 1 in ghcr.io/goauthentik/server: unauthorized: authentication required\n");
    EXPECT_EQ(direct.cause, PullCause::unauthorized);
    EXPECT_NE(direct.explain().find("podman login ghcr.io"), std::string::npos) << direct.explain();
}

TEST(PullErrors, RateLimitSaysSoWithTheRegistrysHint) {
    auto e = images::classify_pull_error(
        "docker.io/library/redis:7", "Error: initializing source docker://redis:7: reading manifest 7 in "
                                     "docker.io/library/redis: toomanyrequests: You have reached your pull rate limit. "
                                     "You may increase the limit by authenticating and upgrading: "
                                     "https://www.docker.com/increase-rate-limit\n");
    EXPECT_EQ(e.cause, PullCause::rate_limited);
    EXPECT_EQ(e.registry, "docker.io");
    EXPECT_NE(e.explain().find("rate limited by docker.io"), std::string::npos) << e.explain();
    EXPECT_NE(e.explain().find("increase-rate-limit"), std::string::npos) << e.explain();
}

TEST(PullErrors, NoAnswerAnywhereIsUnreachable) {
    auto alone = images::classify_pull_error("docker.io/library/pullexp:2", "Error: initializing source docker://pullexp:2: " + kDns);
    EXPECT_EQ(alone.cause, PullCause::unreachable);
    EXPECT_EQ(alone.registry, "registry-1.docker.io");
    auto mirror_down = images::classify_pull_error(
        "docker.io/library/pullexp:2",
        via_mirror("pinging container registry 127.0.0.1:15123: Get \"http://127.0.0.1:15123/v2/\": dial tcp "
                   "127.0.0.1:15123: connect: connection refused"));
    EXPECT_EQ(mirror_down.cause, PullCause::unreachable);
    auto other = images::classify_pull_error("quay.io/x/y:1", "Error: something nobody has seen before\n");
    EXPECT_EQ(other.cause, PullCause::other);
    EXPECT_EQ(other.registry, "quay.io");
    EXPECT_NE(other.explain().find("something nobody has seen before"), std::string::npos);
}

TEST(PullErrors, RegistryOfAnImageAndSizes) {
    EXPECT_EQ(images::registry_of("mcr.microsoft.com/azure-storage/azurite:3.35.0"), "mcr.microsoft.com");
    EXPECT_EQ(images::registry_of("redis:7"), "docker.io");
    EXPECT_EQ(images::registry_of("library/redis:7"), "docker.io");
    EXPECT_EQ(images::registry_of("127.0.0.1:5000/x:1"), "127.0.0.1:5000");
    EXPECT_EQ(images::format_size(17), "17 B");
    EXPECT_EQ(images::format_size(840'000), "840 kB");
    EXPECT_EQ(images::format_size(12'345'678), "12.3 MB");
}

TEST(PullErrors, ManifestInspectOfASingleImageOciManifestMeansPullable) {
    // podman 4.3 against a registry `podman push` wrote to: the image is there, podman only refuses to print it.
    auto check = images::classify_manifest_inspect(
        125, "Error: parsing manifest blob \"{\\\"schemaVersion\\\":2,\\\"config\\\":{}}\" as a "
             "\"application/vnd.oci.image.manifest.v1+json\": Treating single images as manifest lists is not implemented\n");
    EXPECT_TRUE(check.pullable) << check.detail;
    auto mirror_lacks = images::classify_manifest_inspect(125, via_mirror("manifest unknown: manifest unknown"));
    EXPECT_FALSE(mirror_lacks.pullable);
    EXPECT_EQ(mirror_lacks.detail.rfind("not in its registry", 0), 0u) << mirror_lacks.detail;
}

TEST(EngineFaults, RecognisedFromTheEnginesOwnWords) {
    using orchestration::engine_fault;
    EXPECT_EQ(engine_fault("starting intl_redis-dapr_1 failed (HTTP 500):\nnetavark: No such file or directory (os error 2)"),
              "network setup failed");
    EXPECT_EQ(engine_fault("podman run failed: Error: OCI runtime error: runc: container_linux.go:380: starting container "
                           "process caused: exec: \"/nope\": no such file"),
              "the OCI runtime failed");
    EXPECT_EQ(engine_fault("creating intl_postgresql_1 failed (HTTP 500):\ndocker.io/library/postgres:16: image not known"),
              "an image is unknown to the engine after pulling");
    EXPECT_EQ(engine_fault("creating intl_opa_1 failed (HTTP 409):\nname is in use"),
              "the engine refused the request (HTTP 409)");
    EXPECT_EQ(engine_fault("starting intl_opa_1 failed (HTTP 500):\ncontainer state improper"), std::nullopt);
    EXPECT_EQ(engine_fault("podman did not answer within 30s"), std::nullopt);
    EXPECT_EQ(orchestration::exit_code(orchestration::FailureKind::engine_fault), ExitCode::preflight);
    EXPECT_EQ(orchestration::to_string(orchestration::FailureKind::engine_fault), "engine fault");
}
