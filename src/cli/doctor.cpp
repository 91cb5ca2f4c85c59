// envctl doctor [--json]
#include <CLI/CLI.hpp>

#include <algorithm>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/preflight/doctor.hpp"

namespace envctl::cli {

void register_doctor(CLI::App& app, Context& ctx) {
    auto json = std::make_shared<bool>(false);
    auto* sub = app.add_subcommand("doctor", "Preflight checks (podman, containers, network, ports, memory), each with its fix");
    sub->add_flag("--json", *json, "Write the checks (envctl.doctor/v1) to stdout");
    sub->callback([&ctx, json] {
        if (*json) ctx.json_schema = "envctl.doctor/v1";
        ctx.action = [&ctx, json] {
            auto checks = preflight::run_doctor(ctx.settings(), ctx.stack(), select_services(ctx, {}, true));
            if (*json) print_json(preflight::to_json(checks));
            else print_stdout(preflight::to_text(checks));
            ctx.json_written = *json;
            bool ok = std::all_of(checks.begin(), checks.end(), [](const preflight::Check& c) { return c.ok; });
            return ok ? ExitCode::ok : ExitCode::preflight;
        };
    });
}

}  // namespace envctl::cli
