// Environments side by side (issue 12 §4): two projects of one checkout under ENVCTL_PORTS=auto, the env file's
// POSTGRES_PORT taken by another program, both `up`s at once; status, a lease in each, `down` of one leaves the other untouched.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <future>
#include <set>

#include "support/busybox_image.hpp"
#include "support/core_project.hpp"
#include "support/engine_stack.hpp"
#include "support/port_holder.hpp"
#include "support/prerequisite.hpp"

using nlohmann::json;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

template <typename F>
struct Finally {
    F fn;
    ~Finally() { fn(); }
};
template <typename F>
Finally(F) -> Finally<F>;

}  // namespace

TEST(PortsAuto, TwoProjectsOfOneCheckoutSideBySideAroundATakenPort) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::core_images_present(&why), why);

    // One checkout, two projects; ports auto; a shared lock folder, so both use the host's one port registry.
    envctl::test::CoreProject checkout({{"ENVCTL_PROJECT", "pauto-a"}, {"ENVCTL_PORTS", "auto"}});
    const std::map<std::string, std::string> b{{"ENVCTL_PROJECT", "pauto-b"}};
    Finally down_b{[&] { checkout.envctl({"down", "--volumes"}, b); }};
    // The env file's POSTGRES_PORT (5432) is taken by another program.
    envctl::test::PortHolder other(5432);
    (void)other;

    // Both `up`s at once, as two CI jobs start: the port choice is made under the host-wide lock, never twice.
    auto pending_a = std::async(std::launch::async, [&] { return checkout.envctl({"up"}); });
    auto up_b = checkout.envctl({"up"}, b);
    auto up_a = pending_a.get();
    ASSERT_EQ(up_a.exit_code, 0) << output(up_a);
    ASSERT_EQ(up_b.exit_code, 0) << output(up_b);

    auto env_of = [&](const std::map<std::string, std::string>& extra) {
        auto r = checkout.envctl({"env", "--format", "json"}, extra);
        EXPECT_EQ(r.exit_code, 0) << output(r);
        return json::parse(r.out);
    };
    const auto env_a = env_of({}), env_b = env_of(b);
    EXPECT_EQ(env_a["project"], "pauto-a");
    EXPECT_EQ(env_b["project"], "pauto-b");
    std::set<std::string> ports_a;
    for (const auto& [name, port] : env_a["variables"].items()) {
        EXPECT_NE(port, "5432") << name;
        ports_a.insert(port.get<std::string>());
    }
    for (const auto& [name, port] : env_b["variables"].items()) EXPECT_FALSE(ports_a.count(port.get<std::string>())) << name;

    // Every later command uses the recorded choice: status reaches postgresql where env says it is.
    for (const auto* extra : {&env_a, &env_b}) {
        auto status = checkout.envctl({"status", "--json"}, extra == &env_b ? b : std::map<std::string, std::string>{});
        ASSERT_EQ(status.exit_code, 0) << output(status);
        const auto doc = json::parse(status.out);
        for (const auto& s : doc["services"])
            if (s["name"] == "postgresql") {
                EXPECT_EQ(s["endpoint"], (*extra)["endpoints"]["postgresql"]);
            }
    }
    auto lease_a = checkout.envctl({"db", "lease", "--json"});
    auto lease_b = checkout.envctl({"db", "lease", "--json"}, b);
    ASSERT_EQ(lease_a.exit_code, 0) << output(lease_a);
    ASSERT_EQ(lease_b.exit_code, 0) << output(lease_b);
    EXPECT_NE(json::parse(lease_a.out)["url"].get<std::string>().find(":" + env_a["variables"]["POSTGRES_PORT"].get<std::string>() + "/"),
              std::string::npos) << lease_a.out;
    EXPECT_NE(json::parse(lease_b.out)["url"].get<std::string>().find(":" + env_b["variables"]["POSTGRES_PORT"].get<std::string>() + "/"),
              std::string::npos) << lease_b.out;
    EXPECT_TRUE(std::filesystem::exists(checkout.dir() / ".envctl/projects/pauto-a/ports.json"));
    EXPECT_TRUE(std::filesystem::exists(checkout.dir() / ".envctl/projects/pauto-b/ports.json"));
    EXPECT_TRUE(std::filesystem::exists(checkout.dir() / ".envctl/projects/pauto-b/state.json"));

    // `down` of one: its ports released, the other untouched (still ready, same ports, its lease still listed).
    auto down_a = checkout.envctl({"down", "--volumes"});
    ASSERT_EQ(down_a.exit_code, 0) << output(down_a);
    EXPECT_FALSE(std::filesystem::exists(checkout.dir() / ".envctl/projects/pauto-a/ports.json"));
    EXPECT_TRUE(envctl::test::podman({"ps", "-aq", "--filter", "label=io.podman.compose.project=pauto-a"}).out.empty());
    auto status_b = checkout.envctl({"status", "--json"}, b);
    EXPECT_EQ(status_b.exit_code, 0) << output(status_b);
    EXPECT_EQ(env_of(b)["variables"], env_b["variables"]);
    auto leases_b = checkout.envctl({"db", "leases", "--json"}, b);
    ASSERT_EQ(leases_b.exit_code, 0) << output(leases_b);
    EXPECT_EQ(json::parse(leases_b.out)["leases"].size(), 1u) << leases_b.out;
}
