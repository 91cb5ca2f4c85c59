// `envctl images check|list|build` on the real binary, against tests/data/images/stack.yaml: images-absent runs
// an image nothing builds and no registry serves; images-pg and images-cache stand in for services whose
// "upstream" image is unavailable but whose local image (PostgreSQL, Redis) is built.
#include <string>
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/images_fixture.hpp"
#include "support/prerequisite.hpp"

namespace envctl::test {
namespace {

using namespace std::chrono_literals;

const std::string kStack = std::string(ENVCTL_TEST_DATA) + "/images/stack.yaml";

subprocess::Result envctl(std::vector<std::string> args, const subprocess::Environment& env = {}) {
    args.insert(args.begin(), {"--stack", kStack});
    return run_envctl(args, 120s, env);
}

class ImagesCli : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        bool ready = ensure_local_images(&why);
        REQUIRE_PREREQUISITE(ready, why);
    }
};

TEST_F(ImagesCli, CheckNamesTheMissingUnpullableImageAndItsFix) {
    auto r = envctl({"--profile", "missing", "images", "check"});
    EXPECT_EQ(r.exit_code, 7) << r.out << r.err;
    EXPECT_NE(r.out.find("images-absent: localhost/envctl-test/absent:1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fix: needs registry access"), std::string::npos) << r.out;
}

TEST_F(ImagesCli, CheckJsonListsEachMissingService) {
    auto r = envctl({"--profile", "missing", "images", "check", "--json"});
    EXPECT_EQ(r.exit_code, 7) << r.err;
    auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["schema"], "envctl.images-check/v1");
    EXPECT_EQ(doc["ok"], false);
    EXPECT_EQ(doc["images"], "upstream");
    ASSERT_EQ(doc["missing"].size(), 1u) << r.out;
    EXPECT_EQ(doc["missing"][0]["service"], "images-absent");
    EXPECT_EQ(doc["missing"][0]["image"], "localhost/envctl-test/absent:1");
    EXPECT_NE(doc["missing"][0]["fix"].get<std::string>().find("needs registry access"), std::string::npos);
}

TEST_F(ImagesCli, UpstreamFlavourPointsAtTheLocalImageThatIsThere) {
    // images-cache depends on images-pg: both are checked.
    auto r = envctl({"--profile", "cache", "images", "check"});
    EXPECT_EQ(r.exit_code, 7) << r.out << r.err;
    EXPECT_NE(r.out.find("images-pg: localhost/envctl-test/upstream-postgres:16"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("use the local image localhost/envctl/postgresql:15 (present): --images local"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("images-cache: localhost/envctl-test/upstream-redis:7"), std::string::npos) << r.out;
}

TEST_F(ImagesCli, LocalFlavourFindsEverythingByFlagOrVariable) {
    auto by_flag = envctl({"--profile", "cache", "--images", "local", "images", "check"});
    EXPECT_EQ(by_flag.exit_code, 0) << by_flag.out << by_flag.err;
    EXPECT_NE(by_flag.out.find("present or pullable"), std::string::npos) << by_flag.out;
    auto by_variable = envctl({"--profile", "cache", "images", "check"}, {{"ENVCTL_IMAGES", "local"}});
    EXPECT_EQ(by_variable.exit_code, 0) << by_variable.out << by_variable.err;
}

TEST_F(ImagesCli, ListShowsBothImagesAndWhichArePresent) {
    auto r = envctl({"--profile", "cache", "--images", "local", "images", "list", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["schema"], "envctl.images-list/v1");
    EXPECT_EQ(doc["profile"], "cache");
    EXPECT_EQ(doc["images"], "local");
    ASSERT_EQ(doc["services"].size(), 2u) << r.out;
    const auto& pg = doc["services"][0];
    EXPECT_EQ(pg["name"], "images-pg");
    EXPECT_EQ(pg["upstream"]["image"], "localhost/envctl-test/upstream-postgres:16");
    EXPECT_EQ(pg["upstream"]["present"], false);
    EXPECT_EQ(pg["local"]["image"], "localhost/envctl/postgresql:15");
    EXPECT_EQ(pg["local"]["present"], true);
    EXPECT_EQ(pg["local"]["recipe"], "postgresql");
    EXPECT_EQ(pg["local"]["state"], "current");
    EXPECT_EQ(pg["selected"], "localhost/envctl/postgresql:15");

    auto absent = envctl({"--profile", "missing", "images", "list", "--json"});
    ASSERT_EQ(absent.exit_code, 0) << absent.err;
    auto missing = nlohmann::json::parse(absent.out)["services"][0];
    EXPECT_TRUE(missing["local"].is_null());
    EXPECT_EQ(missing["selected"], "localhost/envctl-test/absent:1");
}

TEST_F(ImagesCli, BuildResolvesServicesAndRecipesAndRefusesUnknownNames) {
    // Services map to their local images' recipes; both services of the cache profile are up to date.
    auto r = envctl({"--profile", "cache", "images", "build"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("localhost/envctl/postgresql:15\tup-to-date"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("localhost/envctl/redis:7\tup-to-date"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("azurite"), std::string::npos) << r.out;

    auto unknown = envctl({"images", "build", "no-such-thing"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.out << unknown.err;
    EXPECT_NE(unknown.err.find("no-such-thing"), std::string::npos) << unknown.err;
    EXPECT_NE(unknown.err.find("postgresql, redis, azurite, cosmosdb-server, busybox"), std::string::npos) << unknown.err;

    auto nothing = envctl({"images", "build", "images-absent"});
    EXPECT_EQ(nothing.exit_code, 0) << nothing.out << nothing.err;
    EXPECT_NE(nothing.err.find("images-absent: has no local image"), std::string::npos) << nothing.err;
}

}  // namespace
}  // namespace envctl::test
