// Issue 14 finding 7, on real podman and both engines: a container is recreated when what it runs changes (a
// mounted file's contents, its image's id, another checkout's files) and only then; everything else is reused.

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "envctl/engine/run_facts.hpp"
#include "support/busybox_image.hpp"
#include "support/envctl_project.hpp"
#include "support/prerequisite.hpp"
#include "support/tcp_client.hpp"
#include "support/temp_dir.hpp"

using envctl::test::EnvctlProject;
using envctl::test::podman_out;

namespace {

constexpr const char* kTestImage = "localhost/envctl-test/config-hash:1";

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

void write(const std::filesystem::path& path, const std::string& content) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

// (Re)builds the test image on top of busybox, with a label that makes its id differ from the last build's.
void build_test_image(const std::string& generation) {
    envctl::test::TempDir context;
    context.write("Containerfile", std::string("FROM ") + envctl::test::kBusyboxImage + "\nLABEL generation=" +
                                       generation + "\n");
    envctl::subprocess::Spec spec;
    spec.argv = {"podman", "build", "-q", "-t", kTestImage, context.path().string()};
    spec.timeout = std::chrono::seconds(120);
    auto r = envctl::subprocess::run(spec);
    ASSERT_TRUE(r.ok()) << r.describe() << r.err;
}

class ConfigHashE2E : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        std::string why;
        REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
        REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
        build_test_image("1");
    }
    void TearDown() override { podman_out({"rmi", "-f", kTestImage}); }

    int base() const { return GetParam() == "podman" ? 27600 : 27610; }

    std::unique_ptr<EnvctlProject> project(const std::string& name) const {
        auto p = std::make_unique<EnvctlProject>(
            name, "e2e/config_hash_stack.yaml",
            std::map<std::string, std::string>{{"E2E_SITE_PORT", std::to_string(base())},
                                               {"E2E_PLAIN_PORT", std::to_string(base() + 1)},
                                               {"ENVCTL_ENGINE", GetParam()}});
        write(p->dir() / "site/index.html", "first\n");
        return p;
    }

    // Service -> container id, after an `up` that must succeed.
    static std::map<std::string, std::string> up(const EnvctlProject& p) {
        auto r = p.run({"--profile", "hash", "up"});
        EXPECT_EQ(r.exit_code, 0) << output(r);
        std::map<std::string, std::string> ids;
        for (const auto& service : {"site", "plain"})
            ids[service] = podman_out({"container", "inspect", "--format", "{{.Id}}", p.name() + "_" + service + "_1"});
        return ids;
    }
};

}  // namespace

TEST_P(ConfigHashE2E, RecreatesExactlyWhatChanged) {
    const std::string name = std::string("cfghash-") + (GetParam() == "podman" ? "n" : "c");
    auto p = project(name);
    const auto first = up(*p);
    ASSERT_FALSE(first.at("site").empty());

    EXPECT_EQ(up(*p), first) << "nothing changed: both containers are reused";

    write(p->dir() / "site/index.html", "second\n");
    const auto edited = up(*p);
    EXPECT_NE(edited.at("site"), first.at("site")) << "the mounted file changed: site is recreated";
    EXPECT_EQ(edited.at("plain"), first.at("plain")) << "plain mounts nothing: reused";
    std::string last;
    auto served = envctl::test::exchange_until(base(), "GET /index.html HTTP/1.0\r\n\r\n", "second",
                                               std::chrono::seconds(10), &last);
    EXPECT_TRUE(served.has_value()) << "the recreated container serves the new file: " << last;

    build_test_image("2");
    const auto rebuilt = up(*p);
    EXPECT_NE(rebuilt.at("plain"), edited.at("plain")) << "plain's image was rebuilt: plain is recreated";
    EXPECT_EQ(rebuilt.at("site"), edited.at("site")) << "site's image did not change: reused";

    // The same project from a second checkout: site must mount that checkout's file, plain runs the same.
    auto second = project(name);
    write(second->dir() / "site/index.html", "second\n");
    const auto other = up(*second);
    EXPECT_NE(other.at("site"), rebuilt.at("site")) << "another checkout's file: site is recreated";
    EXPECT_EQ(other.at("plain"), rebuilt.at("plain"));
    p.reset();
}

TEST(LocalImageIds, PresentImagesByIdAbsentOnesLeftOut) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    const std::string busybox = envctl::test::kBusyboxImage;
    const std::string id = podman_out({"image", "inspect", "--format", "{{.Id}}", busybox});
    ASSERT_FALSE(id.empty());
    const auto env = envctl::subprocess::current_environment();
    const auto deadline = envctl::Clock::now() + std::chrono::seconds(30);
    auto both = envctl::engine::local_image_ids({"localhost/envctl-test/absent:1", busybox}, env, deadline);
    EXPECT_EQ(both, (std::map<std::string, std::string>{{busybox, id.substr(0, id.find('\n'))}}));
    EXPECT_EQ(envctl::engine::local_image_ids({busybox}, env, deadline), both);
    EXPECT_TRUE(envctl::engine::local_image_ids({"localhost/envctl-test/absent:1"}, env, deadline).empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, ConfigHashE2E, ::testing::Values("podman", "podman-compose"),
                         [](const auto& param_info) { return param_info.param == "podman" ? "native" : "compose"; });
