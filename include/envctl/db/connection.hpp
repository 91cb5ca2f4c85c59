#pragma once
// PostgreSQL access (libpqxx behind this one module: the health prober and the migrator share it).

#include <string>

#include "envctl/core/duration.hpp"

namespace envctl::db {

struct ConnectionInfo {
    std::string host = "127.0.0.1";
    int port = 5432;
    std::string user;
    std::string password;   // never logged
    std::string database;
    Duration connect_timeout{std::chrono::seconds(2)};

    // A libpq connection string with every value quoted; contains the password: never print it.
    std::string conninfo() const;
    // "user@host:port/database" (no password), for messages.
    std::string describe() const;
};

struct PingResult {
    bool ok = false;
    std::string detail;  // "SELECT 1 ok", or the server's/libpq's message (redacted by the caller's logger)
};

// Connects and runs SELECT 1, within connect_timeout.
PingResult ping(const ConnectionInfo& info);

}  // namespace envctl::db
