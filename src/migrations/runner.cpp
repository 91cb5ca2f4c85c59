#include "envctl/migrations/runner.hpp"

#include <future>
#include <map>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/db/admin.hpp"
#include "envctl/db/catalog.hpp"
#include "envctl/db/ledger.hpp"
#include "envctl/migrations/compliance.hpp"
#include "envctl/migrations/drift.hpp"
#include "envctl/migrations/leases.hpp"
#include "envctl/migrations/schema_document.hpp"
#include "envctl/migrations/spares.hpp"
#include "envctl/migrations/status.hpp"
#include "envctl/migrations/template.hpp"
#include "envctl/migrations/verified.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

Duration since(Clock::time_point start) { return std::chrono::duration_cast<Duration>(Clock::now() - start); }

class DatabaseRun {
public:
    DatabaseRun(db::Session& admin, const Config& config, const DatabaseTarget& target,
                std::vector<MigrationFile> files, Deadline deadline)
        : admin_(admin), config_(config), target_(target), files_(std::move(files)), deadline_(deadline) {
        report_.name = target.name;
    }

    DatabaseReport run() {
        const auto started = Clock::now();
        db::AdvisoryLock lock(admin_, "envctl.migrate:" + target_.name);
        if (!lock.acquire(deadline_)) {
            report_.error = fmt::format("another migrator held the lock on {} until MIGRATION_TIMEOUT ({}) ran out",
                                        target_.name, format_duration(config_.timeout));
            return report_;
        }
        provision();
        auto expected = start_expected_schema();
        auto session = migrate();
        forget_verified(config_, target_);
        if (!report_.failure) {
            // Taken before the comparison: a change made while it runs then shows as a different fingerprint.
            const auto fingerprint = config_.cache_dir ? db::catalog_fingerprint(*session) : std::string();
            const auto schema = expected.get();
            report_.differences = compliance_differences(schema, *session);
            report_.compliant = report_.differences.empty();
            if (report_.compliant) keep_template(schema);
            if (report_.ok()) record_verified(config_, target_, verification_key(config_, target_, files_), fingerprint);
        }
        report_.elapsed = since(started);
        return report_;
    }

private:
    // D__template, rebuilt from the migrations unless it was built from exactly these files and schema document.
    void keep_template(const ExpectedSchema& schema) {
        const auto wanted = expected_record(config_, target_, files_);
        if (auto found = read_template(admin_, target_.name); found && !template_stale(*found, wanted)) return;
        report_.error = refresh_template(admin_, config_, target_, files_, schema, deadline_);
        report_.template_refreshed = report_.error.empty();
    }

    // The schema document's catalog: from the cache, or built in a scratch database on a connection of its own,
    // beside the migrations (the two are independent, and the server has more than one core).
    std::future<ExpectedSchema> start_expected_schema() {
        const auto document = schema_document_for(config_.schema_docs_dir, target_.name);
        std::error_code ec;
        if (std::filesystem::exists(document, ec)) {
            if (auto cached = cached_catalog(admin_, document, config_.cache_dir)) {
                std::promise<ExpectedSchema> ready;
                ready.set_value(ExpectedSchema{document, std::move(cached), {}});
                return ready.get_future();
            }
            return std::async(std::launch::async, [this] {
                db::Session admin(config_.admin);
                admin.set_deadline(deadline_);
                return expected_schema(admin, config_, target_, deadline_);
            });
        }
        return std::async(std::launch::deferred, [this] { return expected_schema(admin_, config_, target_, deadline_); });
    }

    // The owner role (created with its password when missing) and the database, isolated.
    void provision() {
        const auto state = db::probe(admin_, target_.name, target_.owner);
        if (!state.role_exists) db::ensure_login_role(admin_, target_.owner, target_.owner_password);
        if (state.database_exists) {
            if (!state.isolated) db::isolate_database(admin_, target_.name);
            return;
        }
        log::info("{}: creating the database, owned by {}", target_.name, target_.owner);
        db::create_database(admin_, target_.name, target_.owner);
        report_.created = true;
    }

