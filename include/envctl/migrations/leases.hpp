#pragma once
// Leases: private copies of a migrated database, made from its template D__template (template.hpp), owned by D's
// owner and isolated like D. What makes a database a lease, and when it expires, lives on the server itself, in its
// comment ("envctl.lease/v1 {json}"): nothing outside PostgreSQL can drift from it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/db/session.hpp"
#include "envctl/migrations/config.hpp"

namespace envctl::migrations {

struct Lease {
    std::string name;        // the database
    std::string source;      // D
    std::string created_at;  // server time, "2026-11-27T15:00:00.123Z" (db::utc_timestamp_sql)
    std::string expires_at;
    bool operator==(const Lease&) const = default;
};

// The comment a lease carries, and back (nullopt: not a lease's comment).
std::string to_comment(const Lease& lease);
std::optional<Lease> parse_lease_comment(const std::string& name, const std::string& comment);

// Whether the lease has expired at `now` (same format: the two compare as text).
bool expired(const Lease& lease, const std::string& now);
// Milliseconds since the epoch of a timestamp in that format; nullopt when malformed.
std::optional<std::int64_t> timestamp_ms(const std::string& text);

// "services_db" and a random number -> "services_db__lease_<10 hex digits>" (the source cut to fit 63 bytes).
std::string lease_name(const std::string& database, std::uint64_t random);
// The same with another kind: ("services_db", "spare", n) -> "services_db__spare_<10 hex digits>".
std::string derived_name(const std::string& database, const std::string& kind, std::uint64_t random);
// A random number for derived_name (each thread its own generator, seeded from std::random_device).
std::uint64_t random_name_suffix();

// The leases of `config`'s databases on the server and its time. A comment naming another source, or on one of the
// databases themselves or their templates, is not a lease.
struct LeaseListing {
    std::string now;
    std::vector<Lease> leases;
};
LeaseListing list_leases(db::Session& admin, const Config& config);

// Drops every expired lease of `config`'s databases (ending their sessions); returns their names. One that
// another process dropped first is skipped.
std::vector<std::string> drop_expired_leases(db::Session& admin, const Config& config);

// A new lease of `target` from its template, expiring after `ttl`, named `name` or a fresh random name. Expired
// leases are dropped first. Throws envctl::Error: migration (exit 6) when the template is missing or was built from
// other migrations or another schema document; usage when `name` is taken or not a plain identifier.
Lease make_lease(db::Session& admin, const Config& config, const DatabaseTarget& target,
                 const std::optional<std::string>& name, Duration ttl, Deadline deadline);

// Drops the named leases (ending their sessions), or with `all` every lease (of `only`, when given). Expired ones
// are dropped first. Throws envctl::Error(usage), before dropping anything, naming a database that is not a lease
// of `config`'s databases. Returns the names dropped.
std::vector<std::string> release_leases(db::Session& admin, const Config& config, const std::vector<std::string>& names,
                                        bool all, const std::optional<std::string>& only);

// The template of `target` when it is current (built from the files and schema document on disk); otherwise throws
// envctl::Error(migration) saying why and what to run. Returns its name.
std::string require_current_template(db::Session& admin, const Config& config, const DatabaseTarget& target);

}  // namespace envctl::migrations
