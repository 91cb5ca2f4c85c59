// What the engines' teardown gives each service: its descriptor's stop grace on the paths that keep data (1 s for
// a service that sets none), and its named volumes under the project's names.
#include <gtest/gtest.h>

#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/engine/factory.hpp"

using namespace envctl;

TEST(EngineTeardown, EachServiceOfTheStackHasItsStopGraceAndVolumes) {
    settings::Settings s;
    s.project = "intl";
    auto t = engine::teardown(s, descriptors::builtin_stack());
    ASSERT_EQ(t.size(), descriptors::builtin_stack().services.size());
    EXPECT_EQ(t.at("postgresql").stop_seconds, 10);
    EXPECT_EQ(t.at("authentik-postgresql").stop_seconds, 10);
    EXPECT_EQ(t.at("redis-dapr").stop_seconds, engine::kDefaultStopSeconds);
    EXPECT_EQ(engine::kDefaultStopSeconds, 1);
    EXPECT_EQ(t.at("postgresql").volumes, std::vector<std::string>{"intl_postgresql-data"});
    EXPECT_TRUE(t.at("opa").volumes.empty());
}

TEST(EngineTeardown, LocalImagesHaveTheirOwnVolumes) {
    settings::Settings s;
    s.project = "p";
    s.images = settings::ImageFlavour::local;
    auto t = engine::teardown(s, descriptors::builtin_stack());
    EXPECT_EQ(t.at("postgresql").volumes, std::vector<std::string>{"p_postgresql-data-local"});
}
