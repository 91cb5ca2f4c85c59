// The migrator against a real PostgreSQL: fresh builds, isolation, re-runs, failures, drift, compliance, timeouts.
#include <gtest/gtest.h>

#include <filesystem>

#include "envctl/db/admin.hpp"
#include "envctl/migrations/runner.hpp"
#include "envctl/migrations/schema_document.hpp"
#include "envctl/migrations/status.hpp"
#include "envctl/util/files.hpp"
#include "support/migration_project.hpp"

using envctl::migrations::Report;
using envctl::test::MigrationProject;
using envctl::test::can_connect;

namespace {

Report migrate(const MigrationProject& p, envctl::Duration timeout = std::chrono::seconds(30)) {
    auto config = p.config(timeout);
    return envctl::migrations::run(config, envctl::Clock::now() + timeout);
}

const envctl::migrations::DatabaseReport& only(const Report& r) {
    EXPECT_EQ(r.databases.size(), 1u);
    return r.databases.at(0);
}

// Migrated without failure (these tests' ad-hoc migrations have no schema document, so none is compliant).
bool migrated(const Report& r) {
    for (const auto& d : r.databases) {
        if (d.failure || !d.error.empty()) return false;
    }
    return !r.databases.empty();
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += i + "\n";
    return out;
}

}  // namespace

TEST(Migrations, FreshRunBuildsBothDatabasesCompliantAndOwnedByTheirOwners) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");

    auto report = migrate(p);
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report.databases.size(), 2u);
    const auto& services = report.databases[0];
    EXPECT_TRUE(services.created);
    EXPECT_EQ(services.version, 3);
    EXPECT_EQ(services.applied.size(), 3u);
    EXPECT_TRUE(services.compliant) << joined(services.differences);
    EXPECT_EQ(report.databases[1].version, 4);
    EXPECT_TRUE(report.databases[1].compliant) << joined(report.databases[1].differences);

    // Every object belongs to the owner role, the ledger too.
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '" +
                                          p.owner("services_db") + "'"),
              "0");
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "4");
    EXPECT_EQ(p.scalar("content_db", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = '" +
                                         p.owner("content_db") + "'"),
              "5");
    EXPECT_EQ(p.scalar("services_db", "SELECT string_agg(name, ',' ORDER BY version) FROM schema_migrations"),
              "0001_service_categories.sql,0002_services.sql,0003_featured_categories.sql");

    auto statuses = envctl::migrations::status(p.config(), envctl::Clock::now() + std::chrono::seconds(30));
    ASSERT_EQ(statuses.size(), 2u);
    for (const auto& st : statuses) EXPECT_TRUE(st.ready()) << st.name << ": " << st.detail << joined(st.differences);
}

// Issue 14, finding 11: `status` and `wait-ready` change nothing, so their compliance check never builds the schema
// document's catalog in a scratch database (nor writes the cache): without a cached catalog it says so.
TEST(Migrations, CacheOnlyStatusCreatesNothingAndSaysWhenItCannotTell) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    ASSERT_TRUE(migrate(p).ok());
    p.admin("services_db")->exec("CREATE INDEX idx_by_hand ON services (title)");  // the record no longer vouches
    const auto config = p.config();
    ASSERT_TRUE(config.cache_dir.has_value());
    std::filesystem::remove_all(*config.cache_dir);
    const auto deadline = [] { return envctl::Clock::now() + std::chrono::seconds(30); };
    using envctl::migrations::CatalogSource;

    auto statuses = envctl::migrations::status(config, deadline(), CatalogSource::cache_only);
    ASSERT_EQ(statuses.size(), 1u);
    EXPECT_FALSE(statuses[0].ready());
    EXPECT_NE(statuses[0].detail.find("compliance not checked"), std::string::npos) << statuses[0].detail;
    EXPECT_FALSE(std::filesystem::exists(*config.cache_dir)) << "a cache-only status built the catalog";

    // `migrate status` may build it (and caches it) ...
    statuses = envctl::migrations::status(config, deadline());
    EXPECT_NE(joined(statuses.at(0).differences).find("idx_by_hand"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(*config.cache_dir));
    // ... after which the cache-only check compares against the cached catalog.
    statuses = envctl::migrations::status(config, deadline(), CatalogSource::cache_only);
    EXPECT_TRUE(statuses.at(0).detail.empty()) << statuses.at(0).detail;
    EXPECT_NE(joined(statuses.at(0).differences).find("idx_by_hand"), std::string::npos);
}

