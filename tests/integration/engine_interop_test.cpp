// The two engines share podman-compose's names and labels: podman-compose manages native containers, the native
// engine adopts podman-compose's, and both give a service identical container settings.

#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "envctl/engine/podman_engine.hpp"
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

// Every setting the native engine passes, on one service: through podman's API (the default) and through podman
// processes (the fallback) the container comes out the same.
engine::ProjectSpec with_every_setting(engine::ProjectSpec p) {
    engine::ServiceSpec& s = p.services.at(2);  // gamma: a volume and a read-only bind mount already
    s.user = "65534:65534";
    s.cap_add = {"NET_ADMIN"};
    s.shm_size = "32m";
    s.stop_signal = "SIGINT";
    s.stop_grace_seconds = 7;
    s.environment = {{"EXTRA", "a value with spaces"}, {"QUOTED", "it's \"quoted\""}};
    s.healthcheck = engine::Healthcheck{"wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1", "", "", "", {}};
    return p;
}

std::string create_command(const std::string& container) {
    auto r = podman({"container", "inspect", "--format", "{{json .Config.CreateCommand}}", container});
    return r.ok() ? r.out : "inspect failed: " + r.err;
}

TEST(EngineInterop, NativeEngineGivesTheSameContainersThroughPodmansApiAndThroughPodmanProcesses) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack via_api("enginetest_api_native", 25230);
    EngineTestStack via_cli("enginetest_cli_native", 25233);
    auto engine_for = [](const EngineTestStack& stack, bool use_api) {
        engine::ProjectSpec p = with_every_setting(stack.spec());
        engine::EngineProject project{stack.project(), stack.environment(), p.volume_names()};
        return std::make_unique<engine::PodmanEngine>(std::move(project), [p] { return p; }, use_api);
    };
    auto api = engine_for(via_api, true);
    auto cli = engine_for(via_cli, false);
    for (auto* e : {api.get(), cli.get()}) {
        e->create(EngineTestStack::services(), in_seconds(120));
        for (const auto& level : EngineTestStack::levels()) e->start(level, in_seconds(60));
    }
    for (const auto& s : EngineTestStack::services()) {
        const std::string a_name = via_api.project() + "_" + s + "_1";
        const std::string c_name = via_cli.project() + "_" + s + "_1";
        // Ports differ by 3 between the two stacks; the rest must be identical.
        auto a = container_settings(a_name, {{via_api.project(), "P"}, {via_api.root().string(), "D"},
                                             {std::to_string(via_api.port(s)), "PORT"}});
        auto c = container_settings(c_name, {{via_cli.project(), "P"}, {via_cli.root().string(), "D"},
                                             {std::to_string(via_cli.port(s)), "PORT"}});
        EXPECT_EQ(a.dump(2), c.dump(2)) << s;
        // podman records the command line of a container a podman process made; the API's have none.
        EXPECT_EQ(create_command(a_name), "null\n") << s;
        EXPECT_NE(create_command(c_name).find("podman"), std::string::npos) << s;
    }
    auto gamma = container_settings(via_api.project() + "_gamma_1", {});
    EXPECT_EQ(gamma["user"], "65534:65534");
    EXPECT_EQ(gamma["stop_signal"], 2);
    EXPECT_EQ(gamma["stop_timeout"], 7);
    EXPECT_EQ(gamma["shm"], 32 * 1024 * 1024);
    EXPECT_EQ(gamma["memory"], 64 * 1024 * 1024);
    EXPECT_EQ(gamma["healthcheck"]["Interval"], 30LL * 1000 * 1000 * 1000) << gamma["healthcheck"].dump();
    // The API's containers run: every service's httpd answers (404: it serves / without an index page).
    for (const auto& s : EngineTestStack::services()) {
        auto r = podman({"exec", via_api.project() + "_" + s + "_1", "/bin/busybox", "wget", "-q", "-O", "-",
                         "http://127.0.0.1:8080/"});
        EXPECT_NE((r.out + r.err).find("HTTP/1.1 404"), std::string::npos) << s << ": " << r.describe() << r.err;
    }
    api->remove_all(true, in_seconds(60));
    cli->remove_all(true, in_seconds(60));
    EXPECT_EQ(via_api.leftovers(), std::vector<std::string>{});
    EXPECT_EQ(via_cli.leftovers(), std::vector<std::string>{});
}

}  // namespace
}  // namespace envctl::test
