// envctl logs SERVICE [--tail N] [--follow]
#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"

namespace envctl::cli {
namespace {

struct LogsArgs {
    std::string service;
    int tail = 100;
    bool follow = false;
};

ExitCode run(Context& ctx, const LogsArgs& args) {
    (void)ctx.stack().get(args.service);
    auto engine = make_engine(ctx, {});
    if (args.follow) {
        // The one command without a deadline: it ends on Ctrl-C or when the container exits.
        int rc = engine->follow_logs(args.service, args.tail, [](const std::string& line) { print_stdout(line + "\n"); });
        return rc == 0 ? ExitCode::ok : ExitCode::service_failed;
    }
    for (const auto& line : engine->log_tail(args.service, args.tail, Clock::now() + std::chrono::seconds(30)))
        print_stdout(line + "\n");
    return ExitCode::ok;
}

}  // namespace

void register_logs(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<LogsArgs>();
    auto* sub = app.add_subcommand("logs", "A service's container logs");
    sub->add_option("service", args->service, "The service")->required();
    sub->add_option("--tail", args->tail, "Lines from the end (default 100)")->check(CLI::Range(0, 1000000));
    sub->add_flag("-f,--follow", args->follow, "Keep printing new lines until Ctrl-C or the container exits");
    sub->callback([&ctx, args] { ctx.action = [&ctx, args] { return run(ctx, *args); }; });
}

}  // namespace envctl::cli
