// The migrator's templates (issue 12 §1): D__template after every successful migration and compliance check, built
// from the migrations, not connectable, a template, owned by D's owner; a failed migration keeps the last good one;
// status reports its version and whether it matches D.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envctl/migrations/runner.hpp"
#include "envctl/migrations/status.hpp"
#include "envctl/migrations/template.hpp"
#include "support/migration_project.hpp"

using envctl::test::MigrationProject;

namespace {

envctl::migrations::Report migrate(const MigrationProject& p) {
    return envctl::migrations::run(p.config(), envctl::Clock::now() + std::chrono::seconds(30));
}

std::string tpl(const MigrationProject& p, const std::string& base) { return p.db(base) + "__template"; }

// datistemplate, datallowconn, owner, comment of a database ("" when it does not exist).
std::string row_of(const MigrationProject& p, const std::string& name) {
    auto rows = p.admin()->query(
        "SELECT datistemplate::text || ' ' || datallowconn::text || ' ' || pg_get_userbyid(datdba) || ' ' || "
        "coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = $1",
        {name});
    return rows.empty() ? std::string() : rows[0][0].value_or("");
}

std::string comment_of(const MigrationProject& p, const std::string& name) {
    return p.scalar("", "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '" + name + "'");
}

}  // namespace

TEST(DbTemplate, AfterAMigrationTheTemplateIsBuiltNotConnectableAndOwnedByTheOwner) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
    auto report = migrate(p);
    ASSERT_TRUE(report.ok()) << report.databases[0].error << report.databases[1].error;
    EXPECT_TRUE(report.databases[0].template_refreshed);

    for (const auto& base : {"services_db", "content_db"}) {
        const auto row = row_of(p, tpl(p, base));
        EXPECT_EQ(row.rfind("true false " + p.owner(base) + " envctl.template/v1 {", 0), 0u) << row;
        auto record = envctl::migrations::parse_template_comment(comment_of(p, tpl(p, base)));
        ASSERT_TRUE(record);
        EXPECT_EQ(record->source, p.db(base));
    }
    // Not connectable, even for its owner or a superuser.
    auto info = pg->admin_connection(tpl(p, "services_db"));
    EXPECT_FALSE(envctl::db::ping(info).ok);
    // Its schema is the migrations': a copy of it holds the ledger and tables of version 3.
    auto admin = p.admin();
    admin->exec("CREATE DATABASE " + p.db("services_db") + "_copy TEMPLATE " + tpl(p, "services_db"));
    auto copy = std::make_unique<envctl::db::Session>(pg->admin_connection(p.db("services_db") + "_copy"));
    EXPECT_EQ(copy->query("SELECT max(version) FROM schema_migrations")[0][0], std::optional<std::string>("3"));
    EXPECT_EQ(copy->query("SELECT to_regclass('services') IS NOT NULL")[0][0], std::optional<std::string>("t"));
    copy.reset();
    admin->exec("DROP DATABASE " + p.db("services_db") + "_copy");

    // migrate status reports it, matching D.
    auto st = p.envctl({"migrate", "status", "--json"});
    ASSERT_EQ(st.exit_code, 0) << st.out << st.err;
    auto doc = nlohmann::json::parse(st.out);
    EXPECT_EQ(doc["databases"][0]["template"]["name"], tpl(p, "services_db"));
    EXPECT_EQ(doc["databases"][0]["template"]["version"], 3);
    EXPECT_EQ(doc["databases"][0]["template"]["matches"], true);
    EXPECT_EQ(doc["databases"][1]["template"]["version"], 4);
    auto text = p.envctl({"migrate", "status"});
    EXPECT_NE(text.out.find("template at version 0003 (matches)"), std::string::npos) << text.out;
}

TEST(DbTemplate, AnUnchangedRunKeepsItADroppedOneIsRebuiltANewMigrationRefreshesIt) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    ASSERT_TRUE(migrate(p).ok());
    const auto first = comment_of(p, tpl(p, "services_db"));
    ASSERT_FALSE(first.empty());

    auto again = migrate(p);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.databases[0].unchanged);
    EXPECT_FALSE(again.databases[0].template_refreshed);
    EXPECT_EQ(comment_of(p, tpl(p, "services_db")), first);

    // The no-op path notices a missing template and takes the full path, which builds it.
    p.admin()->exec("ALTER DATABASE " + tpl(p, "services_db") + " WITH IS_TEMPLATE false");
    p.admin()->exec("DROP DATABASE " + tpl(p, "services_db"));
    auto rebuilt = migrate(p);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.databases[0].error;
    EXPECT_FALSE(rebuilt.databases[0].unchanged);
    EXPECT_TRUE(rebuilt.databases[0].template_refreshed);
    EXPECT_FALSE(row_of(p, tpl(p, "services_db")).empty());

    // A new migration (the schema document says the same) refreshes it to the new version; D stays the same
    // database (the template is not a copy of it).
    const auto d_oid = p.scalar("", "SELECT oid FROM pg_database WHERE datname = '" + p.db("services_db") + "'");
    p.write_migration("services_db", "0004_noop.sql", "SELECT 1;\n");
    auto fourth = migrate(p);
    ASSERT_TRUE(fourth.ok()) << fourth.databases[0].error;
    EXPECT_TRUE(fourth.databases[0].template_refreshed);
    auto record = envctl::migrations::parse_template_comment(comment_of(p, tpl(p, "services_db")));
    ASSERT_TRUE(record);
    EXPECT_EQ(record->version, 4);
    EXPECT_EQ(p.scalar("", "SELECT oid FROM pg_database WHERE datname = '" + p.db("services_db") + "'"), d_oid);
    // No build or old template is left behind.
    EXPECT_EQ(p.scalar("", "SELECT count(*) FROM pg_database WHERE datname LIKE 'envctl\\_tpl\\_%'"), "0");
}

TEST(DbTemplate, AFailedMigrationKeepsTheLastGoodTemplate) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    ASSERT_TRUE(migrate(p).ok());
    const auto good = comment_of(p, tpl(p, "services_db"));

    p.write_migration("services_db", "0004_broken.sql", "CREATE TABLE x (id nosuchtype);\n");
    auto failed = migrate(p);
    ASSERT_FALSE(failed.ok());
    ASSERT_TRUE(failed.databases[0].failure);
    EXPECT_FALSE(failed.databases[0].template_refreshed);
    EXPECT_EQ(comment_of(p, tpl(p, "services_db")), good);

    auto statuses = envctl::migrations::status(p.config(), envctl::Clock::now() + std::chrono::seconds(30));
    ASSERT_TRUE(statuses[0].template_db);
    EXPECT_EQ(statuses[0].template_db->version, 3);
    EXPECT_TRUE(statuses[0].template_db->matches);  // D is back at 3 (reset and migrated to the failure)
}

TEST(DbTemplate, AFailedMigrationOnAFreshDatabaseLeavesNoTemplate) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_broken.sql", "CREATE TABLE b (id nosuchtype);\n");
    auto failed = migrate(p);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(row_of(p, tpl(p, "services_db")), "");
    auto statuses = envctl::migrations::status(p.config(), envctl::Clock::now() + std::chrono::seconds(30));
    EXPECT_FALSE(statuses[0].template_db);
    auto st = p.envctl({"migrate", "status", "--json"});
    EXPECT_TRUE(nlohmann::json::parse(st.out)["databases"][0]["template"].is_null()) << st.out;
}
