// Migration files on disk and the ledger: pending files and the three kinds of drift.
#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/migrations/drift.hpp"
#include "envctl/migrations/migration_files.hpp"
#include "envctl/util/hash.hpp"
#include "support/temp_dir.hpp"

using envctl::db::LedgerEntry;
using envctl::migrations::load_migrations;
using envctl::migrations::make_plan;
using envctl::migrations::MigrationFile;
using envctl::test::TempDir;

namespace {

MigrationFile file(int version, const std::string& name, const std::string& content = "SELECT 1;") {
    return MigrationFile{version, name, name, content, envctl::hash::sha256_hex(content)};
}

LedgerEntry applied(const MigrationFile& f) { return LedgerEntry{f.version, f.name, f.checksum, "", 1}; }

std::string usage_error_of(const TempDir& dir) {
    try {
        load_migrations(dir.path());
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        return e.what();
    }
    return "";
}

}  // namespace

TEST(MigrationFiles, SortedByVersionWithChecksumsOtherFilesIgnored) {
    TempDir dir;
    dir.write("0010_later.sql", "SELECT 10;");
    dir.write("0002_first.sql", "SELECT 2;");
    dir.write("README.md", "not a migration");
    auto files = load_migrations(dir.path());
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].version, 2);
    EXPECT_EQ(files[0].name, "0002_first.sql");
    EXPECT_EQ(files[0].checksum, envctl::hash::sha256_hex("SELECT 2;"));
    EXPECT_EQ(files[1].version, 10);
}

TEST(MigrationFiles, MissingFolderHasNoMigrations) {
    TempDir dir;
    EXPECT_TRUE(load_migrations(dir / "nowhere").empty());
}

TEST(MigrationFiles, BadNamesAndDuplicateVersionsAreRefusedNamingTheFile) {
    {
        TempDir dir;
        dir.write("1_short.sql", "");
        EXPECT_NE(usage_error_of(dir).find("1_short.sql"), std::string::npos);
    }
    {
        TempDir dir;
        dir.write("0001_Upper.sql", "");
        EXPECT_NE(usage_error_of(dir).find("NNNN_name.sql"), std::string::npos);
    }
    {
        TempDir dir;
        dir.write("0000_zero.sql", "");
        EXPECT_NE(usage_error_of(dir).find("0000_zero.sql"), std::string::npos);
    }
    {
        TempDir dir;
        dir.write("0001_a.sql", "");
        dir.write("0001_b.sql", "");
        auto message = usage_error_of(dir);
        EXPECT_NE(message.find("0001_a.sql"), std::string::npos);
        EXPECT_NE(message.find("0001_b.sql"), std::string::npos);
    }
}

TEST(Plan, FreshDatabaseHasEverythingPending) {
    auto plan = make_plan({}, {file(1, "0001_a.sql"), file(2, "0002_b.sql")});
    EXPECT_EQ(plan.version, 0);
    EXPECT_TRUE(plan.drift.empty());
    ASSERT_EQ(plan.pending.size(), 2u);
    EXPECT_EQ(plan.pending[0].name, "0001_a.sql");
}

TEST(Plan, UpToDateAndNewFilesAbove) {
    auto a = file(1, "0001_a.sql"), b = file(2, "0002_b.sql"), c = file(5, "0005_c.sql");
    auto plan = make_plan({applied(a), applied(b)}, {a, b});
    EXPECT_EQ(plan.version, 2);
    EXPECT_TRUE(plan.pending.empty());
    EXPECT_TRUE(plan.drift.empty());
    plan = make_plan({applied(a), applied(b)}, {a, b, c});
    ASSERT_EQ(plan.pending.size(), 1u);
    EXPECT_EQ(plan.pending[0].name, "0005_c.sql");
    EXPECT_TRUE(plan.drift.empty());
}

TEST(Plan, ChangedFileIsDrift) {
    auto a = file(1, "0001_a.sql");
    auto plan = make_plan({applied(a)}, {file(1, "0001_a.sql", "SELECT 'changed';")});
    ASSERT_EQ(plan.drift.size(), 1u);
    EXPECT_NE(plan.drift[0].find("0001_a.sql changed after it was applied"), std::string::npos);
}

TEST(Plan, RenamedFileIsDrift) {
    auto a = file(1, "0001_a.sql");
    auto plan = make_plan({applied(a)}, {file(1, "0001_renamed.sql")});
    ASSERT_EQ(plan.drift.size(), 1u);
    EXPECT_NE(plan.drift[0].find("0001_renamed.sql"), std::string::npos);
}

TEST(Plan, MissingAppliedFileIsDrift) {
    auto a = file(1, "0001_a.sql"), b = file(2, "0002_b.sql");
    auto plan = make_plan({applied(a), applied(b)}, {a});
    ASSERT_EQ(plan.drift.size(), 1u);
    EXPECT_EQ(plan.drift[0], "0002_b.sql was applied but is missing on disk");
}

TEST(Plan, NewFileBelowTheHighestAppliedIsDrift) {
    auto a = file(1, "0001_a.sql"), c = file(3, "0003_c.sql"), b = file(2, "0002_b.sql");
    auto plan = make_plan({applied(a), applied(c)}, {a, b, c});
    ASSERT_EQ(plan.drift.size(), 1u);
    EXPECT_EQ(plan.drift[0], "0002_b.sql is new but numbered below the highest applied version 0003");
}
