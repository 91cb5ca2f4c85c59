#include "envctl/migrations/data_reset.hpp"

#include <exception>
#include <future>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/db/admin.hpp"
#include "envctl/db/catalog.hpp"
#include "envctl/db/database_copy.hpp"
#include "envctl/migrations/leases.hpp"
#include "envctl/migrations/migration_files.hpp"
#include "envctl/migrations/template.hpp"
#include "envctl/migrations/verified.hpp"
#include "envctl/util/log.hpp"

namespace envctl::migrations {

namespace {

// One database, under its migrate lock: dropped (its sessions ended), copied from its template, recorded as verified.
void recreate(const Config& config, const DatabaseTarget& target, DataReset& reset, Deadline deadline) {
    const auto started = Clock::now();
    auto admin = open_admin(config.admin, deadline);
    db::AdvisoryLock lock(*admin, "envctl.migrate:" + target.name);
    if (!lock.acquire(deadline))
        throw Error(ExitCode::migration, "a migrator held the lock on " + target.name + " until the deadline passed");
    forget_verified(config, target);
    db::drop_database(*admin, target.name);
    db::copy_database(*admin, target.name, reset.template_name, target.owner, "");
    // The copy is the template's schema, which was found compliant: the no-op path may vouch for it.
    db::Session session(config.owner_connection(target));
    session.set_deadline(deadline);
    record_verified(config, target, verification_key(config, target, load_migrations(config.migrations_dir / target.name)),
                    db::catalog_fingerprint(session));
    reset.elapsed = std::chrono::duration_cast<Duration>(Clock::now() - started);
    log::debug("{}: recreated from {}", target.name, reset.template_name);
}

}  // namespace

std::vector<DataReset> reset_data(const Config& config, Deadline deadline) {
    auto admin = open_admin(config.admin, deadline);

    std::vector<std::string> problems;
    std::vector<DataReset> out;
    for (const auto& target : config.databases) {
        try {
            DataReset reset{target.name, require_current_template(*admin, config, target), 0, Duration{0}};
            reset.version = read_template(*admin, target.name)->version;
            out.push_back(reset);
        } catch (const Error& e) {
            if (e.code() != ExitCode::migration) throw;
            problems.push_back(e.what());
        }
    }
    if (!problems.empty()) {
        std::string why;
        for (const auto& p : problems) why += (why.empty() ? "" : "; ") + p;
        throw Error(ExitCode::migration, "nothing was reset: " + why);
    }

    // The databases at once, each in a session of its own: PostgreSQL 15 ends every DROP DATABASE with an immediate
    // checkpoint, and concurrent requests share one, so two databases cost about one drop (bench/parallel.sh).
    std::vector<std::future<void>> running;
    for (std::size_t i = 0; i < out.size(); ++i) {
        running.push_back(std::async(std::launch::async, [&config, &target = config.databases[i], &reset = out[i], deadline] {
            recreate(config, target, reset, deadline);
        }));
    }
    std::exception_ptr first;
    for (auto& r : running) {
        try {
            r.get();
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    if (first) std::rethrow_exception(first);
    return out;
}

}  // namespace envctl::migrations
