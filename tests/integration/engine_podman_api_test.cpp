// podman's REST API as the native engine uses it, against real podman: the service starts and answers, creates,
// starts, lists and removes, passes podman's refusals on with podman's message, reports itself unreachable once
// it is gone, and leaves neither a process nor its socket behind.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/engine/container_spec_json.hpp"
#include "envctl/engine/podman_api.hpp"
#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"

namespace envctl::test {
namespace {

Deadline in_seconds(int s) { return Clock::now() + std::chrono::seconds(s); }

// Whether any process's command line mentions `text`.
bool process_mentions(const std::string& text) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmdline.find(text) != std::string::npos) return true;
    }
    return false;
}

TEST(PodmanApi, CreatesAndStartsContainersAndEndsWithoutATrace) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack("enginetest_api", 25240);
    ASSERT_TRUE(podman({"network", "create", stack.project() + "_default"}).ok());
    engine::ProjectSpec project = stack.spec();
    const engine::ServiceSpec& beta = project.services.at(1);

    auto api = engine::PodmanApi::start(stack.environment(), in_seconds(30));
    ASSERT_NE(api, nullptr) << "podman system service did not answer";
    const std::string socket = api->socket().string();
    EXPECT_TRUE(std::filesystem::exists(socket));
    EXPECT_TRUE(process_mentions(socket));

    EXPECT_TRUE(api->create_container(engine::container_spec_json(project, beta), in_seconds(30)));
    const std::string name = stack.project() + "_beta_1";
    EXPECT_TRUE(api->start_container(name, in_seconds(30)));
    EXPECT_TRUE(api->start_container(name, in_seconds(30)));  // already running: fine
    auto state = podman({"container", "inspect", "--format", "{{.State.Status}}", name});
    EXPECT_EQ(state.out, "running\n") << state.err;

    // podman's refusals come back as errors with podman's own message.
    engine::ServiceSpec missing = beta;
    missing.name = "missing";
    missing.image = "localhost/envctl/no-such-image:0";
    missing.ports.clear();
    try {
        api->create_container(engine::container_spec_json(project, missing), in_seconds(30));
        ADD_FAILURE() << "creating from a missing image succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::service_failed);
        EXPECT_NE(std::string(e.what()).find("no-such-image"), std::string::npos) << e.what();
    }
    try {
        api->create_container(engine::container_spec_json(project, beta), in_seconds(30));
        ADD_FAILURE() << "creating a second container of the same name succeeded";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("already in use"), std::string::npos) << e.what();
    }

    // Listing by label, and removal: a running container (no grace), the network, a volume; missing ones are fine.
    ASSERT_TRUE(podman({"volume", "create", "--label", "io.podman.compose.project=" + stack.project(),
                        stack.project() + "_data"}).ok());
    const std::string label = "io.podman.compose.project=" + stack.project();
    EXPECT_EQ(api->containers_labelled(label, in_seconds(30)), std::vector<std::string>{name});
    EXPECT_EQ(api->volumes_labelled(label, in_seconds(30)), std::vector<std::string>{stack.project() + "_data"});
    EXPECT_EQ(api->containers_labelled("io.podman.compose.project=enginetest_nobody", in_seconds(30)),
              std::vector<std::string>{});
    EXPECT_TRUE(api->remove_container(name, 0, in_seconds(30)));
    EXPECT_TRUE(api->remove_container(name, 0, in_seconds(30)));
    EXPECT_TRUE(api->remove_network(stack.project() + "_default", in_seconds(30)));
    EXPECT_TRUE(api->remove_network(stack.project() + "_default", in_seconds(30)));
    EXPECT_TRUE(api->remove_volume(stack.project() + "_data", in_seconds(30)));
    EXPECT_TRUE(api->remove_volume(stack.project() + "_data", in_seconds(30)));
    EXPECT_EQ(stack.leftovers(), std::vector<std::string>{});

    api->stop();
    EXPECT_FALSE(api->start_container(name, in_seconds(30)));  // unreachable: the caller falls back
    EXPECT_FALSE(api->containers_labelled(label, in_seconds(30)).has_value());
    EXPECT_FALSE(api->remove_network(stack.project() + "_default", in_seconds(30)));
    api.reset();
    EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(socket).parent_path()));
    EXPECT_FALSE(process_mentions(socket));
}

}  // namespace
}  // namespace envctl::test
