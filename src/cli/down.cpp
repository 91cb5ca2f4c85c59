// envctl down [--volumes] [--lock-timeout D]
#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/orchestration/port_choice.hpp"
#include "envctl/orchestration/project_lock.hpp"
#include "envctl/orchestration/state.hpp"
#include "envctl/util/log.hpp"

namespace envctl::cli {
namespace {

struct DownArgs {
    bool volumes = false;
    std::string lock_timeout = "2m";
};

ExitCode run(Context& ctx, const DownArgs& args) {
    const auto& settings = ctx.settings();
    auto timeout = parse_duration(args.lock_timeout);
    if (!timeout) throw usage_error("--lock-timeout " + args.lock_timeout + ": not a duration (e.g. 30s, 2m)");
    auto lock = orchestration::ProjectLock::acquire(settings.project, args.volumes ? "down --volumes" : "down", *timeout);
    auto engine = make_engine(ctx, {});
    const auto started = Clock::now();
    engine->remove_all(args.volumes, Clock::now() + std::chrono::minutes(2));
    orchestration::State state;
    state.phase = orchestration::Phase::stopped;
    state.command = "down";
    orchestration::write_state(settings.state_dir() / "state.json", state);
    if (orchestration::release_ports(settings)) log::debug("the project's ENVCTL_PORTS=auto ports are released");
    if (!ctx.quiet)
        log::info("project {} is down{} ({})", settings.project, args.volumes ? ", volumes removed" : "",
                  format_duration(std::chrono::duration_cast<Duration>(Clock::now() - started)));
    return ExitCode::ok;
}

}  // namespace

void register_down(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<DownArgs>();
    auto* sub = app.add_subcommand("down", "Stop and remove the containers and the project network");
    sub->add_flag("--volumes", args->volumes, "Also remove the project's named volumes (its data)");
    sub->add_option("--lock-timeout", args->lock_timeout, "How long to wait for another mutating command (default 2m)");
    sub->callback([&ctx, args] { ctx.action = [&ctx, args] { return run(ctx, *args); }; });
}

}  // namespace envctl::cli
