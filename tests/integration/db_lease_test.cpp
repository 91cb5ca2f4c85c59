// envctl db lease|leases|release on a real PostgreSQL (issue 12 §2): shapes, isolation, expiry, 16 parallel
// processes, a template refresh racing leases, refusals.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <future>
#include <set>
#include <thread>

#include "envctl/db/database_copy.hpp"
#include "envctl/db/session.hpp"
#include "envctl/migrations/leases.hpp"
#include "envctl/migrations/migration_files.hpp"
#include "envctl/migrations/runner.hpp"
#include "envctl/migrations/template.hpp"
#include "envctl/settings/settings.hpp"
#include "support/migration_project.hpp"

using envctl::test::MigrationProject;
using envctl::test::can_connect;
using nlohmann::json;

namespace {

std::string output(const envctl::subprocess::Result& r) { return r.out + r.err; }

void migrate(const MigrationProject& p) {
    auto r = p.envctl({"migrate"});
    ASSERT_EQ(r.exit_code, 0) << output(r);
}

bool exists(const MigrationProject& p, const std::string& name) {
    return p.scalar("", "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'") == "1";
}

// Waits until the server's clock has passed `timestamp` (a lease's expires_at), at most 10 s.
void wait_for_server_time(const MigrationProject& p, const std::string& timestamp) {
    for (int i = 0; i < 200; ++i) {
        if (p.scalar("", "SELECT " + envctl::db::utc_timestamp_sql("now()")) >= timestamp) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the server's clock never reached " << timestamp;
}

}  // namespace

TEST(DbLease, LeaseListReleaseWithTheIssuesShapes) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
    migrate(p);

    auto r = p.envctl({"db", "lease", "--json"});
    ASSERT_EQ(r.exit_code, 0) << output(r);
    auto doc = json::parse(r.out);
    EXPECT_EQ(doc["schema"], "envctl.db-lease/v1");
    const std::string name = doc["name"];
    EXPECT_EQ(name.rfind(p.db("services_db") + "__lease_", 0), 0u) << name;
    EXPECT_EQ(doc["source"], p.db("services_db"));  // the first of POSTGRES_MULTIPLE_DATABASES
    EXPECT_EQ(doc["url"], "postgres://" + p.owner("services_db") + "@127.0.0.1:" + std::to_string(pg->port()) + "/" + name);
    EXPECT_EQ(std::string(doc["expires_at"]).size(), 24u);

