// ENVCTL_PORTS=auto: precedence (process environment / command line > recorded auto choice > a new pick; the env
// file's values are replaced), picking, recording and releasing (issue 12 §4).
#include "envctl/orchestration/port_choice.hpp"
#include "envctl/settings/port_plan.hpp"

#include <cstdlib>
#include <set>

#include <gtest/gtest.h>

#include "envctl/core/error.hpp"
#include "envctl/util/files.hpp"
#include "support/port_holder.hpp"
#include "support/temp_dir.hpp"

using envctl::settings::Origin;
using envctl::settings::PortRange;
using envctl::test::TempDir;

namespace {

const char* kMinimal = "POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=pw-secret\nPOSTGRES_DB=db\nPOSTGRES_PORT=5432\n"
                       "REDIS_DAPR_PORT=6379\n";

const std::vector<std::string> kPorts = {"POSTGRES_PORT", "REDIS_DAPR_PORT", "AZURITE_BLOB_PORT", "COSMOSDB_HEALTH_PORT"};

// Sets ENVCTL_LOCK_DIR for the test (the host-wide registry and lock live there) and restores it after.
class LockDirScope {
public:
    explicit LockDirScope(const std::filesystem::path& dir) {
        if (const char* old = std::getenv("ENVCTL_LOCK_DIR")) old_ = old;
        ::setenv("ENVCTL_LOCK_DIR", dir.c_str(), 1);
    }
    ~LockDirScope() {
        if (old_.empty()) ::unsetenv("ENVCTL_LOCK_DIR");
        else ::setenv("ENVCTL_LOCK_DIR", old_.c_str(), 1);
    }

private:
    std::string old_;
};

envctl::settings::Settings load(const TempDir& dir, const std::map<std::string, std::string>& env,
                                const std::string& ports = "auto") {
    envctl::settings::GlobalOptions options;
    options.project_dir = dir.path();
    if (!ports.empty()) options.ports = ports;
    return envctl::settings::load(options, env, dir.path());
}

std::string dir_registry(const TempDir& dir) { return envctl::files::read(dir / "locks" / "ports-registry.json"); }

}  // namespace

TEST(PortPlan, ExplicitOverRecordedOverPickedAndTheEnvFileIsReplaced) {
    envctl::settings::Variables vars;
    vars.set("POSTGRES_PORT", "15432", Origin{Origin::Kind::process_env, {}, 0});
    vars.set("REDIS_DAPR_PORT", "6379", Origin{Origin::Kind::env_file, "/p/.env.development", 3});
    vars.set("AZURITE_BLOB_PORT", "10000", Origin{Origin::Kind::env_file, "/p/.env.development", 4});
    vars.set("COSMOSDB_HEALTH_PORT", "8082", Origin{});
    vars.set("VAULT_PORT", "8200", Origin{Origin::Kind::flag, {}, 0});
    const auto plan = envctl::settings::plan_ports(
        vars, {"POSTGRES_PORT", "REDIS_DAPR_PORT", "AZURITE_BLOB_PORT", "COSMOSDB_HEALTH_PORT", "VAULT_PORT", "LOKI_PORT"},
        {{"POSTGRES_PORT", 31000}, {"REDIS_DAPR_PORT", 31001}});
    EXPECT_EQ(plan.explicit_ports, (std::map<std::string, int>{{"POSTGRES_PORT", 15432}, {"VAULT_PORT", 8200}}));
    EXPECT_EQ(plan.recorded, (std::map<std::string, int>{{"REDIS_DAPR_PORT", 31001}}));
    EXPECT_EQ(plan.to_pick, (std::vector<std::string>{"AZURITE_BLOB_PORT", "COSMOSDB_HEALTH_PORT", "LOKI_PORT"}));
}

TEST(PortPlan, AnExplicitValueThatIsNoPortIsRefusedNamingTheVariable) {
    envctl::settings::Variables vars;
    vars.set("POSTGRES_PORT", "54x", Origin{Origin::Kind::process_env, {}, 0});
    try {
        (void)envctl::settings::plan_ports(vars, {"POSTGRES_PORT"}, {});
        FAIL() << "no error";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("POSTGRES_PORT (process environment)"), std::string::npos) << e.what();
    }
}

