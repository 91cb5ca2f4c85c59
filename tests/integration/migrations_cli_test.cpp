// envctl migrate / migrate status as a user runs them: exit codes, output, two processes at once, hostile names.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <future>

#include "support/migration_project.hpp"

using envctl::test::MigrationProject;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

}  // namespace

TEST(MigrateCommand, MigratesThenStatusJsonShowsEveryDatabaseCompliant) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
    auto r = p.envctl({"migrate"});
    ASSERT_EQ(r.exit_code, 0) << output(r);
    EXPECT_NE(r.out.find(p.db("services_db") + ": created; applied 3"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("compliant"), std::string::npos);

    auto st = p.envctl({"migrate", "status", "--json"});
    ASSERT_EQ(st.exit_code, 0) << output(st);
    auto doc = nlohmann::json::parse(st.out);
    EXPECT_EQ(doc["schema"], "envctl.migrate-status/v1");
    ASSERT_EQ(doc["databases"].size(), 2u);
    EXPECT_EQ(doc["databases"][0]["name"], p.db("services_db"));
    EXPECT_EQ(doc["databases"][0]["version"], 3);
    EXPECT_EQ(doc["databases"][0]["pending"], nlohmann::json::array());
    EXPECT_EQ(doc["databases"][0]["drift"], nlohmann::json::array());
    EXPECT_EQ(doc["databases"][0]["compliant"], true);
    EXPECT_EQ(doc["databases"][1]["version"], 4);

    // No password in anything envctl printed.
    for (const auto& secret : {pg->password(), p.owner_password("services_db"), p.owner_password("content_db")}) {
        EXPECT_EQ(output(r).find(secret), std::string::npos);
        EXPECT_EQ(output(st).find(secret), std::string::npos);
    }
}

TEST(MigrateCommand, StatusExitsSixWhenNotCompliantOrPending) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    ASSERT_EQ(p.envctl({"migrate"}).exit_code, 0);
    p.admin("services_db")->exec("ALTER TABLE services ADD COLUMN rating integer");
    auto st = p.envctl({"migrate", "status"});
    EXPECT_EQ(st.exit_code, 6) << output(st);
    EXPECT_NE(st.out.find("NOT compliant"), std::string::npos) << st.out;
    EXPECT_NE(st.out.find("extra column services.rating (integer)"), std::string::npos) << st.out;

    p.write_migration("services_db", "0004_more.sql", "SELECT 1;\n");
    auto json = p.envctl({"migrate", "status", "--json"});
    EXPECT_EQ(json.exit_code, 6);
    auto doc = nlohmann::json::parse(json.out);
    EXPECT_EQ(doc["databases"][0]["pending"], nlohmann::json::array({"0004_more.sql"}));
    EXPECT_EQ(doc["databases"][0]["compliant"], false);
}

TEST(MigrateCommand, ABrokenMigrationExitsSixNamingFilePositionAndMessage) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_broken.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id nosuchtype);\n");
    auto r = p.envctl({"migrate"});
    EXPECT_EQ(r.exit_code, 6) << output(r);
    EXPECT_NE(r.out.find("0001_broken.sql, line 2, column 20: ERROR:  type \"nosuchtype\" does not exist"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("statement: CREATE TABLE b (id nosuchtype)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("keeps nothing of 0001_broken.sql"), std::string::npos) << r.out;
    EXPECT_EQ(p.scalar("services_db", "SELECT to_regclass('a') IS NULL"), "t");
}

TEST(MigrateCommand, PastMigrationTimeoutItExitsSix) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_slow.sql", "SELECT pg_sleep(60);\n");
    auto r = p.envctl({"migrate"}, {{"MIGRATION_TIMEOUT", "1s"}});
    EXPECT_EQ(r.exit_code, 6) << output(r);
    EXPECT_NE(r.out.find("MIGRATION_TIMEOUT (1s) ran out"), std::string::npos) << r.out;
    EXPECT_LT(r.elapsed, std::chrono::seconds(20));
}

TEST(MigrateCommand, OneDatabaseWithDatabaseOption) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
    auto r = p.envctl({"migrate", "--database", p.db("content_db")});
    ASSERT_EQ(r.exit_code, 0) << output(r);
    EXPECT_EQ(p.scalar("", "SELECT count(*) FROM pg_database WHERE datname = '" + p.db("services_db") + "'"), "0");
    EXPECT_EQ(p.scalar("", "SELECT count(*) FROM pg_database WHERE datname = '" + p.db("content_db") + "'"), "1");
    auto bad = p.envctl({"migrate", "--database", "nope_db"});
    EXPECT_EQ(bad.exit_code, 2) << output(bad);
    EXPECT_NE(bad.err.find("nope_db"), std::string::npos);
}