    // Returns the session to the migrated database, for the compliance check.
    std::unique_ptr<db::Session> migrate() {
        bool reset = false;
        {
            auto session = owner_session();
            const auto ledger = db::ensure_and_read_ledger(*session);
            const auto plan = make_plan(ledger, files_);
            report_.version = plan.version;
            if (!plan.drift.empty()) {
                report_.reset_reasons = plan.drift;
                reset = true;
            } else {
                report_.failure = apply(*session, plan.pending);
                if (report_.failure && !ledger.empty() && !report_.failure->timed_out) {
                    report_.reset_reasons.push_back(report_.failure->file + " failed: " + report_.failure->message);
                    report_.failure.reset();
                    reset = true;
                }
            }
            if (!reset) return session;
        }
        std::string why;
        for (const auto& reason : report_.reset_reasons) why += (why.empty() ? "" : "; ") + reason;
        log::warn("{}: {}: dropping and recreating it, then migrating from scratch", target_.name, why);
        db::drop_database(admin_, target_.name);
        db::create_database(admin_, target_.name, target_.owner);
        report_.applied.clear();
        report_.version = 0;
        auto session = owner_session();
        db::ensure_and_read_ledger(*session);
        report_.failure = apply(*session, files_);
        return session;
    }

    // Migrations run as the owner, so every object belongs to it: the session logs in as the owner role, which also
    // proves its password. When that fails (the password in the settings changed), the password is set and the
    // login tried once more.
    std::unique_ptr<db::Session> owner_session() {
        const auto info = config_.owner_connection(target_);
        std::unique_ptr<db::Session> session;
        try {
            session = std::make_unique<db::Session>(info);
        } catch (const db::ConnectionError& e) {
            log::debug("{}: cannot log in as {} ({}); setting its password", target_.name, target_.owner, e.what());
            db::ensure_login_role(admin_, target_.owner, target_.owner_password);
            session = std::make_unique<db::Session>(info);
        }
        session->set_deadline(deadline_);
        return session;
    }

    std::optional<FileFailure> apply(db::Session& session, const std::vector<MigrationFile>& files) {
        if (files.empty()) return std::nullopt;
        const ApplyLimits limits{deadline_, config_.lock_timeout, config_.timeout};
        for (const auto& file : files) {
            log::info("{}: applying {}", target_.name, file.name);
            if (auto failure = apply_file(session, file, limits)) return failure;
            report_.applied.push_back(file.name);
            report_.version = file.version;
        }
        return std::nullopt;
    }

    db::Session& admin_;
    const Config& config_;
    const DatabaseTarget& target_;
    std::vector<MigrationFile> files_;
    Deadline deadline_;
    DatabaseReport report_;
};

// The owner's session for the no-op check. Opened on a thread of its own while the files are read: the two are
// independent, and connecting (SCRAM, a new backend) is the slower.
using EarlySession = std::future<std::unique_ptr<db::Session>>;
EarlySession open_owner_session(const Config& config, const DatabaseTarget& target, Deadline deadline) {
    return std::async(std::launch::async, [info = config.owner_connection(target), deadline] {
        auto session = std::make_unique<db::Session>(info);
        session->set_deadline(deadline);
        return session;
    });
}

