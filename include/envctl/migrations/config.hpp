#pragma once
// What a migration run needs, resolved from the settings (or built by a test).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/db/connection.hpp"
#include "envctl/db/session.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::migrations {

struct DatabaseTarget {
    std::string name;            // services_db
    std::string owner;           // services_db_owner
    std::string owner_password;  // SERVICES_DB_PASSWORD; never printed
};

struct Config {
    db::ConnectionInfo admin;               // POSTGRES_USER on POSTGRES_DB (the maintenance database)
    std::vector<DatabaseTarget> databases;
    std::filesystem::path migrations_dir;   // <dir>/<database>/NNNN_name.sql
    std::filesystem::path schema_docs_dir;  // <dir>/<NAME>-SCHEMA.md
    std::optional<std::filesystem::path> cache_dir;  // scratch catalogs; nullopt: always rebuild
    Duration timeout{std::chrono::seconds(30)};      // MIGRATION_TIMEOUT, for messages
    Duration lock_timeout{std::chrono::seconds(5)};  // per file, capped by what is left of the run
    int spares = 0;                                  // ENVCTL_DB_SPARES: spare copies of each template (spares.hpp)

    db::ConnectionInfo connection_to(const std::string& database) const;
    // The target's database, logged in as its owner role (how migrations run, and the no-op check).
    db::ConnectionInfo owner_connection(const DatabaseTarget& target) const;
};

// The superuser session on `info` (the config's admin connection), its statements bounded by `deadline`. Throws
// envctl::Error(migration) asking whether postgresql runs when it cannot connect.
std::unique_ptr<db::Session> open_admin(const db::ConnectionInfo& info, Deadline deadline);

// From the settings: MIGRATION_APPROACH must be "aggressive" (or unset); POSTGRES_PORT/USER/PASSWORD/DB,
// MIGRATION_TIMEOUT, and <DB>_PASSWORD for each database of POSTGRES_MULTIPLE_DATABASES. `only` picks one
// database. Throws envctl::Error(usage) naming the variable.
Config config_from(const settings::Settings& settings, const std::optional<std::string>& only = std::nullopt);

}  // namespace envctl::migrations
