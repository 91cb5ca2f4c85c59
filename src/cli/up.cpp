// envctl up [SERVICE...] [--attempts N] [--lock-timeout D] [--json], and envctl reset (the same after wiping).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/descriptors/validate.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "envctl/orchestration/up.hpp"
#include "envctl/ui/progress.hpp"
#include "envctl/util/log.hpp"

namespace envctl::cli {
namespace {

struct UpArgs {
    std::vector<std::string> services;
    int attempts = 3;
    std::string lock_timeout = "2m";
    bool json = false;
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
    auto lock_timeout = parse_lock_timeout(args.lock_timeout);

    auto lock = orchestration::ProjectLock::acquire(settings.project, command, lock_timeout,
                                                    [&](const orchestration::LockHolder& h) {
                                                        log::info("waiting for the project lock, held by PID {} ({})", h.pid, h.command);
                                                    });
    auto engine = make_engine(ctx, services);
    if (reset) {
        log::info("reset: removing the containers, network and volumes of project {}", settings.project);
        engine->remove_all(true, Clock::now() + std::chrono::minutes(2));
    }
    preflight(ctx, *engine, services);

    ui::Progress progress(ui::detect_mode(ctx.quiet));
    orchestration::UpDeps deps{*engine, health::real_clock(), progress, probe_factory(ctx, *engine), migrator(ctx, services)};
    orchestration::UpRequest request{services, args.attempts, command};
    const auto started = Clock::now();
    auto outcome = orchestration::run_up(settings, stack, request, deps);
    progress.finish();
    auto took = std::chrono::duration_cast<Duration>(Clock::now() - started);

    if (args.json) {
        orchestration::StatusDeps status_deps{*engine, probe_factory(ctx, *engine), database_status(ctx)};
        auto report = orchestration::collect_status(settings, stack, services, status_deps);
        auto doc = orchestration::to_json(report, command);
        doc["ready"] = outcome.code == ExitCode::ok && report.ready;
        doc["attempts"] = outcome.attempts_made;
        doc["exit_code"] = to_int(outcome.code);
        doc["message"] = outcome.message;
        doc["report"] = outcome.report ? nlohmann::json(outcome.report->string()) : nlohmann::json(nullptr);
        print_stdout(doc.dump(2) + "\n");
    }
    if (outcome.code == ExitCode::ok) {
        if (!ctx.quiet) log::info("{} services ready in {} (project {}, engine {})", services.size(), format_duration(took),
                                  settings.project, engine->name());
        return ExitCode::ok;
    }
    throw Error(outcome.code, fmt::format("{} failed after {} attempt(s): {}{}", command, outcome.attempts_made, outcome.message,
                                          outcome.report ? " (report: " + outcome.report->string() + ")" : ""));
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
    sub->callback([&ctx, args] { ctx.action = [&ctx, args] { return run(ctx, *args, false); }; });
}

void register_reset(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<UpArgs>();
    auto* sub = app.add_subcommand("reset", "Destroy containers, network and volumes, then up");
    add_options(sub, *args);
    sub->callback([&ctx, args] { ctx.action = [&ctx, args] { return run(ctx, *args, true); }; });
}

}  // namespace envctl::cli