// The no-op path, on one connection as the owner, in one query, without the admin session or the lock: the
// database is isolated, its ledger holds exactly the files on disk, and its catalog fingerprint is the one recorded
// when it was last found compliant under the same key. It only reads, so racing a migrator is harmless: whatever
// that one changes shows as another ledger digest or fingerprint, and this run takes the full path (and waits for
// the lock).
std::optional<DatabaseReport> already_current(const Config& config, const DatabaseTarget& target,
                                              const std::vector<MigrationFile>& files, EarlySession& early) {
    const auto started = Clock::now();
    const auto recorded = recorded_fingerprint(config, target, verification_key(config, target, files));
    try {
        auto session = early.get();  // rethrows a failed connection
        if (!recorded) return std::nullopt;
        std::vector<db::LedgerEntry> expected;
        for (const auto& file : files) expected.push_back(db::LedgerEntry{file.version, file.name, file.checksum, {}, 0});
        const auto state = db::quick_state(*session);
        if (!state.isolated || state.ledger_digest != db::ledger_digest(expected) || state.fingerprint != *recorded)
            return std::nullopt;
        const auto found = read_template(*session, target.name);  // a missing or stale template takes the full path
        if (!found || template_stale(*found, expected_record(config, target, files))) return std::nullopt;
        DatabaseReport report;
        report.name = target.name;
        report.version = files.empty() ? 0 : files.back().version;
        report.compliant = true;
        report.unchanged = true;
        report.elapsed = since(started);
        log::debug("{}: unchanged since it was last found compliant", target.name);
        return report;
    } catch (const db::ConnectionError& e) {
        log::debug("{}: no quick check ({}); taking the full path", target.name, e.what());
    } catch (const db::SqlError& e) {
        log::debug("{}: no quick check ({}); taking the full path", target.name, e.what());
    }
    return std::nullopt;
}

}  // namespace

bool Report::ok() const {
    for (const auto& d : databases) {
        if (!d.ok()) return false;
    }
    return true;
}

Report run(const Config& config, Deadline deadline) {
    const auto started = Clock::now();
    std::map<std::string, EarlySession> early;  // only where a record makes a quick check possible
    for (const auto& target : config.databases) {
        if (has_record(config, target)) early.emplace(target.name, open_owner_session(config, target, deadline));
    }
    std::map<std::string, std::vector<MigrationFile>> files;  // every file is read before anything changes
    for (const auto& target : config.databases) files[target.name] = load_migrations(config.migrations_dir / target.name);

    std::map<std::string, DatabaseReport> current;
    for (const auto& target : config.databases) {
        auto session = early.find(target.name);
        if (session == early.end()) continue;
        if (auto report = already_current(config, target, files[target.name], session->second))
            current.emplace(target.name, std::move(*report));
    }
    early.clear();
    Report report;
    if (current.size() == config.databases.size()) {
        for (const auto& target : config.databases) report.databases.push_back(std::move(current.at(target.name)));
        report.elapsed = since(started);
        return report;
    }

    auto admin = open_admin(config.admin, deadline);

    for (const auto& target : config.databases) {
        if (auto it = current.find(target.name); it != current.end()) {
            report.databases.push_back(std::move(it->second));
            continue;
        }
        try {
            report.databases.push_back(DatabaseRun(*admin, config, target, files[target.name], deadline).run());
        } catch (const db::SqlError& e) {
            DatabaseReport failed;
            failed.name = target.name;
            failed.error = e.what();
            report.databases.push_back(std::move(failed));
        } catch (const db::ConnectionError& e) {
            DatabaseReport failed;
            failed.name = target.name;
            failed.error = e.what();
            report.databases.push_back(std::move(failed));
        }
    }
    // The spares of the databases that took the full path, against their templates as they are now (best effort).
    std::vector<DatabaseTarget> refill;
    for (std::size_t i = 0; i < config.databases.size(); ++i) {
        const auto& d = report.databases[i];
        if (d.ok() && !d.unchanged) refill.push_back(config.databases[i]);
    }
    fill_spares(config, refill, true);
    report.elapsed = since(started);
    return report;
}

Report run_all(const settings::Settings& settings, Deadline deadline) {
    const auto config = config_from(settings);
    auto report = run(config, deadline);
    // `up` drops the leases that have expired (best effort: a lease outliving its TTL is no failure of `up`).
    if (report.ok()) {
        try {
            db::Session admin(config.admin);
            admin.set_deadline(deadline);
            drop_expired_leases(admin, config);
        } catch (const std::exception& e) {
            log::warn("could not drop the expired leases: {}", e.what());
        }
    }
    return report;
}

}  // namespace envctl::migrations
