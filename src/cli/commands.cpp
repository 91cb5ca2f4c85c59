// The list of subcommands. Each lives in its own file; a subcommand appears here only once it works.
#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"

namespace envctl::cli {

void register_generate(CLI::App& app, Context& ctx);
void register_images(CLI::App& app, Context& ctx);
void register_up(CLI::App& app, Context& ctx);
void register_down(CLI::App& app, Context& ctx);
void register_reset(CLI::App& app, Context& ctx);
void register_status(CLI::App& app, Context& ctx);
void register_wait_ready(CLI::App& app, Context& ctx);
void register_logs(CLI::App& app, Context& ctx);
void register_migrate(CLI::App& app, Context& ctx);
void register_doctor(CLI::App& app, Context& ctx);
void register_verify(CLI::App& app, Context& ctx);
void register_db(CLI::App& app, Context& ctx);
void register_completion(CLI::App& app, Context& ctx);
void register_kube(CLI::App& app, Context& ctx);
void register_env(CLI::App& app, Context& ctx);

void register_commands(CLI::App& app, Context& ctx) {
    register_generate(app, ctx);
    register_images(app, ctx);
    register_up(app, ctx);
    register_down(app, ctx);
    register_reset(app, ctx);
    register_status(app, ctx);
    register_wait_ready(app, ctx);
    register_logs(app, ctx);
    register_migrate(app, ctx);
    register_doctor(app, ctx);
    register_verify(app, ctx);
    register_db(app, ctx);
    register_completion(app, ctx);
    register_kube(app, ctx);
    register_env(app, ctx);
}

}  // namespace envctl::cli
