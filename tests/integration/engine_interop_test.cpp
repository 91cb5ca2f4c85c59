// The two engines share podman-compose's names and labels: podman-compose manages native containers, the native
// engine adopts podman-compose's, and both give a service identical container settings.

#include <algorithm>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

// What `podman inspect` says about a container, with the project name and ids taken out.
nlohmann::json comparable(const std::string& container, const std::string& project) {
    auto r = podman({"container", "inspect", container});
    EXPECT_TRUE(r.ok()) << r.err;
    std::string text = r.out;
    for (std::size_t pos; (pos = text.find(project)) != std::string::npos;) text.replace(pos, project.size(), "P");
    auto c = nlohmann::json::parse(text).at(0);
    const auto& config = c.at("Config");
    const auto& host = c.at("HostConfig");
    nlohmann::json mounts = nlohmann::json::array();
    for (const auto& m : c.at("Mounts")) mounts.push_back({m.value("Name", ""), m.value("Source", ""),
                                                          m.at("Destination"), m.at("RW")});
    // podman adds the container's short id as an alias of its own.
    nlohmann::json aliases = nlohmann::json::array();
    for (const auto& a : c.at("NetworkSettings").at("Networks")["P_default"].value("Aliases", nlohmann::json::array())) {
        if (c.at("Id").get<std::string>().rfind(a.get<std::string>(), 0) != 0) aliases.push_back(a);
    }
    // podman adds HOSTNAME when a container starts; the native ones here are started, podman-compose's not.
    std::vector<std::string> env;
    for (const auto& e : config.at("Env")) {
        if (e.get<std::string>().rfind("HOSTNAME=", 0) != 0) env.push_back(e.get<std::string>());
    }
    std::sort(env.begin(), env.end());
    return {
        {"name", c.at("Name")}, {"image", config.at("Image")}, {"labels", config.at("Labels")},
        {"entrypoint", config.at("Entrypoint")}, {"cmd", config.at("Cmd")}, {"env", env},
        {"healthcheck", config.value("Healthcheck", nlohmann::json())}, {"stop_signal", config.at("StopSignal")},
        {"user", config.at("User")}, {"ports", host.at("PortBindings")}, {"memory", host.at("Memory")},
        {"shm", host.at("ShmSize")}, {"caps", host.at("CapAdd")}, {"mounts", mounts},
        {"network_aliases", aliases},
    };
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
        auto a = comparable(via_compose.project() + "_" + s + "_1", via_compose.project());
        auto b = comparable(via_native.project() + "_" + s + "_1", via_native.project());
        // The run file lives in each stack's own temporary folder.
        for (auto* j : {&a, &b}) {
            (*j)["labels"].erase("com.docker.compose.project.working_dir");
            (*j)["labels"].erase("com.docker.compose.project.config_files");
            for (auto& m : (*j)["mounts"]) {
                if (m[1].get<std::string>().find("mounted.txt") != std::string::npos) m[1] = "mounted.txt";
            }
        }
        EXPECT_EQ(a.dump(2), b.dump(2)) << s;
    }
}

}  // namespace
}  // namespace envctl::test
