#include "envctl/migrations/config.hpp"

#include <algorithm>
#include <cctype>

#include "envctl/core/error.hpp"
#include "envctl/db/admin.hpp"
#include "envctl/settings/connect_host.hpp"

namespace envctl::migrations {

db::ConnectionInfo Config::connection_to(const std::string& database) const {
    db::ConnectionInfo info = admin;
    info.database = database;
    return info;
}

db::ConnectionInfo Config::owner_connection(const DatabaseTarget& target) const {
    auto info = connection_to(target.name);
    info.user = target.owner;
    info.password = target.owner_password;
    return info;
}

std::unique_ptr<db::Session> open_admin(const db::ConnectionInfo& info, Deadline deadline) {
    try {
        auto admin = std::make_unique<db::Session>(info);
        admin->set_deadline(deadline);
        return admin;
    } catch (const db::ConnectionError& e) {
        throw Error(ExitCode::migration, std::string(e.what()) + " (is postgresql running? `envctl up postgresql`)");
    }
}

namespace {

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

}  // namespace

Config config_from(const settings::Settings& settings, const std::optional<std::string>& only) {
    const auto& vars = settings.vars;
    if (const auto* approach = vars.find("MIGRATION_APPROACH"); approach && *approach != "aggressive")
        throw usage_error(vars.origin("MIGRATION_APPROACH").describe("MIGRATION_APPROACH") + " is '" + *approach +
                          "': the only supported approach is 'aggressive' (always to the latest version; on drift or "
                          "failure the database is recreated). Set MIGRATION_APPROACH=aggressive");

    Config config;
    config.admin.host = settings::connect_host(settings.bind_address);
    config.admin.port = vars.port("POSTGRES_PORT");
    config.admin.user = vars.require("POSTGRES_USER");
    config.admin.password = vars.require("POSTGRES_PASSWORD");
    config.admin.database = vars.require("POSTGRES_DB");
    if (vars.has("MIGRATION_TIMEOUT")) config.timeout = vars.duration("MIGRATION_TIMEOUT");
    config.spares = settings.db_spares;
    config.migrations_dir = settings.migrations_dir();
    config.schema_docs_dir = settings.migrations_dir();
    config.cache_dir = settings.state_dir() / "cache" / "schema";

    for (const auto& name : settings.databases) {
        db::check_identifier(name, "POSTGRES_MULTIPLE_DATABASES: database");
        if (only && *only != name) continue;
        DatabaseTarget target{name, name + "_owner", ""};
        db::check_identifier(target.owner, "POSTGRES_MULTIPLE_DATABASES: owner role of " + name);
        target.owner_password = vars.require(upper(name) + "_PASSWORD");
        config.databases.push_back(std::move(target));
    }
    if (only && config.databases.empty())
        throw usage_error("--database " + *only + ": not one of POSTGRES_MULTIPLE_DATABASES (" +
                          [&] {
                              std::string list;
                              for (const auto& n : settings.databases) list += (list.empty() ? "" : ",") + n;
                              return list;
                          }() +
                          ")");
    return config;
}

}  // namespace envctl::migrations
