// Spare databases: copies of a template made ahead of time, so that a lease is a rename (spares.hpp).
#include "envctl/migrations/spares.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <stdexcept>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/db/admin.hpp"
#include "envctl/db/database_copy.hpp"
#include "envctl/migrations/leases.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

constexpr const char* kMarker = "envctl.spare/v1 ";
constexpr const char* kDuplicateDatabase = "42P04";

// Held by whoever takes or drops the spare: a taker in its transaction, a dropper for its DROP.
std::string spare_lock_name(const std::string& spare) { return "envctl.spare:" + spare; }

std::string fill_lock_name(const std::string& database) { return "envctl.spares:" + database; }

struct SpareListing {
    std::optional<TemplateRecord> template_record;
    std::vector<Spare> spares;
};

SpareListing spares_of(db::Session& session, const DatabaseTarget& target) {
    SpareListing out{read_template(session, target.name), {}};
    const auto current = out.template_record ? spare_comment(*out.template_record) : std::string();
    for (const auto& d : db::databases_commented(session, kMarker).databases) {
        const auto record = parse_spare_comment(d.comment);
        // Only names a spare can have: a comment alone never makes D or its template a spare.
        if (!record || record->source != target.name || d.name.find("__spare_") == std::string::npos ||
            d.name == target.name || d.name == template_name(target.name))
            continue;
        out.spares.push_back({d.name, d.comment == current});
    }
    return out;
}

void rollback(db::Session& admin) {
    try {
        admin.exec("ROLLBACK");
    } catch (const std::exception& e) {
        log::debug("ROLLBACK failed: {}", e.what());
    }
}

// One new spare, in a session of its own, copied under the template's shared lock from the template there is then.
void make_spare(const Config& config, const DatabaseTarget& target) {
    const auto deadline = Clock::now() + config.timeout;
    db::Session session(config.admin);
    session.set_deadline(deadline);
    db::AdvisoryLock lock(session, template_lock_name(target.name), true);
    if (!lock.acquire(deadline)) throw std::runtime_error("the migrator held the template until MIGRATION_TIMEOUT ran out");
    const auto record = read_template(session, target.name);
    if (!record) throw std::runtime_error(target.name + " has no template");
    db::copy_database(session, derived_name(target.name, "spare", random_name_suffix()), template_name(target.name),
                      target.owner, spare_comment(*record), false);
}

// Drops a spare unless a taker holds it right now (then it is becoming a lease: left alone).
void drop_spare(const Config& config, const std::string& name) {
    db::Session session(config.admin);
    session.set_deadline(Clock::now() + config.timeout);
    db::AdvisoryLock lock(session, spare_lock_name(name));
    if (!lock.acquire(Clock::now())) return;
    db::drop_database(session, name);
}

}  // namespace

std::string spare_comment(const TemplateRecord& record) { return kMarker + to_comment(record); }

std::optional<TemplateRecord> parse_spare_comment(const std::string& comment) {
    if (comment.rfind(kMarker, 0) != 0) return std::nullopt;
    return parse_template_comment(comment.substr(std::string(kMarker).size()));
}

std::vector<Spare> list_spares(db::Session& session, const DatabaseTarget& target) {
    return spares_of(session, target).spares;
}

bool take_spare(db::Session& admin, const DatabaseTarget& target, const std::string& name, const std::string& comment) {
    const auto listing = spares_of(admin, target);
    std::vector<std::string> candidates;
    for (const auto& spare : listing.spares) {
        if (spare.current) candidates.push_back(spare.name);
    }
    if (candidates.empty()) return false;
    // Each taker starts at a random one: concurrent takers mostly try different spares first.
    std::rotate(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(random_name_suffix() % candidates.size()),
                candidates.end());
    const auto expected = spare_comment(*listing.template_record);
    const auto lease = admin.quote_name(name);
    for (const auto& spare : candidates) {
        try {
            const auto key = std::to_string(db::advisory_key(spare_lock_name(spare)));
            if (admin.query("BEGIN; SELECT pg_try_advisory_xact_lock(" + key + "::bigint)").at(0).at(0) != "t") {
                rollback(admin);  // another process is taking it
                continue;
            }
            // Checked after the lock: a taker that held it before has committed (or rolled back) by now.
            if (admin.query("SELECT 1 FROM pg_database WHERE datname = $1 AND shobj_description(oid, 'pg_database') = $2",
                            {spare, expected})
                    .empty()) {
                rollback(admin);
                continue;
            }
            admin.exec("ALTER DATABASE " + admin.quote_name(spare) + " RENAME TO " + lease + "; COMMENT ON DATABASE " +
                       lease + " IS " + admin.quote(comment) + "; ALTER DATABASE " + lease +
                       " WITH ALLOW_CONNECTIONS true; COMMIT");
            log::debug("{}: the spare {} became the lease {}", target.name, spare, name);
            return true;
        } catch (const db::SqlError& e) {
            rollback(admin);
            if (e.cancelled() || e.error().sqlstate == kDuplicateDatabase) throw;
            log::debug("{}: could not take the spare {}: {}", target.name, spare, e.what());
        }
    }
    return false;
}

SpareFill fill_spares(const Config& config, const DatabaseTarget& target, bool wait) {
    SpareFill fill;
    try {
        const auto deadline = Clock::now() + config.timeout;
        db::Session admin(config.admin);
        admin.set_deadline(deadline);
        db::AdvisoryLock lock(admin, fill_lock_name(target.name));
        if (!lock.acquire(wait ? deadline : Clock::now())) {
            log::debug("{}: another process is filling the spares", target.name);
            return fill;
        }
        const auto listing = spares_of(admin, target);
        std::vector<std::string> stale;
        for (const auto& spare : listing.spares) {
            if (spare.current && fill.kept < config.spares) ++fill.kept;
            else stale.push_back(spare.name);
        }
        const int missing = listing.template_record ? config.spares - fill.kept : 0;

        // All at once, each in a session of its own: PostgreSQL 15 ends every CREATE and DROP DATABASE with a
        // checkpoint, and concurrent ones share it.
        std::vector<std::future<void>> drops, makes;
        for (const auto& name : stale)
            drops.push_back(std::async(std::launch::async, [&config, name] { drop_spare(config, name); }));
        for (int i = 0; i < missing; ++i)
            makes.push_back(std::async(std::launch::async, [&config, &target] { make_spare(config, target); }));
        auto settle = [&](std::vector<std::future<void>>& running, int& done, const char* what) {
            for (auto& r : running) {
                try {
                    r.get();
                    ++done;
                } catch (const std::exception& e) {
                    ++fill.failed;
                    log::warn("{}: could not {} a spare database (a lease copies the template instead): {}", target.name,
                              what, e.what());
                }
            }
        };
        settle(drops, fill.dropped, "drop");
        settle(makes, fill.made, "make");
    } catch (const std::exception& e) {
        ++fill.failed;
        log::warn("{}: could not fill the spare databases (a lease copies the template instead): {}", target.name, e.what());
    }
    if (fill.made || fill.dropped)
        log::debug("{}: spares: {} kept, {} made, {} dropped", target.name, fill.kept, fill.made, fill.dropped);
    return fill;
}

void fill_spares(const Config& config, const std::vector<DatabaseTarget>& targets, bool wait) {
    std::vector<std::future<SpareFill>> running;
    for (const auto& target : targets)
        running.push_back(std::async(std::launch::async, [&config, &target, wait] { return fill_spares(config, target, wait); }));
    for (auto& r : running) r.get();  // fill_spares throws nothing
}

}  // namespace envctl::migrations