TEST(PortPlan, PicksSkipTakenAndBusyPortsAndWrapAround) {
    const PortRange range{100, 109};
    auto ports = envctl::settings::pick_ports(4, {108, 101}, [](int p) { return p != 109; }, range, 107);
    EXPECT_EQ(ports, (std::vector<int>{107, 100, 102, 103}));
}

TEST(PortPlan, ARangeThatRunsOutIsAPreflightRefusal) {
    try {
        (void)envctl::settings::pick_ports(3, {1}, [](int) { return true; }, PortRange{1, 3}, 1);
        FAIL() << "no error";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::preflight);
        EXPECT_NE(std::string(e.what()).find("only 2 of the 3"), std::string::npos) << e.what();
    }
}

TEST(PortPlan, ScanStartIsStableInTheRangeAndDiffersBetweenProjects) {
    const PortRange range{};
    const int a = envctl::settings::scan_start("job-1", range);
    EXPECT_EQ(a, envctl::settings::scan_start("job-1", range));
    EXPECT_GE(a, range.first);
    EXPECT_LE(a, range.last);
    EXPECT_NE(a, envctl::settings::scan_start("job-2", range));
}

TEST(PortsSetting, BadValueNamesTheVariableAndTheFlagWins) {
    TempDir dir;
    dir.write(".env.development", std::string(kMinimal) + "ENVCTL_PORTS=sometimes\n");
    try {
        (void)load(dir, {}, "fixed");
    } catch (...) {
        FAIL() << "--ports fixed must win over the env file";
    }
    envctl::settings::GlobalOptions options;
    options.project_dir = dir.path();
    try {
        (void)envctl::settings::load(options, {}, dir.path());
        FAIL() << "no error";
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        EXPECT_NE(std::string(e.what()).find("ENVCTL_PORTS (" + (dir / ".env.development").string() + ":6)"), std::string::npos)
            << e.what();
    }
}

TEST(PortsSetting, AProjectNamedByTheEnvironmentKeepsItsStateApart) {
    TempDir dir;
    dir.write(".env.development", std::string(kMinimal) + "ENVCTL_PROJECT=checkout\n");
    EXPECT_EQ(load(dir, {}).state_dir() / "state.json", dir.path() / ".envctl/state.json");
    EXPECT_EQ(load(dir, {{"ENVCTL_PROJECT", "checkout"}}).state_dir() / "state.json", dir.path() / ".envctl/state.json");
    const auto job = load(dir, {{"ENVCTL_PROJECT", "job-7"}});
    EXPECT_EQ(job.state_dir() / "state.json", dir.path() / ".envctl/projects/job-7/state.json");
    EXPECT_EQ(job.run_compose_file(), dir.path() / ".envctl/projects/job-7/run/compose.yml");
}

