#include "envctl/db/connection.hpp"

#include <gtest/gtest.h>

#include "support/pg_cluster.hpp"

TEST(DbConnection, PingSucceedsWithTheRightPasswordAndFailsWithAWrongOne) {
    REQUIRE_PG_CLUSTER(pg);
    auto ok = envctl::db::ping(pg->admin_connection());
    EXPECT_TRUE(ok.ok) << ok.detail;
    auto wrong = pg->admin_connection();
    wrong.password = "not-the-password";
    auto refused = envctl::db::ping(wrong);
    EXPECT_FALSE(refused.ok);
    EXPECT_NE(refused.detail.find("password authentication failed"), std::string::npos) << refused.detail;
    EXPECT_EQ(refused.detail.find("not-the-password"), std::string::npos);
}

TEST(DbConnection, ConninfoQuotesHostileValues) {
    envctl::db::ConnectionInfo info;
    info.user = "a b'c";
    info.password = "p\\w";
    info.database = "d";
    EXPECT_NE(info.conninfo().find("user='a b\\'c'"), std::string::npos) << info.conninfo();
    EXPECT_NE(info.conninfo().find("password='p\\\\w'"), std::string::npos);
    EXPECT_EQ(info.describe().find("p\\w"), std::string::npos);
}

TEST(DbConnection, NothingListeningFailsWithinTheConnectTimeout) {
    envctl::db::ConnectionInfo info;
    info.port = envctl::test::free_port();
    info.user = "postgres";
    info.database = "postgres";
    auto started = std::chrono::steady_clock::now();
    auto r = envctl::db::ping(info);
    EXPECT_FALSE(r.ok);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}
