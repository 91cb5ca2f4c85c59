// envctl status [SERVICE...] [--json] and envctl wait-ready [SERVICE...] [--timeout D] [--verify] [--json]
#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/cli/status_watch.hpp"
#include "envctl/cli/verify_suite.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/core/error.hpp"
#include "envctl/orchestration/status.hpp"
#include "envctl/orchestration/wait_ready.hpp"
#include "envctl/util/log.hpp"
#include "envctl/verify/last_result.hpp"
#include "envctl/verify/report.hpp"

namespace envctl::cli {
namespace {

struct StatusArgs {
    std::vector<std::string> services;
    bool json = false;
    std::string timeout = "5m";
    std::string grace = "10s";
    bool watch = false;
    std::string interval = "2s";
    bool verify = false;
};

using namespace std::chrono_literals;
constexpr Duration kVerifyTimeout = 15s;  // each category's, as `verify`'s default

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ExitCode status(Context& ctx, const StatusArgs& args) {
    auto services = select_services(ctx, args.services, false);
    if (args.watch) {
        if (args.json) throw usage_error("--watch redraws a table: it does not go with --json");
        auto interval = parse_duration(args.interval);
        if (!interval || interval->count() <= 0) throw usage_error("--interval " + args.interval + ": not a duration (e.g. 2s, 500ms)");
        return watch_status(ctx, services, *interval);
    }
    auto engine = make_engine(ctx, services);
    orchestration::StatusDeps deps{*engine, probe_factory(ctx, *engine), database_status(ctx)};
    auto report = orchestration::collect_status(ctx.settings(), ctx.stack(), services, deps);
    const auto last = verify::read_last(ctx.settings().state_dir());
    if (args.json) {
        auto doc = orchestration::to_json(report, "status");
        doc["last_verify"] = last ? verify::to_json(*last, now_ms()) : nlohmann::json(nullptr);
        print_json(doc);
    } else {
        auto text = orchestration::to_text(report);
        if (last) text += verify::describe(*last, now_ms()) + "\n";
        print_stdout(text);
    }
    ctx.json_written = args.json;
    return report.exit_code();
}

ExitCode wait_ready(Context& ctx, const StatusArgs& args) {
    auto timeout = parse_duration(args.timeout);
    if (!timeout) throw usage_error("--timeout " + args.timeout + ": not a duration (e.g. 90s, 5m)");
    auto grace = parse_duration(args.grace);
    if (!grace) throw usage_error("--grace " + args.grace + ": not a duration (e.g. 10s, 1m)");
    auto services = select_services(ctx, args.services, false);
    auto engine = make_engine(ctx, services);
    orchestration::StatusDeps deps{*engine, probe_factory(ctx, *engine), database_status(ctx)};
    auto outcome = orchestration::wait_ready(ctx.settings(), ctx.stack(), services, {*timeout, *grace}, deps);
    // --verify: once ready, the validation suite decides.
    std::optional<verify::Report> verified;
    if (outcome.code == ExitCode::ok && args.verify)
        verified = run_suite(ctx, services, descriptors::verify_categories(), kVerifyTimeout, "wait-ready --verify");
    if (args.json) {
        auto doc = orchestration::to_json(outcome.last, "wait-ready");
        doc["project"] = ctx.settings().project;
        doc["ready"] = outcome.code == ExitCode::ok;
        doc["exit_code"] = to_int(outcome.code);
        doc["message"] = outcome.message;
        if (verified) {
            doc["verify"] = verify::to_json(*verified);
            doc["ready"] = suite_exit_code(*verified) == ExitCode::ok;
            doc["exit_code"] = to_int(suite_exit_code(*verified));
        }
        print_json(doc);
        ctx.json_written = true;
    }
    if (outcome.code != ExitCode::ok) throw Error(outcome.code, "wait-ready: " + outcome.message);
    if (verified && !args.json) print_stdout(verify::to_text(*verified, false));
    if (verified && suite_exit_code(*verified) != ExitCode::ok)
        throw Error(suite_exit_code(*verified), "wait-ready --verify: every service is ready, but " + suite_failure(*verified));
    if (!ctx.quiet) log::info("ready: {}", fmt::format("{}", fmt::join(services, ", ")));
    return ExitCode::ok;
}

}  // namespace

void register_status(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<StatusArgs>();
    auto* sub = app.add_subcommand("status", "Container state, live health, endpoint and time to ready, per service");
    sub->add_option("services", args->services, "Services to show; default: the profile's");
    sub->add_flag("--json", args->json, "Write the status document (envctl.status/v1) to stdout");
    sub->add_flag("-w,--watch", args->watch, "Redraw the table until Ctrl-C (exit 130)");
    sub->add_option("--interval", args->interval, "With --watch: time between two tables (default 2s)");
    sub->callback([&ctx, args] {
        if (args->json) ctx.json_schema = "envctl.status/v1";
        ctx.action = [&ctx, args] { return status(ctx, *args); };
    });
}

void register_wait_ready(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<StatusArgs>();
    auto* sub = app.add_subcommand("wait-ready", "Block until ready (for CI jobs); starts and changes nothing");
    sub->add_option("services", args->services, "Services to wait for; default: the profile's");
    sub->add_option("--timeout", args->timeout, "How long to wait (default 5m)");
    sub->add_option("--grace", args->grace,
                    "A failure recorded before this wait began ends it only if no new up begins within this (default 10s)");
    sub->add_flag("--json", args->json, "Write the status document (envctl.wait-ready/v1) to stdout");
    sub->add_flag("--verify", args->verify, "Once ready, also run the validation suite (as `envctl verify`); its failure fails the wait");
    sub->callback([&ctx, args] {
        if (args->json) ctx.json_schema = "envctl.wait-ready/v1";
        ctx.action = [&ctx, args] { return wait_ready(ctx, *args); };
    });
}

}  // namespace envctl::cli
