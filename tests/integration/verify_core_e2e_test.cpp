// `envctl verify` against the real core profile (--images local): after `up --verify` every check passes (ready, published
// ports, connect from inside the project network, migrations); `--list --json` has the contract's shape; the JUnit
// file parses as XML (python3's xml.etree) with one testsuite per category; with redis-dapr's container stopped
// verify exits 4 naming it; with nothing running it exits 5. No envctl-verify-* container is left behind.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "envctl/orchestration/state.hpp"
#include "support/busybox_image.hpp"
#include "support/core_project.hpp"
#include "support/engine_stack.hpp"
#include "support/prerequisite.hpp"

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

std::string verify_leftovers() {
    return envctl::test::podman({"ps", "-a", "--filter", "name=envctl-verify-", "--format", "{{.Names}}"}).out;
}

}  // namespace

TEST(VerifyCoreE2E, PassesOnTheCoreProfileAndNamesAStoppedService) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::core_images_present(&why), why);

    const std::string project = "e2everify";
    envctl::test::CoreProject core({{"ENVCTL_PROJECT", project}, {"POSTGRES_PORT", "26911"}, {"REDIS_DAPR_PORT", "26912"},
                                    {"AZURITE_BLOB_PORT", "26913"}, {"CI", "true"}});
    auto envctl = [&](const std::vector<std::string>& args) { return core.envctl(args); };
    // --list runs nothing: it works before anything is up.
    auto list = envctl({"verify", "--list", "--json"});
    ASSERT_EQ(list.exit_code, 0) << output(list);
    auto listed = nlohmann::json::parse(list.out);
    EXPECT_EQ(listed["schema"], "envctl.verify-list/v1");
    std::set<std::string> names;
    for (const auto& c : listed["checks"]) {
        EXPECT_EQ(c.size(), 3u) << c.dump();
        names.insert(c["category"].get<std::string>() + "/" + c["service"].get<std::string>() + "/" + c["name"].get<std::string>());
    }
    for (const char* n : {"environment/postgresql/ready", "environment/redis-dapr/connect", "environment/azurite/port AZURITE_BLOB_PORT",
                          "migrations/postgresql/database services_db", "migrations/postgresql/database content_db"})
        EXPECT_TRUE(names.count(n)) << n << " in " << list.out;

    auto nothing = envctl({"verify"});
    EXPECT_EQ(nothing.exit_code, 5) << output(nothing);

    // up --verify: ready, then the whole suite gates the hand-over; status shows the result and its age.
    auto up = envctl({"up", "--verify", "--json"});
    ASSERT_EQ(up.exit_code, 0) << output(up);
    auto up_doc = nlohmann::json::parse(up.out);
    EXPECT_TRUE(up_doc["verify"]["passed"].get<bool>()) << up.out;
    EXPECT_EQ(up_doc["verify"]["schema"], "envctl.verify/v1");
    auto shown = envctl({"status"});
    EXPECT_EQ(shown.exit_code, 0) << output(shown);
    EXPECT_NE(shown.out.find("last verify (up --verify): passed"), std::string::npos) << shown.out;

    const auto junit = core.dir() / "verify.xml";
    auto ok = envctl({"verify", "--json", "--junit", junit.string()});
    ASSERT_EQ(ok.exit_code, 0) << output(ok);
    auto doc = nlohmann::json::parse(ok.out);
    EXPECT_EQ(doc["schema"], "envctl.verify/v1");
    EXPECT_EQ(doc["project"], project);
    EXPECT_TRUE(doc["passed"].get<bool>()) << ok.out;
    std::map<std::string, std::string> status;
    for (const auto& c : doc["checks"])
        status[c["category"].get<std::string>() + "/" + c["service"].get<std::string>() + "/" + c["name"].get<std::string>()] = c["status"];
    for (const char* n : {"environment/postgresql/ready", "environment/redis-dapr/ready", "environment/azurite/ready",
                          "environment/postgresql/port POSTGRES_PORT", "environment/postgresql/connect",
                          "environment/redis-dapr/connect", "environment/azurite/connect",
                          "migrations/postgresql/database services_db", "migrations/postgresql/database content_db",
                          "migrations/postgresql/isolation services_db", "migrations/postgresql/isolation content_db"})
        EXPECT_EQ(status[n], "pass") << n << "\n" << ok.out;
    // dapr: the state store round trip on the real redis-dapr, and the dapr/ files.
    EXPECT_EQ(status["dapr/redis-dapr/state store"], "pass") << ok.out;
    EXPECT_EQ(status["dapr/dapr//files"], "pass") << ok.out;
    // azure: azurite's Shared Key blob round trip on the real emulator (the core profile's only azure service).
    EXPECT_EQ(status["azure/azurite/blob round trip"], "pass") << ok.out;
    ASSERT_EQ(doc["categories"].size(), 4u) << ok.out;
    EXPECT_EQ(verify_leftovers(), "");
    // redis-cli, the official client, finds no envctl-verify-* key left.
    auto keys = envctl::test::podman({"exec", project + "_redis-dapr_1", "redis-cli", "--scan", "--pattern", "envctl-verify-*"});
    ASSERT_TRUE(keys.ok()) << output(keys);
    EXPECT_EQ(keys.out, "");

    // The JUnit file read back by a real XML parser.
    envctl::subprocess::Spec py;
    py.argv = {"python3", "-c",
               "import sys, xml.etree.ElementTree as E\n"
               "r = E.parse(sys.argv[1]).getroot()\n"
               "for s in r.findall('testsuite'):\n"
               "    print(s.get('name'), s.get('tests'), s.get('failures'), len(s.findall('testcase')))\n",
               junit.string()};
    auto parsed = envctl::subprocess::run(py);
    ASSERT_EQ(parsed.exit_code, 0) << output(parsed);
    EXPECT_NE(parsed.out.find("migrations 4 0 4"), std::string::npos) << parsed.out;
    EXPECT_NE(parsed.out.find("environment "), std::string::npos) << parsed.out;
    std::ifstream in(junit);
    const std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* secret : {"services-development", "content-development"}) {
        EXPECT_EQ(xml.find(secret), std::string::npos) << secret;
        EXPECT_EQ(output(ok).find(secret), std::string::npos) << secret;
    }

    // Sabotage: a Dapr component naming a host that is no service of the stack. The services stay ready:
    // wait-ready --verify fails on the suite (exit 4), naming the check, and status shows it.
    const auto bad = core.dir() / "dapr" / "components" / "broken.yaml";
    {
        std::ofstream out(bad);
        out << "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: broken\nspec:\n  metadata:\n"
               "    - name: redisHost\n      value: \"redis:6379\"\n";
    }
    auto gated = envctl({"wait-ready", "--verify", "--timeout", "30s"});
    EXPECT_EQ(gated.exit_code, 4) << output(gated);
    EXPECT_NE(gated.err.find("wait-ready --verify: every service is ready, but"), std::string::npos) << gated.err;
    EXPECT_NE(gated.err.find("dapr dapr/ files"), std::string::npos) << gated.err;
    EXPECT_NE(gated.err.find("names redis, which is not a service of the stack"), std::string::npos) << gated.err;
    auto last = envctl({"status", "--json"});
    auto last_doc = nlohmann::json::parse(last.out);
    EXPECT_FALSE(last_doc["last_verify"]["passed"].get<bool>()) << last.out;
    EXPECT_EQ(last_doc["last_verify"]["command"], "wait-ready --verify");
    EXPECT_EQ(last_doc["last_verify"]["exit_code"], 4);
    // up --verify with the same sabotage: the services are ready, the suite fails the up (exit 4), and state.json
    // records the run as failed with that exit code and why, so a later wait-ready does not hand it over.
    auto gated_up = envctl({"up", "--verify"});
    EXPECT_EQ(gated_up.exit_code, 4) << output(gated_up);
    auto state = envctl::orchestration::read_state(core.dir() / ".envctl/projects" / project / "state.json");
    ASSERT_TRUE(state.has_value());
    EXPECT_EQ(state->phase, envctl::orchestration::Phase::failed);
    EXPECT_EQ(state->failure_code, 4);
    EXPECT_NE(state->failure.find("up --verify: every service is ready, but"), std::string::npos) << state->failure;
    std::filesystem::remove(bad);
    // Mended, the next up --verify records the run ready again, and wait-ready --verify hands it over.
    auto mended = envctl({"up", "--verify"});
    EXPECT_EQ(mended.exit_code, 0) << output(mended);
    state = envctl::orchestration::read_state(core.dir() / ".envctl/projects" / project / "state.json");
    ASSERT_TRUE(state.has_value());
    EXPECT_EQ(state->phase, envctl::orchestration::Phase::ready);
    auto passing = envctl({"wait-ready", "--verify", "--json"});
    EXPECT_EQ(passing.exit_code, 0) << output(passing);
    EXPECT_TRUE(nlohmann::json::parse(passing.out)["verify"]["passed"].get<bool>()) << passing.out;

    // Sabotage: redis-dapr's container stopped.
    auto stop = envctl::test::podman({"stop", "-t", "2", project + "_redis-dapr_1"});
    ASSERT_TRUE(stop.ok()) << output(stop);
    auto broken = envctl({"verify"});
    EXPECT_EQ(broken.exit_code, 4) << output(broken);
    EXPECT_NE(broken.out.find("fail environment redis-dapr ready"), std::string::npos) << broken.out;
    EXPECT_NE(broken.out.find("skipped environment redis-dapr connect"), std::string::npos) << broken.out;
    EXPECT_NE(broken.out.find("pass environment postgresql connect"), std::string::npos) << broken.out;
    EXPECT_NE(broken.out.find("pass migrations postgresql isolation services_db"), std::string::npos) << broken.out;
    EXPECT_NE(broken.out.find("skipped dapr redis-dapr state store"), std::string::npos) << broken.out;

    // Sabotage: content_db open to every role, so services_db's owner is no longer refused by it.
    auto grant = envctl::test::podman({"exec", project + "_postgresql_1", "psql", "-U", "postgres", "-d", "international_center", "-c",
                                       "GRANT CONNECT ON DATABASE content_db TO PUBLIC"});
    ASSERT_TRUE(grant.ok()) << output(grant);
    auto open = envctl({"verify", "--category", "migrations"});
    EXPECT_EQ(open.exit_code, 4) << output(open);
    EXPECT_NE(open.out.find("fail migrations postgresql isolation services_db"), std::string::npos) << open.out;
    EXPECT_NE(open.out.find("services_db_owner can connect to content_db"), std::string::npos) << open.out;
    EXPECT_EQ(verify_leftovers(), "");
}

