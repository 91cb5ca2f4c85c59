// The four local images under real podman: each starts, answers from the host within a few seconds, runs its
// service as a non-root user, and `podman stop -t 10` returns within 2 s even with a client connected.
// Containers, volumes and host ports (231xx) are this file's own; everything is removed afterwards.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "envctl/db/connection.hpp"
#include "support/images_fixture.hpp"
#include "support/prerequisite.hpp"
#include "support/tcp_client.hpp"

namespace envctl::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kStopBound = 2000ms;
constexpr auto kAnswerBudget = 30s;  // generous: "a few seconds" measured, on 2 shared cores

class LocalImages : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        bool ready = ensure_local_images(&why);
        REQUIRE_PREREQUISITE(ready, why);
    }
};

void expect_non_root(ScopedContainer& c, const std::string& user) {
    auto users = c.process_users();
    ASSERT_FALSE(users.empty()) << c.logs();
    for (const auto& u : users) {
        EXPECT_NE(u, "root") << c.name();
        EXPECT_EQ(u, user) << c.name();
    }
}

db::ConnectionInfo pg_login(int port, const std::string& password) {
    db::ConnectionInfo info;
    info.port = port;
    info.user = "images_user";
    info.password = password;
    info.database = "images_db";
    info.connect_timeout = 3s;
    return info;
}

bool wait_for_login(const db::ConnectionInfo& info, std::chrono::seconds budget, std::string* last) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    while (std::chrono::steady_clock::now() < deadline) {
        auto r = db::ping(info);
        if (r.ok) return true;
        *last = r.detail;
        std::this_thread::sleep_for(200ms);
    }
    return false;
}

std::string psql_in(ScopedContainer& c, const std::string& sql) {
    auto r = podman_call({"exec", c.name(), "psql", "-v", "ON_ERROR_STOP=1", "-At", "-U", "images_user", "-d", "images_db",
                     "-c", sql});
    return r.ok() ? r.out : "psql failed: " + r.err;
}

TEST_F(LocalImages, PostgresqlTakesPasswordLoginsKeepsItsDataAndStopsFast) {
    ScopedContainer pg("images-test-pg", {"images-test-pgdata"});
    const std::vector<std::string> args{"-e", "POSTGRES_USER=images_user", "-e", "POSTGRES_PASSWORD=images-secret-1",
                                        "-e", "POSTGRES_DB=images_db", "-p", "127.0.0.1:23101:5432",
                                        "-v", "images-test-pgdata:/var/lib/postgresql/data",
                                        "localhost/envctl/postgresql:15"};
    std::string why;
    ASSERT_TRUE(pg.run(args, &why)) << why;
    ASSERT_TRUE(wait_for_login(pg_login(23101, "images-secret-1"), kAnswerBudget, &why)) << why << "\n" << pg.logs();

    auto refused = db::ping(pg_login(23101, "not-the-password"));
    EXPECT_FALSE(refused.ok);
    EXPECT_NE(refused.detail.find("password authentication failed"), std::string::npos) << refused.detail;
    expect_non_root(pg, "postgres");

    psql_in(pg, "CREATE TABLE kept(v text)");
    psql_in(pg, "INSERT INTO kept VALUES ('survives')");
    EXPECT_EQ(psql_in(pg, "SELECT count(*) FROM kept"), "1\n");
    // A session busy in a query inside the container, and an idle TCP client from the host.
    podman_call({"exec", "-d", pg.name(), "psql", "-U", "images_user", "-d", "images_db", "-c", "SELECT pg_sleep(60)"});
    TcpClient idle(23101, 3s);
    std::this_thread::sleep_for(300ms);  // let the exec'd session start its query
    auto stopped_in = pg.stop();
    EXPECT_LT(stopped_in, kStopBound) << "podman stop took " << stopped_in.count() << " ms\n" << pg.logs();

    // Restart: the same data, no new initialisation.
    ASSERT_TRUE(podman_call({"start", pg.name()}).ok());
    ASSERT_TRUE(wait_for_login(pg_login(23101, "images-secret-1"), kAnswerBudget, &why)) << why << "\n" << pg.logs();
    EXPECT_EQ(psql_in(pg, "SELECT v FROM kept"), "survives\n");

    // A new container on the same volume: the data lives in the volume, not in the container.
    podman_call({"rm", "-f", "-t", "0", pg.name()});
    ASSERT_TRUE(pg.run(args, &why)) << why;
    ASSERT_TRUE(wait_for_login(pg_login(23101, "images-secret-1"), kAnswerBudget, &why)) << why << "\n" << pg.logs();
    EXPECT_EQ(psql_in(pg, "SELECT v FROM kept"), "survives\n");
    EXPECT_EQ(pg.logs().find("envctl-postgres: initialised"), std::string::npos) << pg.logs();
}

