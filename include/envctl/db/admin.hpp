#pragma once
// Cluster administration on a superuser session: the owner roles and databases of POSTGRES_MULTIPLE_DATABASES,
// their isolation, and the advisory locks that keep two migrators apart. Every name is checked as a plain
// identifier before it reaches SQL (throws envctl::Error(usage) otherwise) and is quoted there.

#include <cstdint>
#include <string>
#include <utility>

#include "envctl/core/duration.hpp"
#include "envctl/db/session.hpp"

namespace envctl::db {

// Throws envctl::Error(usage) unless `name` is [a-z_][a-z0-9_]* and at most 63 bytes. `what` names it in the message.
void check_identifier(const std::string& name, const std::string& what);

// What exists of a database and its owner role, in one round trip.
struct DatabaseState {
    bool role_exists = false;
    bool database_exists = false;
    bool isolated = false;  // PUBLIC holds no privilege on the database
};
DatabaseState probe(Session& admin, const std::string& database, const std::string& owner);

bool role_exists(Session& admin, const std::string& role);
// Creates the LOGIN role, or sets its password when it exists, as a SCRAM verifier (db/password.hpp). Neither
// the password nor the verifier appears in a message.
void ensure_login_role(Session& admin, const std::string& role, const std::string& password);

bool database_exists(Session& admin, const std::string& database);
// CREATE DATABASE owned by `owner` (from template0), then isolate() it.
void create_database(Session& admin, const std::string& database, const std::string& owner);
// REVOKE ALL ON DATABASE ... FROM PUBLIC: only the owner (and superusers) may connect. Idempotent.
void isolate_database(Session& admin, const std::string& database);
// DROP DATABASE IF EXISTS ... WITH (FORCE): other sessions are ended.
void drop_database(Session& admin, const std::string& database);

// A session-level advisory lock keyed by a name ("envctl.migrate:services_db"). Waits (polling, so an interrupt
// or the deadline ends the wait) and returns false when the deadline passed first.
bool advisory_lock(Session& session, const std::string& name, Deadline deadline, bool shared = false);
void advisory_unlock(Session& session, const std::string& name, bool shared = false);
std::int64_t advisory_key(const std::string& name);

// Holds an advisory lock from acquire() until it goes out of scope. A shared one (many holders at once) excludes only
// the exclusive ones.
class AdvisoryLock {
public:
    AdvisoryLock(Session& session, std::string name, bool shared = false)
        : session_(session), name_(std::move(name)), shared_(shared) {}
    ~AdvisoryLock();
    AdvisoryLock(const AdvisoryLock&) = delete;
    AdvisoryLock& operator=(const AdvisoryLock&) = delete;
    bool acquire(Deadline deadline) { return held_ = advisory_lock(session_, name_, deadline, shared_); }

private:
    Session& session_;
    std::string name_;
    bool shared_ = false;
    bool held_ = false;
};

}  // namespace envctl::db
