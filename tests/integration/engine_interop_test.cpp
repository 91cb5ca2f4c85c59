// The two engines share podman-compose's names and labels: podman-compose manages native containers, the native
// engine adopts podman-compose's, and both give a service identical container settings.

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"

namespace envctl::test {
namespace {

using engine::ContainerState;

Deadline in_seconds(int s) { return Clock::now() + std::chrono::seconds(s); }

TEST(EngineInterop, PodmanComposeSeesAndManagesNativeContainers) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack("enginetest_interop_native", 25200);
    auto native = stack.native();
    native->create(EngineTestStack::services(), in_seconds(120));
    for (const auto& level : EngineTestStack::levels()) native->start(level, in_seconds(60));

    auto ps = stack.podman_compose({"ps"});
    ASSERT_TRUE(ps.ok()) << ps.describe() << ps.err;
    for (const auto& s : EngineTestStack::services()) {
        EXPECT_NE(ps.out.find(stack.project() + "_" + s + "_1"), std::string::npos) << s << "\n" << ps.out;
    }
    auto logs = stack.podman_compose({"logs", "alpha"});
    EXPECT_NE(logs.out.find("alpha-three"), std::string::npos) << logs.out << logs.err;

    auto down = stack.podman_compose({"down", "-t", "0"});
    ASSERT_TRUE(down.ok()) << down.describe() << down.err;
    EXPECT_TRUE(native->list(in_seconds(30)).empty());
}

TEST(EngineInterop, NativeEngineAdoptsPodmanComposeContainers) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack("enginetest_interop_compose", 25210);
    stack.compose()->create(EngineTestStack::services(), in_seconds(120));

    auto native = stack.native();
    auto listed = native->list(in_seconds(30));
    ASSERT_EQ(listed.size(), 3u);
    std::map<std::string, std::string> ids;
    for (const auto& c : listed) {
        EXPECT_EQ(c.config_hash, "hash-" + c.service + "-1");
        EXPECT_EQ(c.state, ContainerState::created);
        ids[c.service] = c.id;
    }
    // Same settings: nothing to recreate; the native engine starts podman-compose's containers.
    native->create(EngineTestStack::services(), in_seconds(120));
    for (const auto& level : EngineTestStack::levels()) native->start(level, in_seconds(60));
    for (const auto& c : native->list(in_seconds(30))) {
        EXPECT_EQ(c.id, ids[c.service]) << c.service;
        EXPECT_EQ(c.state, ContainerState::running) << c.service;
    }
    native->remove_all(true, in_seconds(60));
    EXPECT_EQ(stack.leftovers(), std::vector<std::string>{});
}

TEST(EngineInterop, BothEnginesGiveAServiceIdenticalContainerSettings) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack via_compose("enginetest_parity_compose", 25220);
    // Same ports: podman-compose's containers are only created, so the native ones can publish them.
    EngineTestStack via_native("enginetest_parity_native", 25220);
    via_compose.compose()->create(EngineTestStack::services(), in_seconds(120));
    auto native = via_native.native();
    native->create(EngineTestStack::services(), in_seconds(120));
    native->start(EngineTestStack::services(), in_seconds(120));
    for (const auto& s : EngineTestStack::services()) {
        // Each stack runs its own copy of the file, in its own temporary folder.
        auto a = container_settings(via_compose.project() + "_" + s + "_1",
                                    {{via_compose.project(), "P"}, {via_compose.root().string(), "D"}});
        auto b = container_settings(via_native.project() + "_" + s + "_1",
                                    {{via_native.project(), "P"}, {via_native.root().string(), "D"}});
        EXPECT_EQ(a.dump(2), b.dump(2)) << s;
    }
}

}  // namespace
}  // namespace envctl::test
