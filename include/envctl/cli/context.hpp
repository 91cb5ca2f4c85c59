#pragma once
// What every subcommand shares: the global options, and the settings and stack loaded once, on first use.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "envctl/core/exit_code.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace CLI {
class App;
}

namespace envctl::cli {

struct Context {
    settings::GlobalOptions options;
    bool verbose = false;
    bool quiet = false;
    std::string log_format = "text";
    // Under ENVCTL_PORTS=auto, whether this command may pick (and record) ports when the project has none recorded.
    bool pick_ports = true;

    // The action the chosen subcommand registered; main() runs it after parsing and maps its result.
    std::function<ExitCode()> action;

    // --json promises one document on every exit path. A subcommand given --json names its schema here
    // ("envctl.up/v1") and sets json_written once its document is out; when it ends without one (settings, lock,
    // preflight, any error), main() writes {"schema", "exit_code", "message"} instead.
    std::string json_schema;
    bool json_written = false;

    // Loaded on first use; throws envctl::Error(usage) for bad settings.
    const settings::Settings& settings();
    const descriptors::Stack& stack();

private:
    std::optional<settings::Settings> settings_;
    std::optional<descriptors::Stack> stack_;
};

// One registration function per subcommand (src/cli/<command>.cpp).
void register_commands(CLI::App& app, Context& ctx);

}  // namespace envctl::cli
