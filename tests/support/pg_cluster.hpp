#pragma once
// A throwaway PostgreSQL cluster for tests: initdb and pg_ctl run as the `postgres` user when envctl's tests run
// as root (PostgreSQL refuses to run as root), scram password authentication, a free port on 127.0.0.1, a
// temporary data directory. One cluster per test binary, stopped and removed at exit.
//
// Use:   REQUIRE_PG_CLUSTER(pg);   // pg is a PgCluster*; fails under CI=true when PostgreSQL is missing
//        auto admin = pg->admin_connection();

#include <filesystem>
#include <string>

#include "envctl/db/connection.hpp"
#include "support/prerequisite.hpp"

namespace envctl::test {

class PgCluster {
public:
    // The shared cluster, started on first use; nullptr (with the reason in *why_not) when it cannot start.
    static PgCluster* shared(std::string* why_not = nullptr);

    int port() const { return port_; }
    std::string superuser() const { return "postgres"; }
    std::string password() const { return password_; }
    std::string host() const { return "127.0.0.1"; }
    db::ConnectionInfo admin_connection(const std::string& database = "postgres") const;
    const std::filesystem::path& data_dir() const { return data_dir_; }
    // The folder holding initdb, pg_ctl, psql, ... of the newest installed PostgreSQL.
    static std::filesystem::path bin_dir();

    ~PgCluster();

private:
    PgCluster() = default;
    bool start(std::string* why_not);

    std::filesystem::path root_;
    std::filesystem::path data_dir_;
    std::string password_ = "pg-fixture-secret";
    int port_ = 0;
    bool started_ = false;
};

// A free TCP port on 127.0.0.1 (bound to port 0, read back, released).
int free_port();

}  // namespace envctl::test

#define REQUIRE_PG_CLUSTER(var)                                                             \
    std::string var##_why_not;                                                              \
    ::envctl::test::PgCluster* var = ::envctl::test::PgCluster::shared(&var##_why_not);     \
    REQUIRE_PREREQUISITE(var != nullptr, "a PostgreSQL cluster: " + var##_why_not)
