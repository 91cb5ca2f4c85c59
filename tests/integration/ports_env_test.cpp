// `envctl env` (issue 12 §4) in each format, passwords only in sh/dotenv; the projects side by side under
// ENVCTL_PORTS=auto are in ports_side_by_side_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>

#include "support/migration_project.hpp"
#include "support/prerequisite.hpp"

using nlohmann::json;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

}  // namespace

TEST(PortsEnv, EachFormatWithPasswordsOnlyInShAndDotenv) {
    REQUIRE_PG_CLUSTER(pg);
    envctl::test::MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
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
