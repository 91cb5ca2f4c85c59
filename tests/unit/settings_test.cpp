#include "envctl/settings/settings.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "envctl/core/error.hpp"
#include "support/temp_dir.hpp"

using envctl::settings::GlobalOptions;
using envctl::settings::load;
using envctl::test::TempDir;

namespace {

const char* kMinimal =
    "POSTGRES_PORT=5432\nPOSTGRES_USER=postgres\nPOSTGRES_PASSWORD=pw-secret\nPOSTGRES_DB=international_center\n"
    "POSTGRES_MULTIPLE_DATABASES=services_db,content_db\nREDIS_DAPR_PORT=6379\n";

std::string load_error(const TempDir& dir, const GlobalOptions& options, const std::map<std::string, std::string>& env = {}) {
    try {
        load(options, env, dir.path());
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
}

}  // namespace

TEST(Settings, SeedFileLoadsWithEveryValue) {
    auto s = load({.project_dir = std::filesystem::path(ENVCTL_REPO_ROOT)}, {}, "/");
    EXPECT_EQ(s.vars.require("POSTGRES_PORT"), "5432");
    EXPECT_EQ(s.vars.require("POSTGRES_DB"), "international_center");
    EXPECT_EQ(s.vars.require("MIGRATION_TIMEOUT"), "30s");
    EXPECT_EQ(s.project, "intl");
    EXPECT_EQ(s.bind_address, "127.0.0.1");
    EXPECT_EQ(s.ready_budget, std::chrono::seconds(30));
    EXPECT_EQ(s.databases, (std::vector<std::string>{"services_db", "content_db"}));
    EXPECT_EQ(s.profile, "full");
    for (const char* port : {"DAPR_PLACEMENT_PORT", "DAPR_SENTRY_PORT", "REDIS_DAPR_PORT", "AZURITE_BLOB_PORT", "COSMOSDB_PORT",
                             "SERVICE_BUS_PORT", "AUTHENTIK_PORT", "VAULT_PORT", "OPA_PORT", "GRAFANA_PORT", "MIMIR_PORT",
                             "LOKI_PORT", "TEMPO_PORT", "PYROSCOPE_PORT", "DAPR_PLACEMENT_HEALTH_PORT", "DAPR_SENTRY_HEALTH_PORT",
                             "SERVICE_BUS_HEALTH_PORT", "COSMOSDB_HEALTH_PORT", "GRAFANA_AGENT_PORT", "TEMPO_OTLP_PORT"})
        EXPECT_GT(s.vars.port(port), 0) << port;
    for (const char* secret : {"SQL_EDGE_SA_PASSWORD", "AUTHENTIK_SECRET_KEY", "AUTHENTIK_POSTGRES_PASSWORD", "VAULT_DEV_ROOT_TOKEN",
                               "GRAFANA_ADMIN_PASSWORD", "SERVICES_DB_PASSWORD", "CONTENT_DB_PASSWORD"})
        EXPECT_TRUE(s.vars.has(secret)) << secret;
}

TEST(Settings, PrecedenceFlagOverEnvironmentOverFileOverDefault) {
    TempDir dir;
    dir.write(".env.development", std::string(kMinimal) + "ENVCTL_IMAGES=upstream\nENVCTL_PROJECT=fromfile\n");
    auto s = load({}, {{"POSTGRES_PORT", "15432"}, {"ENVCTL_IMAGES", "local"}}, dir.path());
    EXPECT_EQ(s.vars.port("POSTGRES_PORT"), 15432);                  // environment over file
    EXPECT_EQ(s.project, "fromfile");                                  // file over default
    EXPECT_EQ(s.vars.require("ENVCTL_READY_BUDGET"), "30s");          // default
    EXPECT_EQ(s.images, envctl::settings::ImageFlavour::local);        // environment over file
    auto flagged = load({.profile = "core", .images = "upstream", .engine = "podman-compose"}, {{"ENVCTL_IMAGES", "local"}}, dir.path());
    EXPECT_EQ(flagged.images, envctl::settings::ImageFlavour::upstream);  // flag over environment
    EXPECT_EQ(flagged.engine, envctl::settings::EngineKind::podman_compose);
    EXPECT_EQ(flagged.profile, "core");
}

TEST(Settings, FindsTheProjectRootFromASubfolder) {
    TempDir dir;
    dir.write(".env.development", kMinimal);
    std::filesystem::create_directories(dir / "src/deep");
    auto s = load({}, {}, dir / "src/deep");
    EXPECT_EQ(s.project_dir, std::filesystem::canonical(dir.path()));
    EXPECT_EQ(s.run_compose_file(), s.project_dir / ".envctl/run/compose.yml");
}

TEST(Settings, NoProjectRootIsAClearError) {
    TempDir dir;
    EXPECT_NE(load_error(dir, {}).find("no .env.development"), std::string::npos);
}

TEST(Settings, PortOutOfRangeNamesVariableFileAndLine) {
    TempDir dir;
    dir.write(".env.development", std::string(kMinimal) + "GRAFANA_PORT=70000\n");
    auto msg = load_error(dir, {});
    EXPECT_NE(msg.find("GRAFANA_PORT"), std::string::npos) << msg;
    EXPECT_NE(msg.find(".env.development:7"), std::string::npos) << msg;
    EXPECT_NE(msg.find("1 to 65535"), std::string::npos) << msg;
    dir.write(".env.development", std::string(kMinimal) + "GRAFANA_PORT=abc\n");
    EXPECT_NE(load_error(dir, {}).find("GRAFANA_PORT"), std::string::npos);
    dir.write(".env.development", kMinimal);
    auto env_msg = load_error(dir, {}, {{"POSTGRES_PORT", "0"}});
    EXPECT_NE(env_msg.find("POSTGRES_PORT (process environment)"), std::string::npos) << env_msg;
}

TEST(Settings, MissingRequiredVariableIsNamed) {
    TempDir dir;
    dir.write(".env.development", "POSTGRES_USER=postgres\nPOSTGRES_DB=x\n");
    auto msg = load_error(dir, {});
    EXPECT_NE(msg.find("POSTGRES_PASSWORD is not set"), std::string::npos) << msg;
}

TEST(Settings, DatabaseNamesMustBePlainIdentifiers) {
    TempDir dir;
    for (const char* bad : {"services_db,Content_db", "services_db,\"x\"", "a;drop", "has space", "1db", "a,a"}) {
        dir.write(".env.development", std::string(kMinimal) + "POSTGRES_MULTIPLE_DATABASES=" + bad + "\n");
        auto msg = load_error(dir, {});
        EXPECT_NE(msg.find("POSTGRES_MULTIPLE_DATABASES"), std::string::npos) << bad << ": " << msg;
    }
}

TEST(Settings, BadEnvctlValuesAreRefused) {
    TempDir dir;
    dir.write(".env.development", kMinimal);
    EXPECT_NE(load_error(dir, {}, {{"ENVCTL_IMAGES", "remote"}}).find("ENVCTL_IMAGES"), std::string::npos);
    EXPECT_NE(load_error(dir, {}, {{"ENVCTL_ENGINE", "docker"}}).find("ENVCTL_ENGINE"), std::string::npos);
    EXPECT_NE(load_error(dir, {}, {{"ENVCTL_READY_BUDGET", "soon"}}).find("ENVCTL_READY_BUDGET"), std::string::npos);
    EXPECT_NE(load_error(dir, {}, {{"ENVCTL_BIND_ADDRESS", "localhost:1"}}).find("ENVCTL_BIND_ADDRESS"), std::string::npos);
    EXPECT_NE(load_error(dir, {}, {{"ENVCTL_PROJECT", "Bad Name"}}).find("ENVCTL_PROJECT"), std::string::npos);
    EXPECT_NE(load_error(dir, {}, {{"MIGRATION_APPROACH", "conservative"}}).find("only 'aggressive'"), std::string::npos);
}

TEST(Settings, DbSparesIsAWholeNumberFromZeroTo64NamedWhenItIsNot) {
    TempDir dir;
    dir.write(".env.development", kMinimal);
    EXPECT_EQ(load({}, {}, dir.path()).db_spares, 4);
    EXPECT_EQ(load({}, {{"ENVCTL_DB_SPARES", "0"}}, dir.path()).db_spares, 0);
    EXPECT_EQ(load({}, {{"ENVCTL_DB_SPARES", "64"}}, dir.path()).db_spares, 64);
    for (const char* bad : {"-1", "65", "four", "1.5", " 4", "999"}) {
        auto msg = load_error(dir, {}, {{"ENVCTL_DB_SPARES", bad}});
        EXPECT_NE(msg.find("ENVCTL_DB_SPARES (process environment): '" + std::string(bad) + "'"), std::string::npos)
            << bad << ": " << msg;
        EXPECT_NE(msg.find("a whole number from 0 (no spares) to 64"), std::string::npos) << msg;
    }
    dir.write(".env.development", std::string(kMinimal) + "ENVCTL_DB_SPARES=lots\n");
    auto msg = load_error(dir, {});
    EXPECT_NE(msg.find("ENVCTL_DB_SPARES (" + (dir / ".env.development").string() + ":7)"), std::string::npos) << msg;
}

TEST(Settings, ChildEnvironmentCarriesProcessEnvironmentAndVariables) {
    TempDir dir;
    dir.write(".env.development", kMinimal);
    auto s = load({}, {{"PATH", "/usr/bin"}, {"HOME", "/root"}}, dir.path());
    auto env = s.child_environment();
    EXPECT_EQ(env.at("PATH"), "/usr/bin");
    EXPECT_EQ(env.at("POSTGRES_PORT"), "5432");
    EXPECT_EQ(env.at("ENVCTL_BIND_ADDRESS"), "127.0.0.1");
}
