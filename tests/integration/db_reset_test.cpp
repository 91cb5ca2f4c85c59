// envctl db reset / reset --data on a real PostgreSQL (issue 12 §3): recreated from the template while a client
// holds a connection; refused (exit 6, nothing changed) without a current template.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/migration_project.hpp"

using envctl::test::MigrationProject;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

std::unique_ptr<envctl::db::Session> owner_session(const envctl::test::PgCluster& pg, const MigrationProject& p,
                                                   const std::string& base) {
    auto info = pg.admin_connection(p.db(base));
    info.user = p.owner(base);
    info.password = p.owner_password(base);
    return std::make_unique<envctl::db::Session>(info);
}

}  // namespace

TEST(DbReset, RecreatesEveryDatabaseFromItsTemplateEndingConnections) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
    ASSERT_EQ(p.envctl({"migrate"}).exit_code, 0);

    auto client = owner_session(*pg, p, "services_db");  // an application holding its connection
    client->exec("INSERT INTO service_categories (name, slug) VALUES ('job data', 'job-data')");
    ASSERT_EQ(p.scalar("services_db", "SELECT count(*) FROM service_categories"), "1");

    auto r = p.envctl({"db", "reset"});
    ASSERT_EQ(r.exit_code, 0) << output(r);
    EXPECT_NE(r.out.find(p.db("services_db") + ": recreated from " + p.db("services_db") + "__template (version 0003)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find(p.db("content_db") + ": recreated from"), std::string::npos) << r.out;

    EXPECT_THROW(client->exec("SELECT 1"), envctl::db::ConnectionError);  // its connection was ended
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM service_categories"), "0");  // the data is gone
    EXPECT_EQ(p.scalar("", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '" + p.db("services_db") + "'"),
              p.owner("services_db"));
    EXPECT_EQ(p.scalar("", "SELECT has_database_privilege('" + p.owner("content_db") + "', '" + p.db("services_db") +
                               "', 'CONNECT')"),
              "f");  // isolated as before
    auto st = p.envctl({"migrate", "status", "--json"});
    ASSERT_EQ(st.exit_code, 0) << output(st);  // migrated, compliant, the template matching
    auto doc = nlohmann::json::parse(st.out);
    EXPECT_EQ(doc["databases"][0]["compliant"], true);
    EXPECT_EQ(doc["databases"][0]["template"]["matches"], true);

    // reset --data and --database: the same, for the named one only.
    owner_session(*pg, p, "services_db")->exec("INSERT INTO service_categories (name, slug) VALUES ('a', 'a')");
    owner_session(*pg, p, "content_db")->exec("CREATE TABLE scratch_notes (id int)");
    ASSERT_EQ(p.envctl({"db", "reset", "--database", p.db("content_db")}).exit_code, 0);
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM service_categories"), "1");
    EXPECT_EQ(p.scalar("content_db", "SELECT to_regclass('scratch_notes') IS NULL"), "t");
    auto data = p.envctl({"reset", "--data"});
    ASSERT_EQ(data.exit_code, 0) << output(data);
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM service_categories"), "0");
    // The no-op path vouches for the recreated databases.
    auto again = p.envctl({"migrate"});
    ASSERT_EQ(again.exit_code, 0) << output(again);
    EXPECT_NE(again.out.find("unchanged since its last full comparison"), std::string::npos) << again.out;
}

TEST(DbReset, WithoutACurrentTemplateItRefusesWithExitSixAndChangesNothing) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
    ASSERT_EQ(p.envctl({"migrate"}).exit_code, 0);
    owner_session(*pg, p, "services_db")->exec("INSERT INTO service_categories (name, slug) VALUES ('kept', 'kept')");

    p.admin()->exec("ALTER DATABASE " + p.db("content_db") + "__template WITH IS_TEMPLATE false");
    p.admin()->exec("DROP DATABASE " + p.db("content_db") + "__template");
    auto r = p.envctl({"db", "reset"});
    EXPECT_EQ(r.exit_code, 6) << output(r);
    EXPECT_NE(r.err.find("has no template " + p.db("content_db") + "__template"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("`envctl reset`"), std::string::npos) << r.err;
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM service_categories"), "1");  // not even the other one

    ASSERT_EQ(p.envctl({"migrate"}).exit_code, 0);  // rebuilds the missing template
    p.write_migration("services_db", "0004_more.sql", "SELECT 1;\n");
    auto stale = p.envctl({"reset", "--data"});
    EXPECT_EQ(stale.exit_code, 6) << output(stale);
    EXPECT_NE(stale.err.find("not compliant with the migrations on disk"), std::string::npos) << stale.err;
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM service_categories"), "1");
}
