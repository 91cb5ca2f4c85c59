// The README's main job on a machine without a registry: `envctl --images local --profile core up` brings up
// postgresql, redis-dapr and azurite from the local images, and ends with services_db and content_db migrated
// and compliant, as `status --json` shows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/busybox_image.hpp"
#include "support/core_project.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

}  // namespace

TEST(CoreProfileE2E, UpWithLocalImagesEndsMigratedAndCompliant) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::core_images_present(&why), why);

    const std::string project = "e2ecore";
    envctl::test::CoreProject core({{"ENVCTL_PROJECT", project}, {"POSTGRES_PORT", "26901"},
                                    {"REDIS_DAPR_PORT", "26902"}, {"AZURITE_BLOB_PORT", "26903"}});
    auto envctl = [&](const std::vector<std::string>& args) { return core.envctl(args); };

    auto up = envctl({"up"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    auto status = envctl({"status", "--json"});
    ASSERT_EQ(status.exit_code, 0) << output(status);
    envctl::test::expect_core_ready_and_migrated(nlohmann::json::parse(status.out));
    // The local flavour keeps its data apart from the upstream one.
    auto volumes = envctl::test::podman({"volume", "ls", "--format", "{{.Name}}"}).out;
    EXPECT_NE(volumes.find(project + "_postgresql-data-local"), std::string::npos) << volumes;
    for (const char* secret : {"development", "services-development", "content-development"})
        EXPECT_EQ(output(up).find(secret), std::string::npos) << secret;
}