    // A copy of the migrated schema, owned by D's owner, reachable with D's owner's password.
    EXPECT_EQ(p.scalar("", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '" + name + "'"),
              p.owner("services_db"));
    auto info = pg->admin_connection(name);
    info.user = p.owner("services_db");
    info.password = p.owner_password("services_db");
    {
        envctl::db::Session lease(info);
        EXPECT_EQ(lease.query("SELECT max(version) FROM schema_migrations")[0][0], std::optional<std::string>("3"));
        lease.exec("INSERT INTO service_categories (name, slug) VALUES ('x', 'x')");  // its own data
    }
    EXPECT_EQ(p.scalar("services_db", "SELECT count(*) FROM service_categories WHERE slug = 'x'"), "0");

    // Text: the URL alone; --name; --database; --format env carries the password and only it does.
    auto text = p.envctl({"db", "lease", "--database", p.db("content_db"), "--name", p.db("content_db") + "_mine", "--ttl", "10m"});
    ASSERT_EQ(text.exit_code, 0) << output(text);
    EXPECT_EQ(text.out, "postgres://" + p.owner("content_db") + "@127.0.0.1:" + std::to_string(pg->port()) + "/" +
                            p.db("content_db") + "_mine\n");
    auto env = p.envctl({"db", "lease", "--format", "env"});
    ASSERT_EQ(env.exit_code, 0) << output(env);
    EXPECT_NE(env.out.find("export PGPASSWORD='" + p.owner_password("services_db") + "'\n"), std::string::npos) << env.out;
    EXPECT_NE(env.out.find("export DATABASE_URL='postgres://" + p.owner("services_db") + ":" +
                           p.owner_password("services_db") + "@127.0.0.1:"),
              std::string::npos)
        << env.out;
    EXPECT_EQ(env.err.find(p.owner_password("services_db")), std::string::npos);
    for (const auto* res : {&r, &text}) {
        EXPECT_EQ(output(*res).find(p.owner_password("services_db")), std::string::npos);
        EXPECT_EQ(output(*res).find(pg->password()), std::string::npos);
    }

    auto list = p.envctl({"db", "leases", "--json"});
    ASSERT_EQ(list.exit_code, 0) << output(list);
    auto leases = json::parse(list.out);
    EXPECT_EQ(leases["schema"], "envctl.db-leases/v1");
    ASSERT_EQ(leases["leases"].size(), 3u) << list.out;
    std::set<std::string> names;
    for (const auto& l : leases["leases"]) {
        names.insert(l["name"]);
        EXPECT_TRUE(l.contains("source") && l.contains("created_at") && l.contains("expires_at")) << l.dump();
    }
    EXPECT_TRUE(names.count(name) && names.count(p.db("content_db") + "_mine"));
    auto listed = p.envctl({"db", "leases"});
    EXPECT_NE(listed.out.find(name + "  from " + p.db("services_db") + "  age "), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("expires in "), std::string::npos) << listed.out;

    // Release one by name; a database that is not a lease is refused (exit 2) and kept.
    auto refused = p.envctl({"db", "release", p.db("services_db")});
    EXPECT_EQ(refused.exit_code, 2) << output(refused);
    EXPECT_NE(refused.err.find("is not a lease"), std::string::npos) << refused.err;
    EXPECT_TRUE(exists(p, p.db("services_db")));
    auto released = p.envctl({"db", "release", name});
    ASSERT_EQ(released.exit_code, 0) << output(released);
    EXPECT_FALSE(exists(p, name));
    // --all --database: only that source's.
    ASSERT_EQ(p.envctl({"db", "release", "--all", "--database", p.db("content_db")}).exit_code, 0);
    EXPECT_FALSE(exists(p, p.db("content_db") + "_mine"));
    EXPECT_EQ(json::parse(p.envctl({"db", "leases", "--json"}).out)["leases"].size(), 1u);
    ASSERT_EQ(p.envctl({"db", "release", "--all"}).exit_code, 0);
    EXPECT_EQ(json::parse(p.envctl({"db", "leases", "--json"}).out)["leases"].size(), 0u);

    // A taken name is a usage error.
    auto taken = p.envctl({"db", "lease", "--name", p.db("content_db")});
    EXPECT_EQ(taken.exit_code, 2) << output(taken);
}

TEST(DbLease, ALeaseIsIsolatedLikeItsSource) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    p.use_real_migrations("services_db");
    p.use_real_migrations("content_db");
    migrate(p);
    auto r = p.envctl({"db", "lease", "--json"});
    ASSERT_EQ(r.exit_code, 0) << output(r);
    const std::string name = json::parse(r.out)["name"];
    EXPECT_TRUE(can_connect(*pg, p.owner("services_db"), p.owner_password("services_db"), name));
    EXPECT_FALSE(can_connect(*pg, p.owner("content_db"), p.owner_password("content_db"), name));
    EXPECT_EQ(p.scalar("", "SELECT has_database_privilege('" + p.owner("content_db") + "', '" + name + "', 'CONNECT')"), "f");
}

TEST(DbLease, ExpiredLeasesAreDroppedByTheNextLeaseReleaseOrUpsMigration) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    migrate(p);
    auto lease = [&](const std::string& ttl) {
        auto r = p.envctl({"db", "lease", "--json", "--ttl", ttl});
        EXPECT_EQ(r.exit_code, 0) << output(r);
        return json::parse(r.out);
    };
    // By the next lease (the long one first: making it may take longer than the short one's TTL).
    auto long_lived = lease("1h");
    auto short_lived = lease("200ms");
    wait_for_server_time(p, short_lived["expires_at"]);
    auto listed = p.envctl({"db", "leases"});  // listing changes nothing; it says which have expired
    EXPECT_NE(listed.out.find("expired"), std::string::npos) << listed.out;
    EXPECT_TRUE(exists(p, short_lived["name"]));
    auto next = lease("1h");
    EXPECT_FALSE(exists(p, short_lived["name"]));
    EXPECT_TRUE(exists(p, long_lived["name"]));

    // By a release (of another lease).
    auto second = lease("200ms");
    wait_for_server_time(p, second["expires_at"]);
    ASSERT_EQ(p.envctl({"db", "release", next["name"]}).exit_code, 0);
    EXPECT_FALSE(exists(p, second["name"]));

    // By up's migration (migrations::run_all).
    auto third = lease("200ms");
    wait_for_server_time(p, third["expires_at"]);
    auto settings = envctl::settings::load({.project_dir = p.root()}, {}, p.root());
    ASSERT_TRUE(envctl::migrations::run_all(settings, envctl::Clock::now() + std::chrono::seconds(30)).ok());
    EXPECT_FALSE(exists(p, third["name"]));
    EXPECT_TRUE(exists(p, long_lived["name"]));
}

