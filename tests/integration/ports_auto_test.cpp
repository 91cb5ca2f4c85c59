// Environments side by side (issue 12 §4): ENVCTL_PORTS=auto with the env file's port taken by another program,
// two projects of one checkout up at once (status, a lease in each, `down` of one leaves the other untouched), the
// choice kept across commands and released by `down`; `envctl env` in each format, passwords only in sh/dotenv.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <set>

#include "support/busybox_image.hpp"
#include "support/core_project.hpp"
#include "support/engine_stack.hpp"
#include "support/migration_project.hpp"
#include "support/port_holder.hpp"
#include "support/prerequisite.hpp"

using nlohmann::json;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

// Runs `fn` when it goes (cleanup of the second project of a checkout).
template <typename F>
struct Finally {
    F fn;
    ~Finally() { fn(); }
};
template <typename F>
Finally(F) -> Finally<F>;

}  // namespace

TEST(PortsEnv, EachFormatWithPasswordsOnlyInShAndDotenv) {
    REQUIRE_PG_CLUSTER(pg);
    envctl::test::MigrationProject p(*pg, {"services_db", "content_db"});
    const std::string services_key = [&] {
        std::string k = p.db("services_db") + "_URL";
        for (auto& c : k) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return k;
    }();
    const std::string secret = p.owner_password("services_db");

    auto j = p.envctl({"env", "--format", "json"});
    ASSERT_EQ(j.exit_code, 0) << output(j);
    auto doc = json::parse(j.out);
    EXPECT_EQ(doc["schema"], "envctl.env/v1");
    EXPECT_FALSE(doc["project"].get<std::string>().empty());
    EXPECT_EQ(doc["variables"]["POSTGRES_PORT"], std::to_string(pg->port()));
    EXPECT_EQ(doc["endpoints"]["postgresql"], "127.0.0.1:" + std::to_string(pg->port()));
    EXPECT_EQ(doc["databases"][services_key],
              "postgres://" + p.owner("services_db") + "@127.0.0.1:" + std::to_string(pg->port()) + "/" + p.db("services_db"));
    EXPECT_EQ(doc["databases"].size(), 2u) << j.out;
    EXPECT_EQ(output(j).find(secret), std::string::npos);
    EXPECT_EQ(output(j).find("pw-"), std::string::npos) << "no password of any kind in the JSON document";

    auto dotenv = p.envctl({"env", "--format", "dotenv"});
    ASSERT_EQ(dotenv.exit_code, 0) << output(dotenv);
    EXPECT_NE(dotenv.out.find("\nPOSTGRES_PORT=" + std::to_string(pg->port()) + "\n"), std::string::npos) << dotenv.out;
    EXPECT_NE(dotenv.out.find(services_key + "=postgres://" + p.owner("services_db") + ":" + secret + "@"), std::string::npos)
        << "dotenv carries the owner's password";
    EXPECT_EQ(dotenv.out.find("export "), std::string::npos);
    EXPECT_EQ(dotenv.err.find(secret), std::string::npos);

    // sh: eval'ed by a job, its URL logs the owner in.
    auto sh = p.envctl({"env"});
    ASSERT_EQ(sh.exit_code, 0) << output(sh);
    EXPECT_NE(sh.out.find("export " + services_key + "='postgres://"), std::string::npos) << "sh is the default";
    EXPECT_NE(sh.out.find(secret), std::string::npos);
    ASSERT_EQ(p.envctl({"migrate"}).exit_code, 0);
    envctl::subprocess::Spec spec;
    spec.argv = {"bash", "-c", "eval \"$1\" && psql \"$" + services_key + "\" -tAc 'SELECT current_user'", "job", sh.out};
    spec.timeout = std::chrono::seconds(30);
    auto job = envctl::subprocess::run(spec);
    ASSERT_EQ(job.exit_code, 0) << output(job);
    EXPECT_EQ(job.out, p.owner("services_db") + "\n");
}

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

    auto up_a = checkout.envctl({"up"});
    ASSERT_EQ(up_a.exit_code, 0) << output(up_a);
    auto up_b = checkout.envctl({"up"}, b);
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
        for (const auto& s : json::parse(status.out)["services"])
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
