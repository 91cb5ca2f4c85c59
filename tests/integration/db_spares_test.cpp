// Spare databases (issue 12: a lease in milliseconds) on a real PostgreSQL: a lease takes a spare (a rename: the
// lease has the spare's oid), parallel takers never share one, a template refresh replaces stale spares,
// ENVCTL_DB_SPARES=0 makes none, release refills, spares are not leases.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <future>
#include <map>
#include <set>

#include "envctl/db/session.hpp"
#include "envctl/migrations/spares.hpp"
#include "envctl/migrations/template.hpp"
#include "support/migration_project.hpp"

using envctl::test::MigrationProject;
using envctl::test::can_connect;
using nlohmann::json;

namespace {

// envctl on the project; anything but exit 0 fails the test, with what it said.
envctl::subprocess::Result run_ok(const MigrationProject& p, const std::vector<std::string>& args) {
    auto r = p.envctl(args);
    EXPECT_EQ(r.exit_code, 0) << "envctl " << args.front() << ": " << r.out << r.err;
    return r;
}

// The project's `bases` with the repository's migrations (and `seed`, a 0004 of services_db, when given), migrated
// with ENVCTL_DB_SPARES=`spares`.
void migrated(MigrationProject& p, int spares, const std::vector<std::string>& bases, const std::string& seed = "") {
    p.set_spares(spares);
    for (const auto& base : bases) p.use_real_migrations(base);
    if (!seed.empty()) p.write_migration("services_db", "0004_seed.sql", seed);
    run_ok(p, {"migrate"});
}

// A new lease's name (`db lease --json`).
std::string lease(const MigrationProject& p) { return json::parse(run_ok(p, {"db", "lease", "--json"}).out)["name"]; }

// The spares of `base` by name, with their oids (a rename keeps the oid: a lease made from a spare has its oid).
std::map<std::string, std::string> spares(const MigrationProject& p, const std::string& base = "services_db") {
    const auto config = p.config();
    std::map<std::string, std::string> out;
    for (const auto& target : config.databases) {
        if (target.name != p.db(base)) continue;
        for (const auto& spare : envctl::migrations::list_spares(*p.admin(), target)) {
            EXPECT_TRUE(spare.current) << spare.name << " is stale";
            out[spare.name] = p.scalar("", "SELECT oid FROM pg_database WHERE datname = '" + spare.name + "'");
        }
    }
    return out;
}

std::string oid_of(const MigrationProject& p, const std::string& name) {
    return p.scalar("", "SELECT oid FROM pg_database WHERE datname = '" + name + "'");
}

std::set<std::string> oids(const std::map<std::string, std::string>& named) {
    std::set<std::string> out;
    for (const auto& [name, oid] : named) out.insert(oid);
    return out;
}

json leases(const MigrationProject& p) { return json::parse(run_ok(p, {"db", "leases", "--json"}).out)["leases"]; }

}  // namespace

TEST(DbSpares, ALeaseTakesASpareWithTheTemplatesSchemaAndDataIsolatedLikeItsSource) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db", "content_db"});
    migrated(p, 3, {"services_db", "content_db"}, "INSERT INTO service_categories (name, slug) VALUES ('Seeded', 'seeded');\n");

    // Three per database, made from the template: not connectable, D's owner's, PUBLIC revoked; not leases.
    auto before = spares(p);
    ASSERT_EQ(before.size(), 3u);
    EXPECT_EQ(spares(p, "content_db").size(), 3u);
    for (const auto& [name, oid] : before) {
        EXPECT_EQ(name.rfind(p.db("services_db") + "__spare_", 0), 0u) << name;
        EXPECT_EQ(p.scalar("", "SELECT datallowconn FROM pg_database WHERE datname = '" + name + "'"), "f");
        EXPECT_EQ(p.scalar("", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '" + name + "'"),
                  p.owner("services_db"));
        EXPECT_EQ(p.scalar("", "SELECT has_database_privilege('" + p.owner("content_db") + "', '" + name + "', 'CONNECT')"), "f");
    }
    EXPECT_EQ(leases(p).size(), 0u);

    const std::string name = lease(p);
    EXPECT_EQ(name.rfind(p.db("services_db") + "__lease_", 0), 0u) << name;
    auto after = spares(p);
    EXPECT_EQ(after.size(), 2u);
    EXPECT_TRUE(oids(before).count(oid_of(p, name))) << name << " was not one of the spares";
    EXPECT_FALSE(oids(after).count(oid_of(p, name)));

    // The template's schema and data, its owner in, another owner out; listed as the one lease.
    auto info = pg->admin_connection(name);
    info.user = p.owner("services_db");
    info.password = p.owner_password("services_db");
    {
        envctl::db::Session lease(info);
        EXPECT_EQ(lease.query("SELECT max(version) FROM schema_migrations")[0][0], std::optional<std::string>("4"));
        EXPECT_EQ(lease.query("SELECT count(*) FROM service_categories WHERE slug = 'seeded'")[0][0],
                  std::optional<std::string>("1"));
    }
    EXPECT_FALSE(can_connect(*pg, p.owner("content_db"), p.owner_password("content_db"), name));
    EXPECT_EQ(p.scalar("", "SELECT has_database_privilege('" + p.owner("content_db") + "', '" + name + "', 'CONNECT')"), "f");
    auto listed = leases(p);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["name"], name);

    // `db reset` keeps the spares (the template is unchanged); `db release --all` drops the lease, not the spares,
    // and refills them to ENVCTL_DB_SPARES.
    run_ok(p, {"db", "reset"});
    EXPECT_EQ(spares(p), after);
    EXPECT_EQ(run_ok(p, {"db", "release", "--all"}).out, "released " + name + "\n");
    auto refilled = spares(p);
    EXPECT_EQ(refilled.size(), 3u);
    for (const auto& [spare, oid] : after) EXPECT_EQ(refilled[spare], oid) << spare << " was dropped";
    EXPECT_EQ(leases(p).size(), 0u);
}

