// Leases on the server: listing, expiry, making and releasing them.
#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/db/admin.hpp"
#include "envctl/db/database_copy.hpp"
#include "envctl/migrations/leases.hpp"
#include "envctl/migrations/migration_files.hpp"
#include "envctl/migrations/spares.hpp"
#include "envctl/migrations/template.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

constexpr const char* kPrefix = "envctl.lease/v1 ";
constexpr const char* kDuplicateDatabase = "42P04";
constexpr const char* kUndefinedDatabase = "3D000";

const DatabaseTarget* target_named(const Config& config, const std::string& name) {
    for (const auto& t : config.databases) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

// Each drop gets MIGRATION_TIMEOUT of its own, then the caller's deadline is back: PostgreSQL 15 ends every DROP
// DATABASE with an immediate checkpoint (seconds on a busy disk), so one deadline across `release --all` of thirty
// leases ran out in the middle (bench/parallel.sh).
void drop_lease(db::Session& admin, const Config& config, const std::string& name) {
    struct Restore {
        db::Session& session;
        std::optional<Deadline> outer;
        ~Restore() { session.set_deadline(outer); }
    } restore{admin, admin.deadline()};
    admin.set_deadline(Clock::now() + config.timeout);
    try {
        db::drop_database(admin, name);
    } catch (const db::SqlError& e) {
        if (e.error().sqlstate != kUndefinedDatabase) throw;  // another process dropped it first
    }
}

}  // namespace

std::uint64_t random_name_suffix() {
    static thread_local std::mt19937_64 engine{[] {
        std::random_device device;
        return (static_cast<std::uint64_t>(device()) << 32) ^ device();
    }()};
    return engine();
}

LeaseListing list_leases(db::Session& admin, const Config& config) {
    std::set<std::string> reserved;  // the databases and their templates are never leases, whatever their comment
    for (const auto& t : config.databases) {
        reserved.insert(t.name);
        reserved.insert(t.name + "__template");
    }
    auto found = db::databases_commented(admin, kPrefix);
    LeaseListing listing{found.now, {}};
    for (const auto& d : found.databases) {
        auto lease = parse_lease_comment(d.name, d.comment);
        if (!lease || reserved.count(d.name) || !target_named(config, lease->source)) continue;
        listing.leases.push_back(std::move(*lease));
    }
    return listing;
}

std::vector<std::string> drop_expired_leases(db::Session& admin, const Config& config) {
    std::vector<std::string> dropped;
    const auto listing = list_leases(admin, config);
    for (const auto& lease : listing.leases) {
        if (!expired(lease, listing.now)) continue;
        drop_lease(admin, config, lease.name);
        log::info("dropped the expired lease {} (of {}, expired at {})", lease.name, lease.source, lease.expires_at);
        dropped.push_back(lease.name);
    }
    return dropped;
}

std::string require_current_template(db::Session& admin, const Config& config, const DatabaseTarget& target) {
    const auto name = template_name(target.name);
    const auto found = read_template(admin, target.name);
    if (!found)
        throw Error(ExitCode::migration, fmt::format("{} has no template {}: run `envctl migrate` (or `envctl up`), "
                                                     "which builds it after migrating; `envctl reset` rebuilds everything",
                                                     target.name, name));
    const auto files = load_migrations(config.migrations_dir / target.name);
    if (auto why = template_stale(*found, expected_record(config, target, files)))
        throw Error(ExitCode::migration, fmt::format("the template {} is not compliant with the migrations on disk: {}; "
                                                     "run `envctl migrate` to rebuild it",
                                                     name, *why));
    return name;
}

Lease make_lease(db::Session& admin, const Config& config, const DatabaseTarget& target,
                 const std::optional<std::string>& name, Duration ttl, Deadline deadline) {
    if (name) db::check_identifier(*name, "--name");
    if (ttl.count() <= 0) throw usage_error("--ttl must be longer than 0 (e.g. 30m, 1h)");
    drop_expired_leases(admin, config);
    const auto source = require_current_template(admin, config, target);

    const auto times = admin.query("SELECT " + db::utc_timestamp_sql("now()") + ", " +
                                       db::utc_timestamp_sql("now() + $1::interval"),
                                   {std::to_string(ttl.count()) + " milliseconds"});
    Lease lease{"", target.name, times.at(0).at(0).value_or(""), times.at(0).at(1).value_or("")};

    // Shared: any number of copies at once, but never while the migrator swaps the template.
    db::AdvisoryLock lock(admin, template_lock_name(target.name), true);
    if (!lock.acquire(deadline))
        throw Error(ExitCode::migration, "the migrator held the template " + source + " until the deadline passed");
    for (int attempt = 0;; ++attempt) {
        lease.name = name ? *name : lease_name(target.name, random_name_suffix());
        try {
            // A spare made ahead of time becomes the lease by a rename (milliseconds); none left: a copy (seconds
            // when many copy at once).
            if (attempt == 0 && take_spare(admin, target, lease.name, to_comment(lease))) return lease;
            db::copy_database(admin, lease.name, source, target.owner, to_comment(lease));
            return lease;
        } catch (const db::SqlError& e) {
            if (e.error().sqlstate != kDuplicateDatabase) throw;
            if (name) throw usage_error("--name " + *name + ": a database of that name exists; pick another name");
            if (attempt == 4) throw;
        }
    }
}

std::vector<std::string> release_leases(db::Session& admin, const Config& config, const std::vector<std::string>& names,
                                        bool all, const std::optional<std::string>& only) {
    std::vector<std::string> dropped = drop_expired_leases(admin, config);
    const auto listing = list_leases(admin, config);
    std::vector<std::string> chosen;
    for (const auto& name : names) {
        bool found = false;
        for (const auto& lease : listing.leases) found = found || (lease.name == name && (!only || lease.source == *only));
        if (!found && std::find(dropped.begin(), dropped.end(), name) == dropped.end())
            throw usage_error(name + " is not a lease" + (only ? " of " + *only : std::string()) +
                              " (`envctl db leases` lists them)");
        chosen.push_back(name);
    }
    if (all) {
        for (const auto& lease : listing.leases) {
            if (!only || lease.source == *only) chosen.push_back(lease.name);
        }
    }
    for (const auto& name : chosen) {
        if (std::find(dropped.begin(), dropped.end(), name) != dropped.end()) continue;
        drop_lease(admin, config, name);
        dropped.push_back(name);
    }
    return dropped;
}

}  // namespace envctl::migrations