TEST(Migrations, EachOwnerRoleReachesOnlyItsOwnDatabase) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    ASSERT_TRUE(migrated(migrate(p)));  // no migrations: databases, roles and isolation only
    EXPECT_TRUE(can_connect(*pg, p.owner("services_db"), p.owner_password("services_db"), p.db("services_db")));
    EXPECT_TRUE(can_connect(*pg, p.owner("content_db"), p.owner_password("content_db"), p.db("content_db")));
    EXPECT_FALSE(can_connect(*pg, p.owner("services_db"), p.owner_password("services_db"), p.db("content_db")));
    EXPECT_FALSE(can_connect(*pg, p.owner("content_db"), p.owner_password("content_db"), p.db("services_db")));

    auto admin = p.admin();
    admin->exec("DROP ROLE IF EXISTS " + p.db("bystander") + "; CREATE ROLE " + p.db("bystander") +
                " LOGIN PASSWORD 'bystander-pw'");
    EXPECT_FALSE(can_connect(*pg, p.db("bystander"), "bystander-pw", p.db("services_db")));
    EXPECT_TRUE(can_connect(*pg, p.db("bystander"), "bystander-pw", "postgres"));
}

TEST(Migrations, AChangedOwnerPasswordIsApplied) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    ASSERT_TRUE(migrated(migrate(p)));
    p.admin()->exec("ALTER ROLE " + p.owner("services_db") + " PASSWORD 'something-else'");
    ASSERT_FALSE(can_connect(*pg, p.owner("services_db"), p.owner_password("services_db"), p.db("services_db")));
    ASSERT_TRUE(migrated(migrate(p)));
    EXPECT_TRUE(can_connect(*pg, p.owner("services_db"), p.owner_password("services_db"), p.db("services_db")));
}

TEST(Migrations, ASecondRunAppliesNothing) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    ASSERT_TRUE(migrate(p).ok());
    const auto ledger = p.scalar("services_db", "SELECT string_agg(version || '@' || applied_at, ',') FROM schema_migrations");
    auto again = migrate(p);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(only(again).created);
    EXPECT_TRUE(only(again).applied.empty());
    EXPECT_TRUE(only(again).reset_reasons.empty());
    EXPECT_EQ(only(again).version, 3);
    EXPECT_EQ(p.scalar("services_db", "SELECT string_agg(version || '@' || applied_at, ',') FROM schema_migrations"), ledger);
}

TEST(Migrations, ABrokenMigrationOnAFreshDatabaseIsReportedAndLeavesNothing) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_ok.sql", "CREATE TABLE kept (id int);\n");
    p.write_migration("services_db", "0002_broken.sql",
                      "-- creates a table, then fails\nCREATE TABLE half_done (id int);\n\nINSERT INTO half_done\n"
                      "  SELECT id FROM no_such_table;\n");
    auto report = migrate(p);
    EXPECT_FALSE(report.ok());
    const auto& r = only(report);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(r.failure->file, "0002_broken.sql");
    EXPECT_EQ(r.failure->line, 5);
    EXPECT_EQ(r.failure->column, 18);
    EXPECT_EQ(r.failure->sqlstate, "42P01");
    EXPECT_NE(r.failure->message.find("relation \"no_such_table\" does not exist"), std::string::npos);
    EXPECT_EQ(r.failure->statement, "INSERT INTO half_done\n  SELECT id FROM no_such_table");
    EXPECT_TRUE(r.reset_reasons.empty());  // fresh: no reset, no retry
    EXPECT_EQ(r.version, 1);
    EXPECT_EQ(p.scalar("services_db", "SELECT to_regclass('half_done') IS NULL"), "t");
    EXPECT_EQ(p.scalar("services_db", "SELECT to_regclass('kept') IS NOT NULL"), "t");
    EXPECT_EQ(p.scalar("services_db", "SELECT string_agg(name, ',') FROM schema_migrations"), "0001_ok.sql");
}

