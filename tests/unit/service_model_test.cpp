// The one model every rendering reads: what a descriptor becomes under an image flavour.

#include <gtest/gtest.h>

#include "envctl/rendering/service_model.hpp"
#include "support/small_stack.hpp"

using envctl::rendering::service_model;
using envctl::settings::ImageFlavour;

using envctl::test::small_stack;

TEST(ServiceModel, FlavourChoosesImageAndVolumeNames) {
    const auto upstream = service_model(small_stack().get("db"), ImageFlavour::upstream);
    EXPECT_EQ(upstream.image, "postgres:16.15-alpine");
    ASSERT_EQ(upstream.volumes.size(), 1u);
    EXPECT_EQ(upstream.volumes[0].name, "db-data");
    const auto local = service_model(small_stack().get("db"), ImageFlavour::local);
    EXPECT_EQ(local.image, "localhost/envctl/postgresql:15");
    EXPECT_EQ(local.volumes[0].name, "db-data-local");
    // A service without a local image keeps its upstream one under the local flavour.
    EXPECT_EQ(service_model(small_stack().get("sidecar"), ImageFlavour::local).image, "busybox:1.36");
}

TEST(ServiceModel, HealthcheckTimingsAndReadyBudget) {
    const auto db = service_model(small_stack().get("db"), ImageFlavour::upstream);
    ASSERT_TRUE(db.healthcheck);
    EXPECT_EQ(db.healthcheck->test, "pg_isready -h 127.0.0.1 -U \"$${POSTGRES_USER}\"");  // still descriptor text
    EXPECT_EQ(db.healthcheck->interval, "10s");
    EXPECT_EQ(db.healthcheck->timeout, "5s");
    EXPECT_EQ(db.healthcheck->retries, 3);
    EXPECT_EQ(db.healthcheck->start_period, "30s");  // the default budget
    EXPECT_EQ(db.ready_budget, envctl::rendering::kDefaultReadyBudget);
    const auto web = service_model(small_stack().get("web"), ImageFlavour::upstream);
    EXPECT_EQ(web.healthcheck->start_period, "1m30s");  // format_duration, as the compose file writes it
    EXPECT_FALSE(service_model(small_stack().get("sidecar"), ImageFlavour::upstream).healthcheck);
}

TEST(ServiceModel, KeepsReferencesAndCarriesTheGroupLabel) {
    const auto db = service_model(small_stack().get("db"), ImageFlavour::upstream);
    ASSERT_FALSE(db.environment.empty());
    EXPECT_EQ(db.environment[0], (std::pair<std::string, std::string>{"POSTGRES_PASSWORD", "${DB_PASSWORD}"}));
    EXPECT_EQ(db.labels, (std::vector<std::pair<std::string, std::string>>{{"io.envctl.group", "core"}}));
    EXPECT_EQ(db.stop_signal, "SIGINT");
    EXPECT_EQ(db.stop_grace_seconds, 10);
}