TEST(DbLease, SixteenParallelProcessesEachGetTheirOwnLeaseWhileTheTemplateIsRefreshed) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    migrate(p);

    // The migrator refreshing the template meanwhile (as a migration would) must not disturb any lease.
    auto config = p.config();
    config.admin.connect_timeout = std::chrono::seconds(30);  // 16 sanitized processes share 2 cores with it
    const auto& target = config.databases.front();
    auto refresher = std::async(std::launch::async, [&] {
        envctl::db::Session admin(config.admin);
        const auto deadline = envctl::Clock::now() + std::chrono::seconds(30);
        const auto files = envctl::migrations::load_migrations(config.migrations_dir / target.name);
        const auto expected = envctl::migrations::expected_schema(admin, config, target, deadline);
        std::string errors;
        for (int i = 0; i < 3; ++i) errors += envctl::migrations::refresh_template(admin, config, target, files, expected, deadline);
        return errors;
    });
    std::vector<std::future<envctl::subprocess::Result>> jobs;
    for (int i = 0; i < 16; ++i)
        jobs.push_back(std::async(std::launch::async, [&] { return p.envctl({"db", "lease", "--json"}); }));
    std::set<std::string> names;
    for (auto& job : jobs) {
        auto r = job.get();
        ASSERT_EQ(r.exit_code, 0) << output(r);
        names.insert(json::parse(r.out)["name"].get<std::string>());
    }
    EXPECT_EQ(refresher.get(), "");
    EXPECT_EQ(names.size(), 16u);
    auto listed = json::parse(p.envctl({"db", "leases", "--json"}).out)["leases"];
    EXPECT_EQ(listed.size(), 16u);
    for (const auto& name : names) {
        EXPECT_TRUE(can_connect(*pg, p.owner("services_db"), p.owner_password("services_db"), name)) << name;
    }
    EXPECT_TRUE(envctl::migrations::read_template(*p.admin(), p.db("services_db")));
    ASSERT_EQ(p.envctl({"db", "release", "--all"}).exit_code, 0);
}

TEST(DbLease, WithoutACurrentTemplateALeaseIsRefusedWithExitSix) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    auto none = p.envctl({"db", "lease"});
    EXPECT_EQ(none.exit_code, 6) << output(none);
    EXPECT_NE(none.err.find("has no template " + p.db("services_db") + "__template"), std::string::npos) << none.err;

    migrate(p);
    p.write_migration("services_db", "0004_more.sql", "SELECT 1;\n");
    auto stale = p.envctl({"db", "lease"});
    EXPECT_EQ(stale.exit_code, 6) << output(stale);
    EXPECT_NE(stale.err.find("built at version 0003; the migrations are at 0004"), std::string::npos) << stale.err;
    migrate(p);
    EXPECT_EQ(p.envctl({"db", "lease"}).exit_code, 0);
}

TEST(DbLease, AStatementCancelledAtMigrationTimeoutIsExitThreeNamingItNotAnInternalError) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    p.use_real_migrations("services_db");
    migrate(p);
    // Another session holds the catalog of database comments (what a lease reads first), as a busy server would.
    envctl::db::Session holder(pg->admin_connection());
    holder.exec("BEGIN; LOCK TABLE pg_shdescription IN ACCESS EXCLUSIVE MODE");
    auto r = p.envctl({"db", "lease"}, {{"MIGRATION_TIMEOUT", "1s"}});
    holder.exec("ROLLBACK");
    EXPECT_EQ(r.exit_code, 3) << output(r);
    EXPECT_NE(r.err.find("MIGRATION_TIMEOUT (1s) ran out during `"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    EXPECT_EQ(p.envctl({"db", "lease"}).exit_code, 0);
}