TEST(PortChoice, AutoPicksRecordsKeepsAndReleases) {
    TempDir dir;
    LockDirScope locks(dir / "locks");
    dir.write(".env.development", std::string(kMinimal) + "ENVCTL_PROJECT=pc-one\n");
    const PortRange range{};
    // The port the project's scan starts at is held: it must not be picked.
    envctl::test::PortHolder held(envctl::settings::scan_start("pc-one", range));
    ASSERT_TRUE(held.listening());

    auto first = load(dir, {{"POSTGRES_PORT", "25999"}});
    envctl::orchestration::apply_auto_ports(first, kPorts);
    EXPECT_EQ(first.vars.port("POSTGRES_PORT"), 25999);  // process environment wins
    std::set<int> picked;
    for (const char* name : {"REDIS_DAPR_PORT", "AZURITE_BLOB_PORT", "COSMOSDB_HEALTH_PORT"}) {
        const int port = first.vars.port(name);
        EXPECT_GE(port, range.first) << name;
        EXPECT_LE(port, range.last) << name;
        EXPECT_NE(port, envctl::settings::scan_start("pc-one", range)) << name;
        EXPECT_EQ(first.vars.origin(name).kind, Origin::Kind::auto_port);
        picked.insert(port);
    }
    EXPECT_EQ(picked.size(), 3u);
    const auto file = envctl::orchestration::port_choice_file(first);
    EXPECT_EQ(envctl::orchestration::read_port_choice(file).size(), 3u);
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    // A later command of the project, without the explicit port this time: the same ports, POSTGRES_PORT picked.
    auto second = load(dir, {});
    envctl::orchestration::apply_auto_ports(second, kPorts);
    for (const char* name : {"REDIS_DAPR_PORT", "AZURITE_BLOB_PORT", "COSMOSDB_HEALTH_PORT"})
        EXPECT_EQ(second.vars.port(name), first.vars.port(name)) << name;
    EXPECT_FALSE(picked.count(second.vars.port("POSTGRES_PORT")));
    EXPECT_NE(second.vars.port("POSTGRES_PORT"), 5432);  // the env file's value is replaced

    // A command that does not repeat ENVCTL_PORTS=auto still has the recorded ports; an explicit `fixed` sets the
    // record aside (the env file's values).
    envctl::settings::GlobalOptions plain_options;
    plain_options.project_dir = dir.path();
    auto plain = envctl::settings::load(plain_options, {}, dir.path());
    envctl::orchestration::apply_auto_ports(plain, kPorts);
    EXPECT_EQ(plain.vars.port("REDIS_DAPR_PORT"), first.vars.port("REDIS_DAPR_PORT"));
    auto fixed = load(dir, {}, "fixed");
    envctl::orchestration::apply_auto_ports(fixed, kPorts);
    EXPECT_EQ(fixed.vars.port("REDIS_DAPR_PORT"), 6379);
    auto fixed_env = load(dir, {{"ENVCTL_PORTS", "fixed"}}, "");
    envctl::orchestration::apply_auto_ports(fixed_env, kPorts);
    EXPECT_EQ(fixed_env.vars.port("REDIS_DAPR_PORT"), 6379);

    EXPECT_TRUE(envctl::orchestration::release_ports(second));
    EXPECT_FALSE(std::filesystem::exists(file));
    EXPECT_FALSE(envctl::orchestration::release_ports(second));
}

TEST(PortChoice, ARecordedChoiceOfAnotherCheckoutIsNeverPickedAgainUntilReleased) {
    // Two checkouts naming the same project scan from the same port: only the host-wide registry keeps the second
    // off the first one's ports, which are recorded but not bound yet.
    TempDir one, two;
    LockDirScope locks(one / "locks");
    one.write(".env.development", kMinimal);
    two.write(".env.development", kMinimal);
    auto a = load(one, {{"ENVCTL_PROJECT", "pc-same"}});
    envctl::orchestration::apply_auto_ports(a, kPorts);
    std::set<int> ports_a;
    for (const auto& name : kPorts) ports_a.insert(a.vars.port(name));
    auto b = load(two, {{"ENVCTL_PROJECT", "pc-same"}});
    envctl::orchestration::apply_auto_ports(b, kPorts);
    for (const auto& name : kPorts) EXPECT_FALSE(ports_a.count(b.vars.port(name))) << name;

    const auto registry = dir_registry(one);
    EXPECT_NE(registry.find(envctl::orchestration::port_choice_file(a).string()), std::string::npos) << registry;
    EXPECT_TRUE(envctl::orchestration::release_ports(a));
    EXPECT_EQ(dir_registry(one).find(envctl::orchestration::port_choice_file(a).string()), std::string::npos);

    // Released: a third checkout may have a's ports again (the scan starts at the same place).
    TempDir three;
    three.write(".env.development", kMinimal);
    auto c = load(three, {{"ENVCTL_PROJECT", "pc-same"}});
    envctl::orchestration::apply_auto_ports(c, kPorts);
    EXPECT_TRUE(ports_a.count(c.vars.port("POSTGRES_PORT")));
}

TEST(PortChoice, ACommandThatCreatesNothingNeverPicks) {
    TempDir dir;
    LockDirScope locks(dir / "locks");
    dir.write(".env.development", std::string(kMinimal) + "ENVCTL_PROJECT=pc-status\n");
    auto s = load(dir, {});
    envctl::orchestration::apply_auto_ports(s, kPorts, false);  // status, wait-ready, down
    EXPECT_EQ(s.vars.port("REDIS_DAPR_PORT"), 6379);
    EXPECT_FALSE(std::filesystem::exists(envctl::orchestration::port_choice_file(s)));
}
