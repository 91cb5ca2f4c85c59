#pragma once
// Shell completion: `envctl completion bash|zsh|fish` prints a script; the script asks the hidden
// `envctl __complete -- WORD...` for the candidates of the last word. The candidates come from a model of the
// command line (subcommands, options, their fixed choices) and from the stack in effect (its services and
// profiles, a --stack file's included). The completer itself is a pure function.

#include <functional>
#include <string>
#include <vector>

namespace envctl::cli {

struct OptionModel {
    std::vector<std::string> names;    // "--stack", "-v", ...
    bool takes_value = false;
    std::vector<std::string> choices;  // fixed values, when there are
};

struct CommandModel {
    std::string name;
    std::vector<OptionModel> options;
    std::vector<CommandModel> subcommands;
    bool takes_services = false;             // positional service names
    std::vector<std::string> positional_choices;  // fixed positional values (completion: bash, zsh, fish)
};

// What only the stack in effect knows; called only when needed.
struct CompletionLookup {
    std::function<std::vector<std::string>()> services;
    std::function<std::vector<std::string>()> profiles;
};

// The candidates for `current`, the word being typed, after `words` (the words before it, envctl's name left out):
// subcommands, options of the subcommand and the global ones, an option's choices (--profile: the stack's
// profiles), the stack's services where a subcommand takes them (those not named yet). Only those starting with
// `current`. Nothing where a file or folder is expected: the shell completes those itself.
std::vector<std::string> complete(const CommandModel& root, const std::vector<std::string>& words,
                                  const std::string& current, const CompletionLookup& lookup);

// The script for `shell` (bash, zsh or fish).
std::string completion_script(const std::string& shell);

}  // namespace envctl::cli
