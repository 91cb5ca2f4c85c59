// envctl's entry point: parse the command line, run the chosen subcommand, and turn its outcome into the exit code.
// This is the only place that picks an exit code.

#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/cli/json_failure.hpp"
#include "envctl/core/error.hpp"
#include "envctl/core/exit_code.hpp"
#include "envctl/util/interrupt.hpp"
#include "envctl/util/log.hpp"
#include "envctl/util/redactor.hpp"

namespace {

void print_error(const std::string& message) {
    std::fprintf(stderr, "envctl: error: %s\n", envctl::Redactor::global().redact(message).c_str());
}

// --json: one document on stdout on every exit path (json_failure.hpp).
void print_json_failure(const std::string& schema, envctl::ExitCode code, const std::string& message) {
    auto doc = envctl::Redactor::global().redact(envctl::cli::json_failure_document(schema, code, message));
    std::fwrite(doc.data(), 1, doc.size(), stdout);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    using envctl::ExitCode;
    envctl::interrupt::install_handlers();

    envctl::cli::Context ctx;
    CLI::App app{"envctl: the International Center development environment, with one command.", "envctl"};
    app.set_version_flag("--version", std::string("envctl ") + ENVCTL_VERSION);
    app.require_subcommand(1);
    app.fallthrough(true);  // global options are accepted after the subcommand too

    std::string project_dir, env_file, stack_file, profile, images, engine, ports;
    app.add_option("--project-dir", project_dir, "Project root (default: nearest ancestor holding .env.development)");
    app.add_option("--env-file", env_file, "Settings file (default: <project>/.env.development)");
    app.add_option("--stack", stack_file, "Stack file (YAML) extending or replacing the built-in stack");
    app.add_option("--profile", profile, "Profile: full (default), core, or one a stack file defines");
    app.add_option("--images", images, "upstream (default) or local images")->check(CLI::IsMember({"upstream", "local"}));
    app.add_option("--engine", engine, "podman (default), podman-compose or kube (podman kube play)")->check(CLI::IsMember({"podman", "podman-compose", "kube"}));
    app.add_flag("-v,--verbose", ctx.verbose, "Debug logging");
    app.add_flag("-q,--quiet", ctx.quiet, "Warnings and errors only");
    app.add_option("--log-format", ctx.log_format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    app.add_option("--ports", ports, "fixed (default: the env file's ports) or auto (free host ports, kept until down)")
        ->check(CLI::IsMember({"fixed", "auto"}));

    envctl::cli::register_commands(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        auto schema = envctl::cli::json_schema_after_parse_error(app, argc, argv);
        if (!schema.empty()) print_json_failure(schema, ExitCode::usage, e.what());
        return envctl::to_int(ExitCode::usage);
    }

    if (!project_dir.empty()) ctx.options.project_dir = project_dir;
    if (!env_file.empty()) ctx.options.env_file = env_file;
    if (!stack_file.empty()) ctx.options.stack_file = stack_file;
    if (!profile.empty()) ctx.options.profile = profile;
    if (!images.empty()) ctx.options.images = images;
    if (!engine.empty()) ctx.options.engine = engine;
    if (!ports.empty()) ctx.options.ports = ports;
    // ENVCTL_PORTS=auto: commands that create nothing (status, wait-ready) or release (down) use a recorded choice
    // but never make one.
    for (const auto* sub : app.get_subcommands())
        if (sub->get_name() == "status" || sub->get_name() == "wait-ready" || sub->get_name() == "down") ctx.pick_ports = false;

    envctl::log::configure(ctx.verbose ? envctl::log::Level::debug
                           : ctx.quiet ? envctl::log::Level::warn
                                       : envctl::log::Level::info,
                           ctx.log_format == "json" ? envctl::log::Format::json : envctl::log::Format::text);

    ExitCode code = ExitCode::internal;
    std::string message;
    try {
        code = ctx.action ? ctx.action() : ExitCode::usage;
    } catch (const envctl::Error& e) {
        message = e.what();
        print_error(message);
        code = e.code();
    } catch (const std::exception& e) {
        message = std::string("internal error: ") + e.what();
        print_error(message);
        code = ExitCode::internal;
    }
    if (envctl::interrupt::received()) code = ExitCode::interrupted;
    if (!ctx.json_schema.empty() && !ctx.json_written)
        print_json_failure(ctx.json_schema, code, message.empty() ? (code == ExitCode::interrupted ? "interrupted" : "failed") : message);
    return envctl::to_int(code);
}
