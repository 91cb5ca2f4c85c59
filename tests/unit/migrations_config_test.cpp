// Migration settings: approach, connection, owner roles and passwords, --database.
#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/migrations/config.hpp"
#include "support/temp_dir.hpp"

using envctl::migrations::config_from;
using envctl::test::TempDir;

namespace {

const char* kBase =
    "POSTGRES_PORT=15432\nPOSTGRES_USER=postgres\nPOSTGRES_PASSWORD=admin-secret\nPOSTGRES_DB=international_center\n"
    "POSTGRES_MULTIPLE_DATABASES=services_db,content_db\nSERVICES_DB_PASSWORD=services-secret\n"
    "CONTENT_DB_PASSWORD=content-secret\nMIGRATION_TIMEOUT=12s\n";

envctl::settings::Settings load(const TempDir& dir, const std::string& extra,
                                const std::map<std::string, std::string>& env = {}) {
    dir.write(".env.development", std::string(kBase) + extra);
    return envctl::settings::load({}, env, dir.path());
}

std::string usage_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        return e.what();
    }
    ADD_FAILURE() << "no usage error";
    return "";
}

}  // namespace

TEST(MigrationConfig, FromSettings) {
    TempDir dir;
    auto config = config_from(load(dir, "MIGRATION_APPROACH=aggressive\n"));
    EXPECT_EQ(config.admin.host, "127.0.0.1");
    EXPECT_EQ(config.admin.port, 15432);
    EXPECT_EQ(config.admin.user, "postgres");
    EXPECT_EQ(config.admin.password, "admin-secret");
    EXPECT_EQ(config.admin.database, "international_center");
    EXPECT_EQ(config.timeout, std::chrono::seconds(12));
    ASSERT_EQ(config.databases.size(), 2u);
    EXPECT_EQ(config.databases[0].name, "services_db");
    EXPECT_EQ(config.databases[0].owner, "services_db_owner");
    EXPECT_EQ(config.databases[0].owner_password, "services-secret");
    EXPECT_EQ(config.databases[1].owner, "content_db_owner");
    EXPECT_EQ(config.migrations_dir, dir.path() / "migrations");
    EXPECT_EQ(config.schema_docs_dir, dir.path() / "migrations");
    EXPECT_EQ(config.connection_to("content_db").database, "content_db");
}

TEST(MigrationConfig, OnlyAggressiveApproach) {
    TempDir dir;
    // settings::load refuses it already; config_from checks again for callers that build Settings themselves.
    auto message = usage_error([&] { config_from(load(dir, "MIGRATION_APPROACH=conservative\n")); });
    EXPECT_NE(message.find("MIGRATION_APPROACH"), std::string::npos);
    EXPECT_NE(message.find("conservative"), std::string::npos);
    EXPECT_NE(message.find("aggressive"), std::string::npos);
}

TEST(MigrationConfig, HostFollowsASpecificBindAddressOnly) {
    TempDir dir;
    EXPECT_EQ(config_from(load(dir, "ENVCTL_BIND_ADDRESS=0.0.0.0\n")).admin.host, "127.0.0.1");
    EXPECT_EQ(config_from(load(dir, "ENVCTL_BIND_ADDRESS=127.0.0.2\n")).admin.host, "127.0.0.2");
}

TEST(MigrationConfig, MissingOwnerPasswordNamesTheVariable) {
    TempDir dir;
    dir.write(".env.development", "POSTGRES_PORT=15432\nPOSTGRES_USER=postgres\nPOSTGRES_PASSWORD=x-secret\n"
                                  "POSTGRES_DB=db\nPOSTGRES_MULTIPLE_DATABASES=services_db,reports_db\n"
                                  "SERVICES_DB_PASSWORD=s-secret\n");
    auto settings = envctl::settings::load({}, {}, dir.path());
    EXPECT_NE(usage_error([&] { config_from(settings); }).find("REPORTS_DB_PASSWORD"), std::string::npos);
}

TEST(MigrationConfig, OneDatabaseOrAClearError) {
    TempDir dir;
    auto settings = load(dir, "");
    auto config = config_from(settings, std::string("content_db"));
    ASSERT_EQ(config.databases.size(), 1u);
    EXPECT_EQ(config.databases[0].name, "content_db");
    auto message = usage_error([&] { config_from(settings, std::string("other_db")); });
    EXPECT_NE(message.find("other_db"), std::string::npos);
    EXPECT_NE(message.find("services_db,content_db"), std::string::npos);
}

TEST(MigrationConfig, HostileDatabaseNamesAreRefusedBeforeAnySql) {
    // The file names two good databases; the environment (which wins) a hostile list.
    for (const char* hostile : {"services_db\";DROP DATABASE x;--", "services db", "Services_DB", "a;b", "x'y"}) {
        TempDir dir;
        dir.write(".env.development", kBase);
        auto message = usage_error([&] {
            auto settings = envctl::settings::load({}, {{"POSTGRES_MULTIPLE_DATABASES", hostile}}, dir.path());
            config_from(settings);
        });
        EXPECT_NE(message.find("POSTGRES_MULTIPLE_DATABASES"), std::string::npos) << hostile << ": " << message;
    }
}
