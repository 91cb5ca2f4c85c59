#include "envctl/cli/verify_suite.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>

#include <fmt/format.h>

#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/health/clock.hpp"
#include "envctl/verify/last_result.hpp"
#include "envctl/verify/runner.hpp"

namespace envctl::cli {

using namespace std::chrono_literals;

std::shared_ptr<verify::SuiteInputs> suite_inputs(Context& ctx, const std::vector<std::string>& named) {
    auto inputs = std::make_shared<verify::SuiteInputs>();
    inputs->settings = &ctx.settings();
    inputs->stack = &ctx.stack();
    inputs->declared = descriptors::load_verify_checks(ctx.settings().stack_file);
    inputs->selected = select_services(ctx, named, false);
    inputs->services = select_services(ctx, {}, false);
    for (const auto& s : inputs->selected)
        if (std::find(inputs->services.begin(), inputs->services.end(), s) == inputs->services.end()) inputs->services.push_back(s);
    return inputs;
}

std::vector<verify::Check> suite_checks(std::shared_ptr<const verify::SuiteInputs> in, const std::vector<std::string>& categories) {
    std::vector<verify::Check> checks;
    for (const auto& category : categories) {
        std::vector<verify::Check> part;
        if (category == "environment") part = verify::environment_checks(in);
        else if (category == "migrations") part = verify::migration_checks(in);
        else if (category == "dapr") part = verify::dapr_checks(in);
        auto declared = verify::declared_checks(in, category);
        std::move(part.begin(), part.end(), std::back_inserter(checks));
        std::move(declared.begin(), declared.end(), std::back_inserter(checks));
    }
    return checks;
}

verify::Report run_suite(Context& ctx, const std::vector<std::string>& named, const std::vector<std::string>& categories,
                         Duration timeout, const std::string& command) {
    auto inputs = suite_inputs(ctx, named);
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
    options.category_timeout = timeout;
    auto report = verify::run_checks(suite_checks(inputs, categories), options, health::real_clock());
    report.project = ctx.settings().project;
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    verify::record(ctx.settings().state_dir(), verify::summarize(report, suite_exit_code(report), command, now_ms));
    return report;
}

ExitCode suite_exit_code(const verify::Report& report) {
    auto has = [&](verify::Status s) {
        return std::any_of(report.checks.begin(), report.checks.end(), [s](const verify::CheckResult& c) { return c.status == s; });
    };
    if (has(verify::Status::fail)) return ExitCode::service_failed;
    if (has(verify::Status::timeout)) return ExitCode::timed_out;
    return ExitCode::ok;
}

std::string suite_failure(const verify::Report& report) {
    std::vector<std::string> bad;
    for (const auto& c : report.checks)
        if (c.status == verify::Status::fail || c.status == verify::Status::timeout)
            bad.push_back(fmt::format("{} {} {} ({}: {})", c.category, c.service, c.name, verify::to_string(c.status), c.detail));
    return fmt::format("{} of {} checks did not pass: {}", bad.size(), report.checks.size(), fmt::join(bad, "; "));
}

}  // namespace envctl::cli
