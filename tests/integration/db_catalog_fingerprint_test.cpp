// The catalog fingerprint (the migrator's no-op test) against a real PostgreSQL: every kind of DDL moves it; data,
// statistics, vacuum and temporary objects do not.
#include <gtest/gtest.h>

#include "envctl/db/admin.hpp"
#include "envctl/db/catalog.hpp"
#include "envctl/db/ledger.hpp"
#include "envctl/db/session.hpp"
#include "envctl/util/hash.hpp"
#include "support/pg_cluster.hpp"

namespace {

using envctl::db::Session;

// A database of its own for each test, dropped at the end.
struct ScratchDb {
    envctl::test::PgCluster& pg;
    std::string name;
    std::unique_ptr<Session> admin;
    std::unique_ptr<Session> session;
    explicit ScratchDb(envctl::test::PgCluster& cluster)
        : pg(cluster),
          name("fp_" + envctl::hash::sha256_hex(::testing::UnitTest::GetInstance()->current_test_info()->name())
                           .substr(0, 12)),
          admin(std::make_unique<Session>(cluster.admin_connection())) {
        envctl::db::drop_database(*admin, name);
        admin->exec("CREATE DATABASE " + name);
        session = std::make_unique<Session>(cluster.admin_connection(name));
        session->exec(
            "CREATE TABLE items (id integer PRIMARY KEY, title text NOT NULL DEFAULT '', n integer CHECK (n > 0));"
            "CREATE INDEX idx_items_title ON items (title);"
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
            "CREATE TRIGGER trg_items BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();");
    }
    ~ScratchDb() {
        session.reset();
        try {
            envctl::db::drop_database(*admin, name);
        } catch (...) {
        }
    }
    std::string fingerprint() { return envctl::db::catalog_fingerprint(*session); }
};

}  // namespace

TEST(CatalogFingerprint, StableWhileNothingChangesAndBlindToDataStatisticsAndTemporaryTables) {
    REQUIRE_PG_CLUSTER(pg);
    ScratchDb db(*pg);
    const auto before = db.fingerprint();
    ASSERT_FALSE(before.empty());
    EXPECT_EQ(db.fingerprint(), before);
    db.session->exec("INSERT INTO items (id, title, n) SELECT g, 't' || g, g FROM generate_series(1, 100) g");
    db.session->exec("UPDATE items SET title = 'x' WHERE id < 10");
    db.session->exec("ANALYZE items");
    db.session->exec("VACUUM items");
    db.session->exec("CREATE TEMPORARY TABLE scratch (a int)");
    EXPECT_EQ(db.fingerprint(), before);
    // Another connection sees the same.
    Session other(pg->admin_connection(db.name));
    EXPECT_EQ(envctl::db::catalog_fingerprint(other), before);
}

TEST(CatalogFingerprint, EveryKindOfSchemaChangeMovesIt) {
    REQUIRE_PG_CLUSTER(pg);
    ScratchDb db(*pg);
    const std::vector<std::string> changes = {
        "ALTER TABLE items ADD COLUMN extra integer",
        "ALTER TABLE items DROP COLUMN extra",
        "ALTER TABLE items ALTER COLUMN title TYPE varchar(200)",
        "ALTER TABLE items ALTER COLUMN title DROP NOT NULL",
        "ALTER TABLE items ALTER COLUMN title SET DEFAULT 'x'",
        "ALTER TABLE items ALTER COLUMN title DROP DEFAULT",
        "ALTER TABLE items ADD CONSTRAINT items_n_small CHECK (n < 1000)",
        "ALTER TABLE items DROP CONSTRAINT items_n_small",
        "DROP INDEX idx_items_title",
        "CREATE INDEX idx_items_n ON items (n)",
        "ALTER INDEX idx_items_n RENAME TO idx_items_number",
        "ALTER TABLE items RENAME COLUMN n TO number",
        "ALTER TABLE items DISABLE TRIGGER trg_items",
        "DROP TRIGGER trg_items ON items",
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$",
        "CREATE TABLE other (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)",
        "DROP TABLE other",
        "CREATE SCHEMA side",
        "CREATE TABLE side.audit_log (id integer)",
        "CREATE VIEW item_titles AS SELECT title FROM items",
        "REVOKE ALL ON DATABASE " + db.name + " FROM PUBLIC",
    };
    auto last = db.fingerprint();
    for (const auto& change : changes) {
        db.session->exec(change);
        const auto now = db.fingerprint();
        EXPECT_NE(now, last) << "unchanged by: " << change;
        last = now;
    }
}

TEST(CatalogFingerprint, ARecreatedDatabaseWithTheSameSchemaHasAnotherFingerprint) {
    REQUIRE_PG_CLUSTER(pg);
    std::string first;
    {
        ScratchDb db(*pg);
        first = db.fingerprint();
    }
    ScratchDb again(*pg);
    EXPECT_NE(again.fingerprint(), first);
}

TEST(CatalogFingerprint, QuickStateReadsIsolationLedgerDigestAndFingerprintInOneQuery) {
    REQUIRE_PG_CLUSTER(pg);
    ScratchDb db(*pg);
    EXPECT_THROW(envctl::db::quick_state(*db.session), envctl::db::SqlError);  // no ledger yet
    envctl::db::ensure_ledger(*db.session);
    auto state = envctl::db::quick_state(*db.session);
    EXPECT_FALSE(state.isolated);
    EXPECT_EQ(state.ledger_digest, envctl::db::ledger_digest({}));
    EXPECT_EQ(state.fingerprint, db.fingerprint());

    envctl::db::isolate_database(*db.admin, db.name);
    const std::vector<envctl::db::LedgerEntry> entries{{1, "0001_a.sql", std::string(64, 'a'), {}, 0},
                                                       {2, "0002_b.sql", std::string(64, 'b'), {}, 0}};
    for (const auto& e : entries) {
        db.session->exec("BEGIN");
        envctl::db::record_migration_and_commit(*db.session, e);
    }
    state = envctl::db::quick_state(*db.session);
    EXPECT_TRUE(state.isolated);
    // The server's digest over its rows is the one computed here over the same entries.
    EXPECT_EQ(state.ledger_digest, envctl::db::ledger_digest(entries));
    EXPECT_NE(state.ledger_digest, envctl::db::ledger_digest({entries[0]}));
    EXPECT_EQ(state.fingerprint, db.fingerprint());
}
