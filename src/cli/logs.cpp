// envctl logs [SERVICE...] [--tail N] [--follow] [--since D] [--timestamps]
// Several services at once, as `docker compose logs` shows them: with more than one service each line is prefixed
// with its service's name (coloured on a terminal). Without --follow the lines of all services are merged in time
// order; with --follow they are printed as they arrive until Ctrl-C (exit 130) or every container exits.
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/engine/bounded_parallel.hpp"
#include "envctl/ui/log_lines.hpp"
#include "envctl/ui/terminal.hpp"
#include "envctl/ui/text_width.hpp"
#include "envctl/util/interrupt.hpp"

namespace envctl::cli {
namespace {

struct LogsArgs {
    std::vector<std::string> services;
    int tail = 100;
    bool follow = false;
    std::string since;
    bool timestamps = false;
};

// The selected services that have a container; refuses when none has.
std::vector<std::string> with_containers(engine::Engine& engine, const std::vector<std::string>& services, bool named) {
    std::vector<std::string> present;
    auto containers = engine.list(Clock::now() + std::chrono::seconds(30));
    for (const auto& s : services) {
        bool has = std::any_of(containers.begin(), containers.end(), [&](const auto& c) { return c.service == s; });
        if (has) present.push_back(s);
        else if (named) throw Error(ExitCode::not_started, s + " has no container (start it with `envctl up " + s + "`)");
    }
    if (present.empty()) throw Error(ExitCode::not_started, "nothing of the environment is running (start it with `envctl up`)");
    return present;
}

struct Printer {
    std::vector<std::string> prefixes;  // one per service, "" for a single service
    std::mutex mutex;
    void line(std::size_t service, const std::string& text) {
        std::lock_guard lock(mutex);
        print_stdout(prefixes[service] + text + "\n");
    }
};

ExitCode follow(engine::Engine& engine, const std::vector<std::string>& services, const engine::LogOptions& options,
                Printer& printer) {
    std::vector<int> codes(services.size(), 0);
    auto failures = engine::run_bounded(services.size(), services.size(), [&](std::size_t i) {
        codes[i] = engine.stream_logs(services[i], options, [&](const std::string& l) { printer.line(i, l); },
                                      Clock::now() + std::chrono::hours(24));
    });
    if (interrupt::received()) return ExitCode::interrupted;  // Ctrl-C ends a follow: no error, no trace
    engine::rethrow_failures(failures);
    bool all_ok = std::all_of(codes.begin(), codes.end(), [](int c) { return c == 0; });
    return all_ok ? ExitCode::ok : ExitCode::service_failed;
}

ExitCode merged(engine::Engine& engine, const std::vector<std::string>& services, engine::LogOptions options,
                bool show_timestamps, Printer& printer) {
    options.timestamps = true;  // to merge in time order; shown only when asked
    std::vector<ui::ServiceLines> all(services.size());
    const Deadline deadline = Clock::now() + std::chrono::seconds(30);
    engine::rethrow_failures(engine::run_bounded(services.size(), engine::default_parallelism(), [&](std::size_t i) {
        all[i].service = services[i];
        engine.stream_logs(services[i], options, [&](const std::string& l) { all[i].lines.push_back(ui::split_timestamp(l)); },
                           deadline);
    }));
    for (const auto& [i, line] : ui::merge_by_time(all))
        printer.line(i, show_timestamps && !line.stamp.empty() ? line.stamp + " " + line.text : line.text);
    return ExitCode::ok;
}

ExitCode run(Context& ctx, const LogsArgs& args) {
    if (!args.since.empty() && !parse_duration(args.since))
        throw usage_error("--since " + args.since + ": not a duration (e.g. 30s, 10m, 2h)");
    auto selected = select_services(ctx, args.services, false);
    auto engine = make_engine(ctx, selected);
    auto services = with_containers(*engine, selected, !args.services.empty());

    Printer printer;
    const bool colour = ui::live_capable(STDOUT_FILENO) && !ui::no_color();
    std::size_t width = 0;
    for (const auto& s : services) width = std::max(width, ui::display_width(s));
    for (std::size_t i = 0; i < services.size(); ++i)
        printer.prefixes.push_back(services.size() > 1 ? ui::log_prefix(services[i], width, i, colour) : "");

    engine::LogOptions options{args.tail, args.follow, args.since, args.timestamps};
    if (args.follow) return follow(*engine, services, options, printer);
    return merged(*engine, services, options, args.timestamps, printer);
}

}  // namespace

void register_logs(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<LogsArgs>();
    auto* sub = app.add_subcommand("logs", "Container logs of one or more services (prefixed by service when several)");
    sub->add_option("services", args->services, "The services; default: the profile's that have a container");
    sub->add_option("--tail", args->tail, "Lines from the end of each log (default 100)")->check(CLI::Range(0, 1000000));
    sub->add_flag("-f,--follow", args->follow, "Keep printing new lines until Ctrl-C or every container exits");
    sub->add_option("--since", args->since, "Only lines newer than this duration (e.g. 10m)");
    sub->add_flag("-t,--timestamps", args->timestamps, "Start each line with its time (RFC 3339)");
    sub->callback([&ctx, args] { ctx.action = [&ctx, args] { return run(ctx, *args); }; });
}

}  // namespace envctl::cli
