// envctl migrate [--database DB]; envctl migrate status [--json].
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/migrations/json.hpp"
#include "envctl/migrations/runner.hpp"
#include "envctl/migrations/status.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/redactor.hpp"

namespace envctl::cli {

namespace {

void print(const std::string& text) { std::fputs(Redactor::global().redact(text + "\n").c_str(), stdout); }

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out;
}

void print_differences(const std::vector<std::string>& differences) {
    for (const auto& d : differences) print("  - " + d);
}

void print_report(const migrations::DatabaseReport& r) {
    std::string head = r.name + ":";
    if (r.created) head += " created;";
    if (!r.reset_reasons.empty()) head += " dropped and recreated (" + join(r.reset_reasons, "; ") + ");";
    if (!r.error.empty()) return print(head + " " + r.error);
    if (r.failure) {
        print(head + " migration failed: " + migrations::describe(*r.failure));
        print(fmt::format("  the database keeps nothing of {}; nothing was retried; it is at version {:04}",
                          r.failure->file, r.version));
        return;
    }
    head += r.applied.empty() ? fmt::format(" up to date at version {:04}", r.version)
                              : fmt::format(" applied {} ({}), now at version {:04}", r.applied.size(),
                                            join(r.applied), r.version);
    head += r.unchanged  ? "; compliant, unchanged since its last full comparison"
            : r.compliant ? "; compliant"
                          : "; NOT compliant with its schema document:";
    if (r.template_refreshed) head += "; template refreshed";
    print(head + fmt::format(" ({}ms)", r.elapsed.count()));
    print_differences(r.differences);
}

ExitCode run_migrate(Context& ctx, const std::string& database) {
    const auto& settings = ctx.settings();
    auto config = migrations::config_from(settings, database.empty() ? std::nullopt : std::optional(database));
    // A mutating command: it holds the project's lock (exit 8 when another holds it past the default 2m).
    auto lock = orchestration::ProjectLock::acquire(
        settings.project, "migrate", std::chrono::minutes(2), [](const orchestration::LockHolder& holder) {
            log::info("waiting for PID {} ({}) to release the project lock", holder.pid, holder.command);
        });
    auto report = migrations::run(config, Clock::now() + config.timeout);
    for (const auto& r : report.databases) print_report(r);
    return report.ok() ? ExitCode::ok : ExitCode::migration;
}

ExitCode run_status(Context& ctx, const std::string& database, bool json) {
    const auto& settings = ctx.settings();
    auto config = migrations::config_from(settings, database.empty() ? std::nullopt : std::optional(database));
    auto statuses = migrations::status(config, Clock::now() + config.timeout);
    bool ok = true;
    for (const auto& st : statuses) ok = ok && st.ready();
    if (json) {
        print_json(migrations::status_document(statuses));
        ctx.json_written = true;
        return ok ? ExitCode::ok : ExitCode::migration;
    }
    for (const auto& st : statuses) {
        std::string line = fmt::format("{}: version {:04}", st.name, st.version);
        line += st.pending.empty() ? ", nothing pending" : ", pending: " + join(st.pending);
        if (!st.drift.empty()) line += "; drift: " + join(st.drift, "; ");
        line += st.template_db ? fmt::format("; template at version {:04}{}", st.template_db->version,
                                             st.template_db->matches ? " (matches)" : " (does not match)")
                               : std::string("; no template");
        if (!st.detail.empty()) line += "; " + st.detail;
        else line += st.compliant ? "; compliant" : "; NOT compliant:";
        print(line);
        if (st.detail.empty()) print_differences(st.differences);
    }
    return ok ? ExitCode::ok : ExitCode::migration;
}

}  // namespace

void register_migrate(CLI::App& app, Context& ctx) {
    auto* migrate = app.add_subcommand(
        "migrate", "Migrate every database to its latest version (aggressive: on drift or failure the database is "
                   "recreated), then check it against its schema document");
    migrate->require_subcommand(0, 1);
    auto database = std::make_shared<std::string>();
    migrate->add_option("--database", *database, "Only this database of POSTGRES_MULTIPLE_DATABASES");

    auto* status = migrate->add_subcommand("status", "Per database: version, pending files, drift, compliance");
    auto json = std::make_shared<bool>(false);
    status->add_flag("--json", *json, "One JSON document (envctl.migrate-status/v1) on stdout");

    migrate->callback([&ctx, migrate, database] {
        if (migrate->got_subcommand("status")) return;
        ctx.action = [&ctx, database] { return run_migrate(ctx, *database); };
    });
    status->callback([&ctx, database, json] {
        if (*json) ctx.json_schema = "envctl.migrate-status/v1";
        ctx.action = [&ctx, database, json] { return run_status(ctx, *database, *json); };
    });
}

}  // namespace envctl::cli