TEST(Migrations, AFailureInADatabaseThatHeldMigrationsResetsIt) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_ok.sql", "CREATE TABLE kept (id int);\n");
    ASSERT_TRUE(migrated(migrate(p)));
    // A hand-made table makes the next migration fail here, but not on a fresh database: the reset repairs it.
    p.admin("services_db")->exec("CREATE TABLE later (id int); INSERT INTO kept VALUES (42)");
    p.write_migration("services_db", "0002_later.sql", "CREATE TABLE later (id int, name text);\n");
    auto report = migrate(p);
    const auto& r = only(report);
    ASSERT_EQ(r.reset_reasons.size(), 1u);
    EXPECT_NE(r.reset_reasons[0].find("0002_later.sql failed"), std::string::npos);
    EXPECT_FALSE(r.failure);
    EXPECT_EQ(r.applied, (std::vector<std::string>{"0001_ok.sql", "0002_later.sql"}));
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM kept"), "0");  // the data went with the reset
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM information_schema.columns WHERE table_name = 'later'"), "2");
}

TEST(Migrations, AFailureThatPersistsAfterTheResetIsReportedOnce) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_ok.sql", "CREATE TABLE kept (id int);\n");
    ASSERT_TRUE(migrated(migrate(p)));
    p.write_migration("services_db", "0002_bad.sql", "CREATE TABLE x (id nosuchtype);\n");
    const auto report = migrate(p);
    const auto& r = only(report);
    EXPECT_EQ(r.reset_reasons.size(), 1u);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(r.failure->file, "0002_bad.sql");
    EXPECT_EQ(r.failure->line, 1);
    EXPECT_EQ(r.failure->column, 20);
    EXPECT_EQ(r.version, 1);
    EXPECT_EQ(p.scalar("services_db", "SELECT string_agg(name, ',') FROM schema_migrations"), "0001_ok.sql");
}

namespace {

// Migrates 0001 and 0003 and stores a marker row; `drift` then changes the files; the next run must recreate the
// database (the marker is gone) and bring it to the files' state.
void expect_drift_recreates(const std::function<void(MigrationProject&)>& drift, const std::string& reason,
                            const std::string& expected_ledger) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_a.sql", "CREATE TABLE a (id int);\n");
    p.write_migration("services_db", "0003_c.sql", "CREATE TABLE c (id int);\n");
    ASSERT_TRUE(migrated(migrate(p)));
    p.admin("services_db")->exec("INSERT INTO a VALUES (7)");
    drift(p);
    auto report = migrate(p);
    const auto& r = only(report);
    ASSERT_EQ(r.reset_reasons.size(), 1u) << joined(r.reset_reasons);
    EXPECT_NE(r.reset_reasons[0].find(reason), std::string::npos) << r.reset_reasons[0];
    EXPECT_FALSE(r.failure);
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM a"), "0");
    EXPECT_EQ(p.scalar("services_db", "SELECT string_agg(name, ',' ORDER BY version) FROM schema_migrations"),
              expected_ledger);
}

}  // namespace

TEST(Migrations, DriftChangedFileRecreatesTheDatabase) {
    expect_drift_recreates([](MigrationProject& p) { p.write_migration("services_db", "0001_a.sql", "CREATE TABLE a (id bigint);\n"); },
                           "0001_a.sql changed after it was applied", "0001_a.sql,0003_c.sql");
}

TEST(Migrations, DriftMissingFileRecreatesTheDatabase) {
    expect_drift_recreates([](MigrationProject& p) { p.remove_migration("services_db", "0003_c.sql"); },
                           "0003_c.sql was applied but is missing on disk", "0001_a.sql");
}

