// The postgres probe (db::ping: connect + SELECT 1) against the shared throwaway PostgreSQL cluster.
#include <gtest/gtest.h>

#include "envctl/health/probe_factory.hpp"
#include "envctl/health/prober.hpp"
#include "support/pg_cluster.hpp"

using namespace envctl;
using namespace envctl::health;
using std::chrono::milliseconds;

namespace {
ProbeResult attempt(const db::ConnectionInfo& info) {
    return run_attempt(postgres_probe(info), AttemptContext{milliseconds(3000), nullptr});
}
}  // namespace

TEST(PostgresProbe, RightCredentialsAreReady) {
    REQUIRE_PG_CLUSTER(pg);
    ProbeResult r = attempt(pg->admin_connection());
    EXPECT_EQ(r.outcome, Outcome::ok) << r.detail;
    EXPECT_EQ(r.detail, "SELECT 1 ok");
    EXPECT_EQ(r.target, "postgres://postgres@127.0.0.1:" + std::to_string(pg->port()) + "/postgres");
}

TEST(PostgresProbe, RefusedPasswordIsBrokenAndNeverShown) {
    REQUIRE_PG_CLUSTER(pg);
    auto info = pg->admin_connection();
    info.password = "wrong-probe-password";
    ProbeResult r = attempt(info);
    EXPECT_EQ(r.outcome, Outcome::failed);
    EXPECT_NE(r.detail.find("password authentication failed"), std::string::npos) << r.detail;
    EXPECT_EQ(r.detail.find("wrong-probe-password"), std::string::npos);
    EXPECT_EQ(r.target.find("wrong-probe-password"), std::string::npos);
}

TEST(PostgresProbe, MissingDatabaseIsBroken) {
    REQUIRE_PG_CLUSTER(pg);
    ProbeResult r = attempt(pg->admin_connection("no_such_database_here"));
    EXPECT_EQ(r.outcome, Outcome::failed);
    EXPECT_NE(r.detail.find("does not exist"), std::string::npos) << r.detail;
}

TEST(PostgresProbe, NothingListeningIsNotReady) {
    db::ConnectionInfo info;
    info.port = envctl::test::free_port();
    info.user = "postgres";
    info.database = "postgres";
    ProbeResult r = attempt(info);
    EXPECT_EQ(r.outcome, Outcome::not_ready);
    EXPECT_LT(r.latency, std::chrono::seconds(5));
}

// From settings, as `up` builds it: the service's variables name the port, user, password and database.
TEST(PostgresProbe, FromSettingsThroughTheProber) {
    REQUIRE_PG_CLUSTER(pg);
    settings::Settings s;
    s.bind_address = "0.0.0.0";
    s.vars.set("POSTGRES_PORT", std::to_string(pg->port()), settings::Origin{});
    s.vars.set("POSTGRES_USER", pg->superuser(), settings::Origin{});
    s.vars.set("POSTGRES_PASSWORD", pg->password(), settings::Origin{});
    s.vars.set("POSTGRES_DB", "postgres", settings::Origin{});
    descriptors::ServiceDescriptor d;
    d.name = "postgresql";
    d.probe.kind = descriptors::ProbeKind::postgres;
    d.probe.port_variable = "POSTGRES_PORT";
    auto reports = probe_until_decided(
        {ServiceToProbe{d.name, make_probe(d, s), std::chrono::steady_clock::now(), std::chrono::seconds(10)}},
        ProberOptions{});
    EXPECT_EQ(reports[0].verdict, Verdict::ready) << reports[0].reason;
    EXPECT_EQ(reports[0].history.back().result.detail.find(pg->password()), std::string::npos);
}
