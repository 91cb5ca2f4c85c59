#include "envctl/db/admin.hpp"

#include "envctl/core/error.hpp"
#include "envctl/db/password.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/util/hash.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"

namespace envctl::db {

void check_identifier(const std::string& name, const std::string& what) {
    if (!settings::is_plain_identifier(name))
        throw usage_error(what + " '" + name +
                          "' is not a plain SQL identifier: use lower-case letters, digits and '_', starting with a "
                          "letter or '_', at most 63 bytes");
}

DatabaseState probe(Session& admin, const std::string& database, const std::string& owner) {
    check_identifier(database, "database");
    check_identifier(owner, "role");
    // A NULL ACL means the defaults, which give PUBLIC CONNECT and TEMPORARY.
    auto rows = admin.query(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2), "
        "       EXISTS (SELECT 1 FROM pg_database WHERE datname = $1), "
        "       EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datacl IS NOT NULL "
        "               AND NOT EXISTS (SELECT 1 FROM aclexplode(datacl) a WHERE a.grantee = 0))",
        {database, owner});
    const auto yes = std::optional<std::string>("t");
    return DatabaseState{rows.at(0).at(0) == yes, rows.at(0).at(1) == yes, rows.at(0).at(2) == yes};
}

bool role_exists(Session& admin, const std::string& role) {
    check_identifier(role, "role");
    return !admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", {role}).empty();
}

void ensure_login_role(Session& admin, const std::string& role, const std::string& password) {
    check_identifier(role, "role");
    const std::string verb = role_exists(admin, role) ? "ALTER ROLE " : "CREATE ROLE ";
    // The server stores a verifier it is given as it is: the password itself never reaches it (nor its logs).
    const std::string verifier = scram_verifier(admin.info(), password);
    try {
        admin.exec(verb + admin.quote_name(role) + " LOGIN PASSWORD " + admin.quote(verifier));
    } catch (const SqlError& e) {
        // The statement holds the password: report the server's message only.
        throw SqlError(e.error(), verb + admin.quote_name(role) + " LOGIN PASSWORD '***'");
    }
}

bool database_exists(Session& admin, const std::string& database) {
    check_identifier(database, "database");
    return !admin.query("SELECT 1 FROM pg_database WHERE datname = $1", {database}).empty();
}

void create_database(Session& admin, const std::string& database, const std::string& owner) {
    check_identifier(database, "database");
    check_identifier(owner, "role");
    admin.exec("CREATE DATABASE " + admin.quote_name(database) + " OWNER " + admin.quote_name(owner) +
               " TEMPLATE template0");
    isolate_database(admin, database);
}

void isolate_database(Session& admin, const std::string& database) {
    check_identifier(database, "database");
    admin.exec("REVOKE ALL ON DATABASE " + admin.quote_name(database) + " FROM PUBLIC");
}

void drop_database(Session& admin, const std::string& database) {
    check_identifier(database, "database");
    admin.exec("DROP DATABASE IF EXISTS " + admin.quote_name(database) + " WITH (FORCE)");
}

std::int64_t advisory_key(const std::string& name) {
    // The first 60 bits of the name's SHA-256: a stable key, positive.
    return static_cast<std::int64_t>(std::stoull(hash::sha256_hex(name).substr(0, 15), nullptr, 16));
}

bool advisory_lock(Session& session, const std::string& name, Deadline deadline, bool shared) {
    const std::string key = std::to_string(advisory_key(name));
    const std::string sql = shared ? "SELECT pg_try_advisory_lock_shared($1::bigint)" : "SELECT pg_try_advisory_lock($1::bigint)";
    for (;;) {
        auto rows = session.query(sql, {key});
        if (!rows.empty() && rows[0][0] == std::optional<std::string>("t")) return true;
        if (Clock::now() >= deadline) return false;
        auto pause = std::min(remaining(deadline), Duration(std::chrono::milliseconds(50)));
        if (!interrupt::sleep_for(pause)) throw Error(ExitCode::interrupted, "interrupted while waiting for " + name);
    }
}

void advisory_unlock(Session& session, const std::string& name, bool shared) {
    session.query(shared ? "SELECT pg_advisory_unlock_shared($1::bigint)" : "SELECT pg_advisory_unlock($1::bigint)",
                  {std::to_string(advisory_key(name))});
}

AdvisoryLock::~AdvisoryLock() {
    if (!held_) return;
    try {
        advisory_unlock(session_, name_, shared_);
    } catch (const std::exception& e) {
        log::debug("could not release the advisory lock {}: {}", name_, e.what());
    }
}

}  // namespace envctl::db
