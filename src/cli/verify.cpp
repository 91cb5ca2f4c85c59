// envctl verify [SERVICE...] [--category C...] [--timeout D] [--json] [--junit FILE] [--list]
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/cli/verify_suite.hpp"
#include "envctl/core/error.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/verify/report.hpp"

namespace envctl::cli {
namespace {

using namespace std::chrono_literals;

struct VerifyArgs {
    std::vector<std::string> services;
    std::vector<std::string> categories;
    std::string timeout = "15s";
    bool json = false;
    std::string junit;
    bool list = false;
};

// Every category; those without built-in checks (azure, security, observability) run what descriptors declare.
std::vector<std::string> chosen_categories(const VerifyArgs& args) {
    const auto& all = descriptors::verify_categories();
    if (args.categories.empty()) return all;
    for (const auto& c : args.categories)
        if (std::find(all.begin(), all.end(), c) == all.end())
            throw usage_error(fmt::format("--category {}: no such category ({})", c, fmt::join(all, ", ")));
    return args.categories;
}

bool on_terminal() {
    const char* ci = std::getenv("CI");
    return ::isatty(STDOUT_FILENO) && !(ci && *ci);
}

ExitCode run_verify(Context& ctx, const VerifyArgs& args) {
    auto timeout = parse_duration(args.timeout);
    if (!timeout || timeout->count() <= 0) throw usage_error("--timeout " + args.timeout + ": not a duration (e.g. 15s, 1m)");
    const auto categories = chosen_categories(args);
    if (args.list) {
        auto checks = suite_checks(suite_inputs(ctx, args.services), categories);
        if (args.json) print_json(verify::list_json(checks));
        else print_stdout(verify::list_text(checks));
        ctx.json_written = args.json;
        return ExitCode::ok;
    }
    const auto report = run_suite(ctx, args.services, categories, *timeout, "verify");
    if (!args.junit.empty()) files::write_atomic(args.junit, verify::to_junit(report, Redactor::global()));
    if (args.json) print_json(verify::to_json(report));
    else print_stdout(verify::to_text(report, on_terminal()));
    ctx.json_written = args.json;
    return suite_exit_code(report);
}

}  // namespace

void register_verify(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<VerifyArgs>();
    auto* sub = app.add_subcommand("verify", "The validation suite: does the running environment work (starts nothing)");
    sub->add_option("services", args->services, "Services to check; default: the profile's");
    sub->add_option("--category", args->categories, "Categories to run (environment, migrations, dapr, azure, security, observability); default: all");
    sub->add_option("--timeout", args->timeout, "Deadline of each category (default 15s)");
    sub->add_flag("--json", args->json, "Write envctl.verify/v1 (with --list: envctl.verify-list/v1) to stdout");
    sub->add_option("--junit", args->junit, "Also write the results as JUnit XML to FILE");
    sub->add_flag("--list", args->list, "List the checks without running any");
    sub->callback([&ctx, args] {
        if (args->json) ctx.json_schema = args->list ? "envctl.verify-list/v1" : "envctl.verify/v1";
        ctx.action = [&ctx, args] { return run_verify(ctx, *args); };
    });
}

}  // namespace envctl::cli
