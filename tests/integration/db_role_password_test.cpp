// Finding 17 of issue 14: owner roles get their password as a SCRAM verifier computed by libpq; the plain
// password reaches neither the server's statement log (log_statement = all) nor pg_stat_activity.

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "envctl/db/admin.hpp"
#include "envctl/db/connection.hpp"
#include "envctl/db/session.hpp"
#include "envctl/util/files.hpp"
#include "support/pg_cluster.hpp"

namespace envctl::test {
namespace {

// log_statement = all on the shared cluster for one test, reset afterwards.
class StatementLog {
public:
    explicit StatementLog(PgCluster* pg) : pg_(pg) { set("ALTER SYSTEM SET log_statement = 'all'", "all"); }
    ~StatementLog() { set("ALTER SYSTEM RESET log_statement", "none"); }
    StatementLog(const StatementLog&) = delete;
    StatementLog& operator=(const StatementLog&) = delete;
    std::string text() const { return files::read(pg_->data_dir().parent_path() / "log"); }

private:
    void set(const std::string& statement, const std::string& expected) {
        db::Session admin(pg_->admin_connection());
        admin.exec(statement);
        admin.exec("SELECT pg_reload_conf()");
        // New sessions see the reloaded setting once the postmaster has read it.
        for (int i = 0; i < 100; ++i) {
            db::Session fresh(pg_->admin_connection());
            if (fresh.query("SHOW log_statement").at(0).at(0) == expected) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ADD_FAILURE() << "log_statement never became " << expected;
    }
    PgCluster* pg_;
};

TEST(RolePassword, SentAsAScramVerifierNeverAsText) {
    REQUIRE_PG_CLUSTER(pg);
    const std::string role = "scram_test_owner";
    const std::string password = "Owner-pl4in-'quoted'-secret";
    StatementLog log(pg);
    db::Session admin(pg->admin_connection());
    admin.exec("DROP ROLE IF EXISTS " + role);
    db::ensure_login_role(admin, role, password);   // CREATE ROLE
    db::ensure_login_role(admin, role, password);   // ALTER ROLE
    auto stored = admin.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", {role});
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored.at(0).at(0).value_or("").rfind("SCRAM-SHA-256$", 0), 0u);
    auto activity = admin.query("SELECT string_agg(query, ' ') FROM pg_stat_activity");
    EXPECT_EQ(activity.at(0).at(0).value_or("").find("pl4in"), std::string::npos);

    db::ConnectionInfo as_owner = pg->admin_connection();
    as_owner.user = role;
    as_owner.password = password;
    auto ping = db::ping(as_owner);
    EXPECT_TRUE(ping.ok) << ping.detail;
    as_owner.password = "not-the-password";
    EXPECT_FALSE(db::ping(as_owner).ok);

    const std::string text = log.text();
    EXPECT_NE(text.find("CREATE ROLE \"scram_test_owner\" LOGIN PASSWORD 'SCRAM-SHA-256$"), std::string::npos)
        << "the statement log does not show the statement: it proves nothing";
    EXPECT_NE(text.find("ALTER ROLE \"scram_test_owner\" LOGIN PASSWORD 'SCRAM-SHA-256$"), std::string::npos);
    EXPECT_EQ(text.find("pl4in"), std::string::npos);
    admin.exec("DROP ROLE " + role);
}

}  // namespace
}  // namespace envctl::test
