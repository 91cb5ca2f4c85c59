// Both engines on real podman / podman-compose: create and start a 3-level busybox stack level by level, list,
// log tail, exec, config-hash recreation, teardown. Each case on its own project name.

#include <algorithm>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "envctl/engine/engine.hpp"
#include "support/busybox_image.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"

namespace envctl::test {
namespace {

using engine::ContainerInfo;
using engine::ContainerState;
using engine::Engine;

Deadline in_seconds(int s) { return Clock::now() + std::chrono::seconds(s); }

std::map<std::string, ContainerInfo> by_service(Engine& e) {
    std::map<std::string, ContainerInfo> out;
    for (auto& c : e.list(in_seconds(30))) out[c.service] = c;
    return out;
}

void create_and_start(Engine& e) {
    e.create(EngineTestStack::services(), in_seconds(120));
    for (const auto& level : EngineTestStack::levels()) e.start(level, in_seconds(60));
}

class EngineLifecycle : public ::testing::TestWithParam<std::string> {
protected:
    std::unique_ptr<Engine> make(const EngineTestStack& stack) const {
        if (GetParam() == "compose") return stack.compose();
        return stack.native(GetParam() == "native");
    }
    // Each engine and case on its own project and ports.
    std::string project(const std::string& what) const { return "enginetest_" + GetParam() + "_" + what; }
    int ports(int slot) const {
        int base = GetParam() == "native" ? 0 : GetParam() == "native_processes" ? 60 : 100;
        return 25000 + base + slot * 10;
    }
    bool creates_upfront() const { return GetParam() == "compose"; }
};

TEST_P(EngineLifecycle, CreatesAndStartsLevelByLevelAndListsStateAndHash) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack(project("create"), ports(0));
    auto e = make(stack);

    e->create(EngineTestStack::services(), in_seconds(120));
    // podman-compose creates the containers here; the native engine creates each as it starts it.
    auto created = by_service(*e);
    EXPECT_EQ(created.size(), creates_upfront() ? 3u : 0u);
    for (const auto& [s, c] : created) {
        EXPECT_EQ(c.state, ContainerState::created) << s;
        EXPECT_FALSE(c.started_at_ms.has_value()) << s;
    }
    EXPECT_TRUE(podman({"network", "exists", stack.project() + "_default"}).ok());

    e->start({"alpha"}, in_seconds(60));
    auto after_first = by_service(*e);
    EXPECT_EQ(after_first["alpha"].state, ContainerState::running);
    EXPECT_EQ(after_first.count("beta"), creates_upfront() ? 1u : 0u);

    e->start({"beta"}, in_seconds(60));
    e->start({"gamma"}, in_seconds(60));
    auto running = by_service(*e);
    ASSERT_EQ(running.size(), 3u);
    for (const auto& s : EngineTestStack::services()) {
        const auto& c = running[s];
        EXPECT_EQ(c.state, ContainerState::running) << s;
        EXPECT_TRUE(c.started_at_ms.has_value()) << s;
        EXPECT_EQ(c.config_hash, "hash-" + s + "-1") << s;
        EXPECT_EQ(c.name, stack.project() + "_" + s + "_1");
        EXPECT_EQ(c.image, kBusyboxImage);
    }
    // Service names resolve on the project network, and the mounted repository file is there.
    auto wget = e->exec("gamma", {"/bin/busybox", "wget", "-q", "-O", "-", "http://alpha:8080/etc/hostname"},
                        in_seconds(30));
    EXPECT_EQ(wget.exit_code, 0) << wget.output;
    auto cat = e->exec("gamma", {"/bin/busybox", "cat", "/etc/mounted.txt"}, in_seconds(30));
    EXPECT_EQ(cat.output, "mounted by the engine tests\n");
}

TEST_P(EngineLifecycle, LogTailAndExec) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack(project("logs"), ports(1));
    auto e = make(stack);
    e->create({"alpha"}, in_seconds(120));
    e->start({"alpha"}, in_seconds(60));

    auto env = e->exec("alpha", {"/bin/busybox", "sh", "-c", "echo $GREETING $PEER; exit 3"}, in_seconds(30));
    EXPECT_EQ(env.exit_code, 3);
    EXPECT_EQ(env.output, "hello beta\n");
    EXPECT_FALSE(env.timed_out);

    auto slow = e->exec("alpha", {"/bin/busybox", "sleep", "30"}, Clock::now() + std::chrono::milliseconds(500));
    EXPECT_TRUE(slow.timed_out);

    std::vector<std::string> all = e->log_tail("alpha", 10, in_seconds(30));
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, (std::vector<std::string>{"alpha-one", "alpha-three", "alpha-two"}));
    EXPECT_EQ(e->log_tail("alpha", 1, in_seconds(30)).size(), 1u);
}

TEST_P(EngineLifecycle, ChangedConfigHashRecreatesOnlyThatContainer) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack(project("hash"), ports(2));
    create_and_start(*make(stack));
    auto before = by_service(*make(stack));

    // Nothing changed: a second create and start leave every running container alone.
    auto again = make(stack);
    again->create(EngineTestStack::services(), in_seconds(120));
    for (const auto& level : EngineTestStack::levels()) again->start(level, in_seconds(60));
    auto unchanged = by_service(*again);
    for (const auto& s : EngineTestStack::services()) {
        EXPECT_EQ(unchanged[s].id, before[s].id) << s;
        EXPECT_EQ(unchanged[s].started_at_ms, before[s].started_at_ms) << s;
        EXPECT_EQ(unchanged[s].state, ContainerState::running) << s;
    }

    stack.set_hash("beta", "hash-beta-2");
    auto changed = make(stack);
    changed->create(EngineTestStack::services(), in_seconds(120));
    auto after = by_service(*changed);
    EXPECT_EQ(after.count("beta"), creates_upfront() ? 1u : 0u);  // the old one is gone either way
    for (const auto& s : {"alpha", "gamma"}) {
        EXPECT_EQ(after[s].id, before[s].id) << s;
        EXPECT_EQ(after[s].state, ContainerState::running) << s;
    }
    changed->start({"beta"}, in_seconds(60));
    auto beta = by_service(*changed)["beta"];
    EXPECT_NE(beta.id, before["beta"].id);
    EXPECT_EQ(beta.config_hash, "hash-beta-2");
    EXPECT_EQ(beta.state, ContainerState::running);
}

TEST_P(EngineLifecycle, RemoveAllLeavesNothingBehind) {
    std::string why;
    REQUIRE_PREREQUISITE(ensure_busybox_image(&why), why);
    EngineTestStack stack(project("remove"), ports(3));
    auto e = make(stack);
    create_and_start(*e);
    ASSERT_FALSE(stack.leftovers().empty());

    // Without volumes: containers and network go, the data stays.
    e->remove_all(false, in_seconds(60));
    EXPECT_TRUE(e->list(in_seconds(30)).empty());
    auto kept = stack.leftovers();
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(kept, (std::vector<std::string>{"volume " + stack.project() + "_alpha-data",
                                              "volume " + stack.project() + "_gamma-data"}));

    create_and_start(*e);
    e->remove_all(true, in_seconds(60));
    EXPECT_EQ(stack.leftovers(), std::vector<std::string>{});
    // Removing nothing succeeds.
    e->remove_all(true, in_seconds(60));
}

// "native_processes": the native engine without podman's API (its fallback), one podman process per step.
INSTANTIATE_TEST_SUITE_P(Engines, EngineLifecycle, ::testing::Values("native", "native_processes", "compose"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace envctl::test