TEST(DbSpares, SixteenParallelLeasesWithFewerSparesAllSucceedAndTakeEachSpareOnce) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    migrated(p, 5, {"services_db"});
    const auto before = spares(p);
    ASSERT_EQ(before.size(), 5u);

    std::vector<std::future<std::string>> jobs;
    for (int i = 0; i < 16; ++i) jobs.push_back(std::async(std::launch::async, [&] { return lease(p); }));
    std::set<std::string> names;
    for (auto& job : jobs) names.insert(job.get());
    EXPECT_EQ(names.size(), 16u);
    EXPECT_EQ(leases(p).size(), 16u);
    // Every spare became exactly one lease (a rename), the other leases are copies; none is left.
    std::set<std::string> lease_oids;
    for (const auto& name : names) {
        lease_oids.insert(oid_of(p, name));
        EXPECT_TRUE(can_connect(*pg, p.owner("services_db"), p.owner_password("services_db"), name)) << name;
    }
    EXPECT_EQ(lease_oids.size(), 16u);
    for (const auto& oid : oids(before)) EXPECT_TRUE(lease_oids.count(oid)) << "spare " << oid << " was not taken";
    EXPECT_EQ(spares(p).size(), 0u);

    run_ok(p, {"db", "release", "--all"});
    EXPECT_EQ(leases(p).size(), 0u);
    EXPECT_EQ(spares(p).size(), 5u);
}

TEST(DbSpares, ATemplateRefreshReplacesStaleSparesAndZeroMakesNone) {
    REQUIRE_PG_CLUSTER(pg);
    MigrationProject p(*pg, {"services_db"});
    migrated(p, 2, {"services_db"});
    const auto old = spares(p);
    ASSERT_EQ(old.size(), 2u);

    // A new migration: a new template, and spares of it in place of the old ones.
    p.write_migration("services_db", "0004_more.sql", "SELECT 1;\n");
    run_ok(p, {"migrate"});
    const auto fresh = spares(p);  // checks each is current
    ASSERT_EQ(fresh.size(), 2u);
    for (const auto& [name, oid] : old) EXPECT_FALSE(fresh.count(name)) << name << " (stale) was kept";
    const auto target = p.config().databases.front();
    const auto record = envctl::migrations::read_template(*p.admin(), target.name);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->version, 4);
    for (const auto& [name, oid] : fresh)
        EXPECT_EQ(p.scalar("", "SELECT shobj_description(" + oid + ", 'pg_database')"),
                  envctl::migrations::spare_comment(*record));
    EXPECT_TRUE(oids(fresh).count(oid_of(p, lease(p))));

    // ENVCTL_DB_SPARES=0: the next refresh leaves none, and a lease is a copy.
    p.set_spares(0);
    p.write_migration("services_db", "0005_more.sql", "SELECT 2;\n");
    run_ok(p, {"migrate"});
    EXPECT_EQ(spares(p).size(), 0u);
    EXPECT_FALSE(lease(p).empty());
    run_ok(p, {"db", "release", "--all"});
    EXPECT_EQ(spares(p).size(), 0u);
    EXPECT_EQ(leases(p).size(), 0u);
}
