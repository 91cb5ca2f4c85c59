// envctl verify [SERVICE...] [--category C...] [--timeout D] [--json] [--junit FILE] [--list]
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/redactor.hpp"
#include "envctl/verify/report.hpp"
#include "envctl/verify/runner.hpp"
#include "envctl/verify/suite.hpp"

namespace envctl::cli {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kBuilt = {"environment", "migrations"};
const std::vector<std::string> kNotBuilt = {"dapr", "azure", "security", "observability"};

struct VerifyArgs {
    std::vector<std::string> services;
    std::vector<std::string> categories;
    std::string timeout = "15s";
    bool json = false;
    std::string junit;
    bool list = false;
};

std::vector<std::string> chosen_categories(const VerifyArgs& args) {
    if (args.categories.empty()) return kBuilt;
    for (const auto& c : args.categories) {
        if (std::find(kNotBuilt.begin(), kNotBuilt.end(), c) != kNotBuilt.end())
            throw usage_error("--category " + c + ": not built yet (categories so far: environment, migrations)");
        if (std::find(kBuilt.begin(), kBuilt.end(), c) == kBuilt.end())
            throw usage_error("--category " + c + ": no such category (environment, migrations; not built yet: dapr, "
                              "azure, security, observability)");
    }
    return args.categories;
}

std::vector<verify::Check> build_checks(std::shared_ptr<const verify::SuiteInputs> in, const std::vector<std::string>& categories) {
    std::vector<verify::Check> checks;
    for (const auto& category : categories) {
        auto part = category == "environment" ? verify::environment_checks(in) : verify::migration_checks(in);
        std::move(part.begin(), part.end(), std::back_inserter(checks));
    }
    return checks;
}

bool on_terminal() {
    const char* ci = std::getenv("CI");
    return ::isatty(STDOUT_FILENO) && !(ci && *ci);
}

ExitCode run_verify(Context& ctx, const VerifyArgs& args) {
    auto timeout = parse_duration(args.timeout);
    if (!timeout || timeout->count() <= 0) throw usage_error("--timeout " + args.timeout + ": not a duration (e.g. 15s, 1m)");
    const auto categories = chosen_categories(args);
    auto inputs = std::make_shared<verify::SuiteInputs>();
    inputs->settings = &ctx.settings();
    inputs->stack = &ctx.stack();
    inputs->selected = select_services(ctx, args.services, false);
    inputs->services = select_services(ctx, {}, false);
    for (const auto& s : inputs->selected)
        if (std::find(inputs->services.begin(), inputs->services.end(), s) == inputs->services.end()) inputs->services.push_back(s);

    if (args.list) {
        auto checks = build_checks(inputs, categories);
        if (args.json) print_json(verify::list_json(checks));
        else print_stdout(verify::list_text(checks));
        ctx.json_written = args.json;
        return ExitCode::ok;
    }

    auto engine = make_engine(ctx, inputs->services);
    inputs->containers = engine->list(Clock::now() + 30s);
    inputs->engine = engine.get();
    inputs->make_probe = probe_factory(ctx, *engine);
    inputs->databases = database_status(ctx);
    if (std::none_of(inputs->selected.begin(), inputs->selected.end(),
                     [&](const std::string& s) { return verify::running_container(*inputs, s) != nullptr; }))
        throw Error(ExitCode::not_started, fmt::format("verify: nothing is running of {} (start it with envctl up)",
                                                       fmt::join(inputs->selected, ", ")));

    verify::RunOptions options;
    options.category_timeout = *timeout;
    auto report = verify::run_checks(build_checks(inputs, categories), options, health::real_clock());
    report.project = ctx.settings().project;

    if (!args.junit.empty()) files::write_atomic(args.junit, verify::to_junit(report, Redactor::global()));
    if (args.json) print_json(verify::to_json(report));
    else print_stdout(verify::to_text(report, on_terminal()));
    ctx.json_written = args.json;

    auto has = [&](verify::Status s) {
        return std::any_of(report.checks.begin(), report.checks.end(), [s](const verify::CheckResult& c) { return c.status == s; });
    };
    if (has(verify::Status::fail)) return ExitCode::service_failed;
    if (has(verify::Status::timeout)) return ExitCode::timed_out;
    return ExitCode::ok;
}

}  // namespace

void register_verify(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<VerifyArgs>();
    auto* sub = app.add_subcommand("verify", "The validation suite: does the running environment work (starts nothing)");
    sub->add_option("services", args->services, "Services to check; default: the profile's");
    sub->add_option("--category", args->categories, "Categories to run (environment, migrations); default: all built");
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