TEST(Migrations, DriftFileBelowTheHighestAppliedRecreatesTheDatabase) {
    expect_drift_recreates([](MigrationProject& p) { p.write_migration("services_db", "0002_b.sql", "CREATE TABLE b (id int);\n"); },
                           "0002_b.sql is new but numbered below the highest applied version 0003",
                           "0001_a.sql,0002_b.sql,0003_c.sql");
}

TEST(Migrations, AnUnchangedDatabaseIsVouchedForByItsRecordAndAnyChangeEndsThat) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    const auto first = migrate(p);
    ASSERT_TRUE(first.ok());
    EXPECT_FALSE(only(first).unchanged);  // compared object by object

    const auto second = migrate(p);
    ASSERT_TRUE(second.ok());
    EXPECT_TRUE(only(second).unchanged);
    EXPECT_EQ(only(second).version, 3);

    // Data, statistics and vacuum are not schema changes.
    p.admin("services_db")->exec("ANALYZE");
    p.admin("services_db")->exec("VACUUM");
    EXPECT_TRUE(only(migrate(p)).unchanged);

    // A hand-made index: the record no longer vouches, the full comparison finds it, and no record is made.
    p.admin("services_db")->exec("CREATE INDEX idx_by_hand ON services (title)");
    for (int run = 0; run < 2; ++run) {
        const auto changed = migrate(p);
        EXPECT_FALSE(only(changed).unchanged);
        EXPECT_FALSE(changed.ok());
        EXPECT_NE(joined(only(changed).differences).find("extra index services.idx_by_hand"), std::string::npos)
            << joined(only(changed).differences);
        auto statuses = envctl::migrations::status(p.config(), envctl::Clock::now() + std::chrono::seconds(30));
        EXPECT_FALSE(statuses.at(0).compliant);
    }

    // Put right: compared in full once, then vouched for again.
    p.admin("services_db")->exec("DROP INDEX idx_by_hand");
    const auto repaired = migrate(p);
    EXPECT_TRUE(repaired.ok());
    EXPECT_FALSE(only(repaired).unchanged);
    EXPECT_TRUE(only(migrate(p)).unchanged);

    // A ledger edited by hand is not vouched for: the full path sees the drift and rebuilds the database.
    p.admin("services_db")->exec("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 2");
    const auto tampered = migrate(p);
    EXPECT_FALSE(only(tampered).unchanged);
    EXPECT_FALSE(only(tampered).reset_reasons.empty());
    EXPECT_TRUE(tampered.ok());
    EXPECT_TRUE(only(migrate(p)).unchanged);

    // A schema document edited (even outside its sql blocks) is a new key: compared in full.
    p.write_schema_document("services_db", envctl::files::read(envctl::migrations::schema_document_for(p.root() / "migrations", p.db("services_db"))) + "\nMore prose.\n");
    const auto edited = migrate(p);
    EXPECT_TRUE(edited.ok());
    EXPECT_FALSE(only(edited).unchanged);

    // A new migration file is applied, not vouched for.
    p.write_migration("services_db", "0099_extra.sql", "CREATE TABLE extra (id integer PRIMARY KEY);");
    const auto extended = migrate(p);
    EXPECT_FALSE(only(extended).unchanged);
    EXPECT_EQ(only(extended).applied, std::vector<std::string>{"0099_extra.sql"});
}

