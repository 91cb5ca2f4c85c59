// envctl up [SERVICE...] [--attempts N] [--lock-timeout D] [--verify] [--keep-on-failure] [--no-migrate] [--json], and
// envctl reset [SERVICE...] (the same after wiping the project, or only the named services, once preflight passed).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "envctl/cli/context.hpp"
#include "envctl/cli/db.hpp"
#include "envctl/cli/pull.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/cli/verify_suite.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/core/error.hpp"
#include "envctl/descriptors/validate.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/orchestration/up.hpp"
#include "envctl/preflight/exposure.hpp"
#include "envctl/preflight/known_breakages.hpp"
#include "envctl/ui/progress.hpp"
#include "envctl/util/log.hpp"
#include "envctl/verify/report.hpp"

namespace envctl::cli {
namespace {

using namespace std::chrono_literals;
constexpr Duration kVerifyTimeout = 15s;  // each category's, as `verify`'s default

struct UpArgs {
    std::vector<std::string> services;
    int attempts = 3;
    std::string lock_timeout = "2m";
    bool json = false;
    bool keep_on_failure = false;
    bool no_migrate = false;
    bool verify = false;
};

Duration parse_lock_timeout(const std::string& text) {
    auto d = parse_duration(text);
    if (!d) throw usage_error("--lock-timeout " + text + ": not a duration (e.g. 30s, 2m)");
    return *d;
}

ExitCode run(Context& ctx, const UpArgs& args, bool reset) {
    const auto& settings = ctx.settings();
    const auto& stack = ctx.stack();
    const std::string command = reset ? "reset" : "up";
    auto services = select_services(ctx, args.services, true);
    descriptors::validate_selection(stack, services, settings.vars);
    if (auto exposed = preflight::exposure_warning(settings, stack, services)) log::warn("{}", *exposed);
    auto lock_timeout = parse_lock_timeout(args.lock_timeout);

    auto lock = orchestration::ProjectLock::acquire(settings.project, command, lock_timeout,
                                                    [&](const orchestration::LockHolder& h) {
                                                        log::info("waiting for the project lock, held by PID {} ({})", h.pid, h.command);
                                                    });
    // From here on every outcome reaches state.json under this run's id, preflight's included (wait-ready).
    const auto state_file = settings.state_dir() / "state.json";
    const auto run = orchestration::begin_run(state_file, orchestration::new_run_id(), command, services, args.attempts);
    std::unique_ptr<engine::Engine> engine;
    orchestration::UpOutcome outcome;
    Duration took{};
    try {
        engine = make_engine(ctx, services);
        ui::Progress progress(ui::detect_mode(ctx.quiet));
        auto migrate = args.no_migrate ? std::function<void(Deadline)>() : migrator(ctx, services);
        if (args.no_migrate && migrator(ctx, services))
            log::info("--no-migrate: the databases are not migrated (`envctl migrate` does it; until then `status` says "
                      "postgresql is not ready)");
        orchestration::UpDeps deps{*engine, health::real_clock(), progress, probe_factory(ctx, *engine), std::move(migrate)};
        deps.diagnose = preflight::known_fix;
        // Preflight runs inside run_up, before a reset removes anything. Its refusal (or a failed reset) comes back
        // as an exception, recorded below; run_up records every later outcome itself. Absent images are pulled
        // here, before anything is removed or created. (The engine writes the run file when it creates the
        // containers.)
        deps.preflight = [&] {
            preflight(ctx, *engine, services);
            pull_absent(ctx, services);
        };
        orchestration::UpRequest request{services, args.attempts, command, run.run_id};
        if (reset) request.reset = args.services;  // only the named services (not their dependencies), or everything
        request.keep_on_failure = args.keep_on_failure;
        const auto started = Clock::now();
        outcome = orchestration::run_up(settings, stack, request, deps);
        progress.finish();
        took = std::chrono::duration_cast<Duration>(Clock::now() - started);
    } catch (const Error& e) {
        orchestration::end_run(state_file, run, e.code(), e.what());
        throw;
    } catch (const std::exception& e) {
        orchestration::end_run(state_file, run, ExitCode::internal, std::string("internal error: ") + e.what());
        throw;
    }

    // --verify: the validation suite gates the hand-over once everything is ready.
    // A suite that fails (or cannot run) fails this up: state.json records it as failed, not ready.
    std::optional<verify::Report> verified;
    if (outcome.code == ExitCode::ok && args.verify) {
        try {
            verified = run_suite(ctx, services, descriptors::verify_categories(), kVerifyTimeout, command + " --verify");
        } catch (const Error& e) {
            orchestration::fail_finished_run(state_file, run.run_id, e.code(), e.what());
            throw;
        }
    }
    if (args.json) {
        orchestration::StatusDeps status_deps{*engine, probe_factory(ctx, *engine), database_status(ctx)};
        auto report = orchestration::collect_status(settings, stack, services, status_deps);
        auto doc = orchestration::to_json(report, command);
        doc["ready"] = outcome.code == ExitCode::ok && report.ready;
        doc["attempts"] = outcome.attempts_made;
        doc["exit_code"] = to_int(outcome.code);
        doc["message"] = outcome.message;
        doc["report"] = outcome.report ? nlohmann::json(outcome.report->string()) : nlohmann::json(nullptr);
        doc["kept"] = outcome.kept;
        if (verified) doc["verify"] = verify::to_json(*verified);
        print_json(doc);
        ctx.json_written = true;
    }
    if (verified && !args.json) print_stdout(verify::to_text(*verified, false));
    if (verified && suite_exit_code(*verified) != ExitCode::ok) {
        Error failed(suite_exit_code(*verified),
                     fmt::format("{} --verify: every service is ready, but {}", command, suite_failure(*verified)));
        orchestration::fail_finished_run(state_file, run.run_id, failed.code(), failed.what());
        throw failed;
    }
    if (outcome.code == ExitCode::ok) {
        if (!ctx.quiet) log::info("{} services ready in {} (project {}, engine {})", services.size(), format_duration(took),
                                  settings.project, engine->name());
        return ExitCode::ok;
    }
    throw Error(outcome.code, fmt::format("{} failed after {} attempt(s): {}{}{}", command, outcome.attempts_made, outcome.message,
                                          outcome.report ? " (report: " + outcome.report->string() + ")" : "",
                                          outcome.kept ? "; the environment is left as it failed (--keep-on-failure)" : ""));
}

void add_options(CLI::App* sub, UpArgs& args) {
    sub->add_option("services", args.services, "Services to start (with their dependencies); default: the profile's");
    sub->add_option("--attempts", args.attempts, "Attempts in all, with teardown and backoff between them")
        ->check(CLI::Range(1, 20));
    sub->add_option("--lock-timeout", args.lock_timeout, "How long to wait for another mutating command (default 2m)");
    sub->add_flag("--json", args.json, "Write the final status document (envctl.up/v1) to stdout");
}

}  // namespace

void register_up(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<UpArgs>();
    auto* sub = app.add_subcommand("up", "Start the environment (with dependencies), wait until ready, migrate");
    add_options(sub, *args);
    sub->add_flag("--keep-on-failure", args->keep_on_failure,
                  "On a failure, leave the environment as it failed: no teardown, no retry");
    sub->add_flag("--no-migrate", args->no_migrate, "Start and wait ready, but do not migrate the databases");
    sub->add_flag("--verify", args->verify, "Once ready, also run the validation suite (as `envctl verify`); its failure fails up");
    sub->callback([&ctx, args] {
        if (args->json) ctx.json_schema = "envctl.up/v1";
        ctx.action = [&ctx, args] { return run(ctx, *args, false); };
    });
}

void register_reset(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<UpArgs>();
    auto* sub = app.add_subcommand("reset", "Destroy containers, network and volumes (of the named services only, when named), then up");
    add_options(sub, *args);
    auto data = std::make_shared<bool>(false);
    sub->add_flag("--data", *data, "Only put the databases back to their freshly migrated state (as `db reset`)");
    sub->callback([&ctx, args, data] {
        if (*data) {
            if (!args->services.empty()) throw CLI::ValidationError("--data", "resets every database; it takes no services");
            ctx.action = [&ctx] { return run_db_reset(ctx, {}); };
            return;
        }
        if (args->json) ctx.json_schema = "envctl.reset/v1";
        ctx.action = [&ctx, args] { return run(ctx, *args, true); };
    });
}

}  // namespace envctl::cli
