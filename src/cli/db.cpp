// envctl db lease|release|leases|reset: private copies of the migrated databases, and data reset, from the
// migrator's templates.
#include "envctl/cli/db.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "envctl/cli/connection_text.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/duration.hpp"
#include "envctl/core/error.hpp"
#include "envctl/db/session.hpp"
#include "envctl/migrations/data_reset.hpp"
#include "envctl/migrations/leases.hpp"
#include "envctl/migrations/spares.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"

namespace envctl::cli {

namespace {

struct LeaseArgs {
    std::string database;
    std::string name;
    std::string ttl = "1h";
    bool json = false;
    std::string format;
};

// What PostgreSQL refused, as envctl's exit codes instead of "internal error": a statement cancelled because
// MIGRATION_TIMEOUT ran out is a timeout (3), an interrupt is 130, any other refusal a database failure (6); each names
// the statement's first words and what to do.
ExitCode with_database_errors(const settings::Settings& settings, const std::function<ExitCode()>& action) {
    try {
        return action();
    } catch (const db::SqlError& e) {
        std::string statement = e.statement().substr(0, e.statement().find_first_of(";\n"));
        if (statement.size() > 80) statement = statement.substr(0, 79) + "…";
        if (e.error().sqlstate == "57014" && interrupt::requested())
            throw Error(ExitCode::interrupted, "interrupted during `" + statement + "`");
        if (e.error().sqlstate == "57014") {
            const std::string timeout =
                settings.databases.empty()
                    ? std::string()
                    : " (" + format_duration(migrations::config_from(settings, settings.databases.front()).timeout) + ")";
            throw Error(ExitCode::timed_out,
                        fmt::format("MIGRATION_TIMEOUT{} ran out during `{}`: PostgreSQL is slow or busy; try again, "
                                    "or raise MIGRATION_TIMEOUT in .env.development",
                                    timeout, statement));
        }
        throw Error(ExitCode::migration, "PostgreSQL refused `" + statement + "`: " + e.what());
    }
}

std::unique_ptr<db::Session> admin_session(const migrations::Config& config, Deadline deadline) {
    // Many jobs may lease at once: the server may take longer than usual to accept them all.
    auto info = config.admin;
    info.connect_timeout = std::max(info.connect_timeout, Duration(std::chrono::seconds(10)));
    return migrations::open_admin(info, deadline);
}

ExitCode run_lease(Context& ctx, const LeaseArgs& args) {
    const auto& settings = ctx.settings();
    if (settings.databases.empty()) throw usage_error("POSTGRES_MULTIPLE_DATABASES names no database to lease");
    const std::string database = args.database.empty() ? settings.databases.front() : args.database;
    auto ttl = parse_duration(args.ttl);
    if (!ttl) throw usage_error("--ttl " + args.ttl + ": not a duration (e.g. 30m, 1h)");
    if (!args.format.empty() && args.format != "env") throw usage_error("--format " + args.format + ": only `env` is known");
    auto config = migrations::config_from(settings, database);
    const auto& target = config.databases.front();
    const auto deadline = Clock::now() + config.timeout;
    auto admin = admin_session(config, deadline);
    const auto lease = migrations::make_lease(*admin, config, target,
                                              args.name.empty() ? std::nullopt : std::optional(args.name), *ttl, deadline);
    const auto plain = database_url(config.admin, target.owner, nullptr, lease.name);
    if (args.format == "env") {
        std::string out;
        out += "export ENVCTL_LEASE=" + shell_quoted(lease.name) + "\n";
        out += "export DATABASE_URL=" + shell_quoted(database_url(config.admin, target.owner, &target.owner_password, lease.name)) + "\n";
        out += "export PGHOST=" + shell_quoted(config.admin.host) + "\n";
        out += "export PGPORT=" + shell_quoted(std::to_string(config.admin.port)) + "\n";
        out += "export PGDATABASE=" + shell_quoted(lease.name) + "\n";
        out += "export PGUSER=" + shell_quoted(target.owner) + "\n";
        out += "export PGPASSWORD=" + shell_quoted(target.owner_password) + "\n";
        write_secret_output(out);
    } else if (args.json) {
        print_json(nlohmann::ordered_json{{"schema", "envctl.db-lease/v1"},
                                          {"name", lease.name},
                                          {"source", lease.source},
                                          {"url", plain},
                                          {"expires_at", lease.expires_at}});
        ctx.json_written = true;
    } else {
        print_stdout(plain + "\n");
    }
    if (!ctx.quiet) log::info("leased {} from {} until {}", lease.name, lease.source, lease.expires_at);
    return ExitCode::ok;
}

std::string age(const std::string& from, const std::string& to) {
    const auto a = migrations::timestamp_ms(from), b = migrations::timestamp_ms(to);
    if (!a || !b) return "?";
    return format_duration(Duration((*b - *a) / 1000 * 1000));
}

ExitCode run_leases(Context& ctx, bool json) {
    const auto& settings = ctx.settings();
    auto config = migrations::config_from(settings);
    auto admin = admin_session(config, Clock::now() + config.timeout);
    const auto listing = migrations::list_leases(*admin, config);
    if (json) {
        auto leases = nlohmann::ordered_json::array();
        for (const auto& l : listing.leases)
            leases.push_back({{"name", l.name}, {"source", l.source}, {"created_at", l.created_at}, {"expires_at", l.expires_at}});
        print_json(nlohmann::ordered_json{{"schema", "envctl.db-leases/v1"}, {"leases", leases}});
        ctx.json_written = true;
        return ExitCode::ok;
    }
    std::string out;
    for (const auto& l : listing.leases) {
        out += fmt::format("{}  from {}  age {}  ", l.name, l.source, age(l.created_at, listing.now));
        out += migrations::expired(l, listing.now) ? "expired (dropped by the next lease, release or up)\n"
                                                   : "expires in " + age(listing.now, l.expires_at) + " (" + l.expires_at + ")\n";
    }
    if (listing.leases.empty() && !ctx.quiet) log::info("no leases");
    print_stdout(out);
    return ExitCode::ok;
}

ExitCode run_release(Context& ctx, const std::vector<std::string>& names, bool all, const std::string& database) {
    if (names.empty() && !all) throw usage_error("db release: name the leases to drop, or give --all");
    if (!names.empty() && all) throw usage_error("db release: give lease names or --all, not both");
    const auto& settings = ctx.settings();
    auto config = migrations::config_from(settings);
    if (!database.empty()) migrations::config_from(settings, database);  // checks the name
    auto admin = admin_session(config, Clock::now() + config.timeout);
    const auto dropped = migrations::release_leases(*admin, config, names, all,
                                                    database.empty() ? std::nullopt : std::optional(database));
    for (const auto& name : dropped) print_stdout("released " + name + "\n");
    // The teardown of one job pays for the next one's lease: the spares back to ENVCTL_DB_SPARES (best effort).
    migrations::fill_spares(config, config.databases, false);
    return ExitCode::ok;
}

}  // namespace

ExitCode run_db_reset(Context& ctx, const std::vector<std::string>& databases) {
    const auto& settings = ctx.settings();
    auto config = migrations::config_from(settings);
    if (!databases.empty()) {
        std::vector<migrations::DatabaseTarget> chosen;
        for (const auto& target : config.databases) {
            if (std::find(databases.begin(), databases.end(), target.name) != databases.end()) chosen.push_back(target);
        }
        for (const auto& name : databases) migrations::config_from(settings, name);  // names an unknown one
        config.databases = chosen;
    }
    auto lock = orchestration::ProjectLock::acquire(
        settings.project, "db reset", std::chrono::minutes(2), [](const orchestration::LockHolder& holder) {
            log::info("waiting for PID {} ({}) to release the project lock", holder.pid, holder.command);
        });
    const auto started = Clock::now();
    const auto resets = migrations::reset_data(config, Clock::now() + config.timeout);
    for (const auto& r : resets)
        print_stdout(fmt::format("{}: recreated from {} (version {:04}) in {}\n", r.name, r.template_name, r.version,
                                 format_duration(r.elapsed)));
    if (!ctx.quiet)
        log::info("data reset of {} database(s) in {}", resets.size(),
                  format_duration(std::chrono::duration_cast<Duration>(Clock::now() - started)));
    return ExitCode::ok;
}

void register_db(CLI::App& app, Context& ctx) {
    auto* db = app.add_subcommand("db", "Private copies of the migrated databases (leases) and data reset, from "
                                        "the templates the migrator keeps");
    db->require_subcommand(1);

    auto lease_args = std::make_shared<LeaseArgs>();
    auto* lease = db->add_subcommand("lease", "A new database copied from D__template, owned by D's owner; prints "
                                              "its connection string");
    lease->add_option("--database", lease_args->database, "The source D (default: the first of POSTGRES_MULTIPLE_DATABASES)");
    lease->add_option("--name", lease_args->name, "The new database's name (default: D__lease_<random>)");
    lease->add_option("--ttl", lease_args->ttl, "Dropped by the next lease, release or up after this (default 1h)");
    auto* json_flag = lease->add_flag("--json", lease_args->json, "One JSON document (envctl.db-lease/v1) on stdout");
    lease->add_option("--format", lease_args->format, "env: `export` lines for eval, with the password")
        ->excludes(json_flag);
    lease->callback([&ctx, lease_args] {
        if (lease_args->json) ctx.json_schema = "envctl.db-lease/v1";
        ctx.action = [&ctx, lease_args] {
            return with_database_errors(ctx.settings(), [&] { return run_lease(ctx, *lease_args); });
        };
    });

    auto names = std::make_shared<std::vector<std::string>>();
    auto all = std::make_shared<bool>(false);
    auto release_db = std::make_shared<std::string>();
    auto* release = db->add_subcommand("release", "Drop leases (ending their connections)");
    release->add_option("names", *names, "The leases to drop");
    release->add_flag("--all", *all, "Every lease (of --database, when given)");
    release->add_option("--database", *release_db, "Only leases of this database");
    release->callback([&ctx, names, all, release_db] {
        ctx.action = [&ctx, names, all, release_db] {
            return with_database_errors(ctx.settings(), [&] { return run_release(ctx, *names, *all, *release_db); });
        };
    });

    auto leases_json = std::make_shared<bool>(false);
    auto* leases = db->add_subcommand("leases", "List the leases with their age and time to live");
    leases->add_flag("--json", *leases_json, "One JSON document (envctl.db-leases/v1) on stdout");
    leases->callback([&ctx, leases_json] {
        if (*leases_json) ctx.json_schema = "envctl.db-leases/v1";
        ctx.action = [&ctx, leases_json] {
            return with_database_errors(ctx.settings(), [&] { return run_leases(ctx, *leases_json); });
        };
    });

    auto reset_dbs = std::make_shared<std::vector<std::string>>();
    auto* reset = db->add_subcommand("reset", "Recreate every (or the named) database from its template: "
                                              "connections ended, containers untouched");
    reset->add_option("--database", *reset_dbs, "Only these databases");
    reset->callback([&ctx, reset_dbs] {
        ctx.action = [&ctx, reset_dbs] {
            return with_database_errors(ctx.settings(), [&] { return run_db_reset(ctx, *reset_dbs); });
        };
    });
}

}  // namespace envctl::cli