TEST_F(LocalImages, RedisAnswersPingAndStopsFast) {
    ScopedContainer redis("images-test-redis", {"images-test-redisdata"});
    std::string why;
    // The built-in stack's redis-dapr command.
    ASSERT_TRUE(redis.run({"-p", "127.0.0.1:23102:6379", "-v", "images-test-redisdata:/data", "localhost/envctl/redis:7",
                           "redis-server", "--appendonly", "yes"},
                          &why))
        << why;
    auto pong = exchange_until(23102, "PING\r\n", "+PONG\r\n", kAnswerBudget, &why);
    ASSERT_TRUE(pong) << why << "\n" << redis.logs();
    expect_non_root(redis, "redis");
    // The in-container healthcheck the descriptors use.
    EXPECT_TRUE(podman_call({"exec", redis.name(), "sh", "-c", "redis-cli ping | grep -q PONG"}).ok());

    TcpClient client(23102, 3s);
    client.send("PING\r\n");
    EXPECT_EQ(client.receive_until("\r\n", 3s), "+PONG\r\n");
    auto stopped_in = redis.stop();
    EXPECT_LT(stopped_in, kStopBound) << "podman stop took " << stopped_in.count() << " ms\n" << redis.logs();
}

TEST_F(LocalImages, AzuriteServesTheBlobEndpointAndStopsFast) {
    ScopedContainer azurite("images-test-azurite", {"images-test-azuritedata"});
    std::string why;
    // The built-in stack's azurite command.
    ASSERT_TRUE(azurite.run({"-p", "127.0.0.1:23103:10000", "-v", "images-test-azuritedata:/data",
                             "localhost/envctl/azurite:3.35.0", "azurite", "--blobHost", "0.0.0.0", "--blobPort",
                             "10000", "--queueHost", "0.0.0.0", "--tableHost", "0.0.0.0", "--location", "/data",
                             "--skipApiVersionCheck", "--loose"},
                            &why))
        << why;
    const std::string request = "GET /devstoreaccount1?comp=list HTTP/1.1\r\nHost: 127.0.0.1:23103\r\n"
                                "Connection: keep-alive\r\n\r\n";
    auto response = exchange_until(23103, request, "\r\n\r\n", kAnswerBudget, &why);
    ASSERT_TRUE(response) << why << "\n" << azurite.logs();
    EXPECT_EQ(response->rfind("HTTP/1.1 ", 0), 0u) << *response;
    EXPECT_NE(response->find("Azurite-Blob/3.35.0"), std::string::npos) << *response;
    // Without credentials for devstoreaccount1 the blob service answers 403: the account exists, auth is enforced.
    EXPECT_EQ(response->rfind("HTTP/1.1 403", 0), 0u) << *response;
    expect_non_root(azurite, "azurite");

    TcpClient client(23103, 3s);  // a keep-alive client, connected while the container stops
    client.send(request);
    EXPECT_NE(client.receive_until("\r\n\r\n", 5s).find("HTTP/1.1 "), std::string::npos);
    auto stopped_in = azurite.stop();
    EXPECT_LT(stopped_in, kStopBound) << "podman stop took " << stopped_in.count() << " ms\n" << azurite.logs();
}

TEST_F(LocalImages, BusyboxServesAFileOverHttpAndStopsFast) {
    ScopedContainer busybox("images-test-busybox");
    std::string why;
    ASSERT_TRUE(busybox.run({"-p", "127.0.0.1:23104:8080", "localhost/envctl/busybox:1.35", "sh", "-c",
                             "echo served-by-envctl-busybox > /www/index.html && exec httpd -f -p 8080 -h /www"},
                            &why))
        << why;
    auto response = exchange_until(23104, "GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n", "served-by-envctl-busybox",
                                   kAnswerBudget, &why);
    ASSERT_TRUE(response) << why << "\n" << busybox.logs();
    EXPECT_EQ(response->rfind("HTTP/1.", 0), 0u) << *response;
    // `doctor` runs /bin/true in it.
    EXPECT_TRUE(podman_call({"run", "--rm", "--network", "none", "localhost/envctl/busybox:1.35", "/bin/true"}).ok());

    TcpClient client(23104, 3s);
    auto stopped_in = busybox.stop();
    EXPECT_LT(stopped_in, kStopBound) << "podman stop took " << stopped_in.count() << " ms\n" << busybox.logs();
}

}  // namespace
}  // namespace envctl::test