TEST(Migrations, ComplianceListsEveryKindOfHandMadeDifference) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    ASSERT_TRUE(migrate(p).ok());
    p.admin("services_db")->exec(
        "ALTER TABLE services DROP COLUMN image_url;"                                  // missing column
        "ALTER TABLE services ADD COLUMN rating integer;"                              // extra column
        "ALTER TABLE services ALTER COLUMN title TYPE text;"                           // type
        "ALTER TABLE services ALTER COLUMN description DROP NOT NULL;"                 // nullability
        "ALTER TABLE services ALTER COLUMN order_number SET DEFAULT 5;"                // default
        "DROP INDEX idx_services_delivery_mode;"                                       // index
        "ALTER TABLE services DROP CONSTRAINT services_publishing_status_check;");     // constraint
    auto statuses = envctl::migrations::status(p.config(), envctl::Clock::now() + std::chrono::seconds(30));
    ASSERT_EQ(statuses.size(), 1u);
    const auto& st = statuses[0];
    EXPECT_FALSE(st.compliant);
    EXPECT_FALSE(st.ready());
    const auto all = joined(st.differences);
    for (const char* expected :
         {"missing column services.image_url (character varying(500))", "extra column services.rating (integer)",
          "column services.title: type is text; the schema document says character varying(255)",
          "column services.description: nullable; the schema document says NOT NULL",
          "column services.order_number: default is 5; the schema document says 0",
          "missing index services.idx_services_delivery_mode",
          "missing constraint services.services_publishing_status_check"})
        EXPECT_NE(all.find(expected), std::string::npos) << "not listed: " << expected << "\nlisted:\n" << all;
    EXPECT_EQ(st.differences.size(), 7u) << all;

    // migrate reports the same and fails (exit 6), without resetting: these are not drift.
    const auto report = migrate(p);
    const auto& r = only(report);
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.reset_reasons.empty());
    EXPECT_EQ(r.differences.size(), 7u);
}

TEST(Migrations, AnAuditTableIsRefusedAndLeavesNothing) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_ok.sql", "CREATE TABLE services (id int);\n");
    p.write_migration("services_db", "0002_audit.sql", "CREATE TABLE services_audit (id int, what text);\n");
    const auto report = migrate(p);
    const auto& r = only(report);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(r.failure->file, "0002_audit.sql");
    EXPECT_NE(r.failure->message.find("public.services_audit"), std::string::npos);
    EXPECT_NE(r.failure->message.find("Loki"), std::string::npos);
    EXPECT_EQ(p.scalar("services_db", "SELECT to_regclass('services_audit') IS NULL"), "t");
    EXPECT_EQ(r.version, 1);
}

TEST(Migrations, AnAuditTableInTheSchemaDocumentOrMadeByHandIsNotCompliant) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_ok.sql", "CREATE TABLE services (id int);\n");
    p.write_schema_document("services_db", "# S\n```sql\nCREATE TABLE services (id int);\nCREATE TABLE audit_log (id int);\n```\n");
    auto r = only(migrate(p));
    EXPECT_FALSE(r.compliant);
    auto all = joined(r.differences);
    EXPECT_NE(all.find("defines the audit table audit_log"), std::string::npos) << all;

    p.write_schema_document("services_db", "# S\n```sql\nCREATE TABLE services (id int);\n```\n");
    p.admin("services_db")->exec("CREATE TABLE service_audit (id int)");
    r = only(migrate(p));
    all = joined(r.differences);
    EXPECT_NE(all.find("audit table public.service_audit refused"), std::string::npos) << all;
}

TEST(Migrations, AMigrationRunningPastTheTimeoutIsStoppedAndReported) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.write_migration("services_db", "0001_slow.sql", "CREATE TABLE t (id int);\nSELECT pg_sleep(30);\n");
    const auto started = envctl::Clock::now();
    auto report = migrate(p, std::chrono::seconds(2));
    const auto took = envctl::Clock::now() - started;
    const auto& r = only(report);
    ASSERT_TRUE(r.failure);
    EXPECT_TRUE(r.failure->timed_out);
    EXPECT_EQ(r.failure->line, 2);
    EXPECT_NE(r.failure->message.find("MIGRATION_TIMEOUT (2s) ran out"), std::string::npos) << r.failure->message;
    EXPECT_LT(took, std::chrono::seconds(15));
    EXPECT_EQ(p.scalar("services_db", "SELECT to_regclass('t') IS NULL"), "t");
}

TEST(Migrations, WaitingForAnotherMigratorsLockIsBoundedByTheTimeout) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    auto holder = p.admin();
    ASSERT_TRUE(envctl::db::advisory_lock(*holder, "envctl.migrate:" + p.db("services_db"), envctl::Clock::now()));
    const auto report = migrate(p, std::chrono::seconds(1));
    const auto& r = only(report);
    EXPECT_NE(r.error.find("another migrator held the lock"), std::string::npos) << r.error;
    EXPECT_FALSE(r.ok());
}
