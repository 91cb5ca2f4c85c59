// The list of subcommands. Each lives in its own file; a subcommand appears here only once it works.
#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"

namespace envctl::cli {

void register_generate(CLI::App& app, Context& ctx);
void register_images(CLI::App& app, Context& ctx);

void register_commands(CLI::App& app, Context& ctx) {
    register_generate(app, ctx);
    register_images(app, ctx);
}

}  // namespace envctl::cli