TEST(MigrateCommand, HostileDatabaseNamesAreRefusedAndNothingIsCreated) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    const auto before = p.scalar("", "SELECT count(*) FROM pg_database");
    const auto roles = p.scalar("", "SELECT count(*) FROM pg_roles");
    for (const std::string hostile : {"x\";DROP DATABASE postgres;--", "two words", "Upper_Case", "semi;colon", "quo'te"}) {
        auto r = p.envctl({"migrate"}, {{"POSTGRES_MULTIPLE_DATABASES", p.db("services_db") + "," + hostile}});
        EXPECT_EQ(r.exit_code, 2) << hostile << ": " << output(r);
        EXPECT_NE(r.err.find("POSTGRES_MULTIPLE_DATABASES"), std::string::npos) << r.err;
    }
    EXPECT_EQ(p.scalar("", "SELECT count(*) FROM pg_database"), before);
    EXPECT_EQ(p.scalar("", "SELECT count(*) FROM pg_roles"), roles);
}

TEST(MigrateCommand, TwoMigratorProcessesAtOnceApplyEachFileExactlyOnce) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    // Every file logs itself into a table without a unique key: a file applied twice would leave two rows.
    p.write_migration("services_db", "0001_log.sql", "CREATE TABLE applied_log (version int, at timestamptz DEFAULT clock_timestamp());\n");
    constexpr int kFiles = 20;
    for (int v = 2; v <= kFiles; ++v) {
        char name[32];
        std::snprintf(name, sizeof name, "%04d_step.sql", v);
        p.write_migration("services_db", name,
                          "INSERT INTO applied_log (version) VALUES (" + std::to_string(v) + ");\nSELECT pg_sleep(0.02);\n");
    }
    // Separate project-lock folders, so only PostgreSQL's advisory lock keeps the two apart.
    auto a = std::async(std::launch::async, [&] { return p.envctl({"migrate"}, {{"ENVCTL_LOCK_DIR", (p.root() / "lock-a").string()}}); });
    auto b = std::async(std::launch::async, [&] { return p.envctl({"migrate"}, {{"ENVCTL_LOCK_DIR", (p.root() / "lock-b").string()}}); });
    auto ra = a.get(), rb = b.get();
    // No schema document: both end "NOT compliant" (exit 6), but neither may fail a migration or reset.
    for (const auto* r : {&ra, &rb}) {
        EXPECT_EQ(r->out.find("migration failed"), std::string::npos) << r->out;
        EXPECT_EQ(r->out.find("dropped and recreated"), std::string::npos) << r->out;
    }
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM applied_log"), std::to_string(kFiles - 1));
    EXPECT_EQ(p.scalar("services_db", "SELECT count(DISTINCT version) FROM applied_log"), std::to_string(kFiles - 1));
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM schema_migrations"), std::to_string(kFiles));
    // One of them applied everything, the other found nothing to do.
    const bool a_applied = ra.out.find("applied 20") != std::string::npos;
    const bool b_applied = rb.out.find("applied 20") != std::string::npos;
    EXPECT_NE(a_applied, b_applied) << ra.out << "\n---\n" << rb.out;
}
