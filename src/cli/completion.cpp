// envctl completion bash|zsh|fish, and the hidden envctl __complete -- WORD... the scripts call.
#include "envctl/cli/completion.hpp"

#include <filesystem>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

#include "envctl/cli/context.hpp"
#include "envctl/cli/runtime.hpp"
#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"

namespace envctl::cli {
namespace {

constexpr const char* kHidden = "__complete";

// "TEXT:{upstream,local}" -> {"upstream", "local"}: CLI11 writes an IsMember check's set into the type name.
std::vector<std::string> choices_of(const CLI::Option& option) {
    const auto type = option.get_type_name();
    const auto open = type.find('{'), close = type.find('}', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) return {};
    std::vector<std::string> out;
    for (auto& item : CLI::detail::split(type.substr(open + 1, close - open - 1), ','))
        if (!CLI::detail::trim_copy(item).empty()) out.push_back(CLI::detail::trim_copy(item));
    return out;
}

CommandModel model_of(const CLI::App& app) {
    CommandModel model;
    model.name = app.get_name();
    for (const auto* option : app.get_options()) {
        if (option->get_positional()) {
            const auto& name = option->get_name(true);
            if (name == "services" || name == "service") model.takes_services = true;
            else model.positional_choices = choices_of(*option);
            continue;
        }
        OptionModel o;
        for (const auto& l : option->get_lnames()) o.names.push_back("--" + l);
        for (const auto& s : option->get_snames()) o.names.push_back("-" + s);
        o.takes_value = option->get_expected_min() > 0;
        o.choices = choices_of(*option);
        model.options.push_back(std::move(o));
    }
    for (const auto* sub : app.get_subcommands([](const CLI::App* s) { return s->get_name() != kHidden; }))
        model.subcommands.push_back(model_of(*sub));
    return model;
}

// The global options among the words (the stack in effect depends on them), as main() would take them.
void take_globals(Context& ctx, const std::vector<std::string>& words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        auto value_of = [&](const std::string& option) -> std::optional<std::string> {
            if (words[i] == option && i + 1 < words.size()) return words[++i];
            if (words[i].rfind(option + "=", 0) == 0) return words[i].substr(option.size() + 1);
            return std::nullopt;
        };
        if (auto v = value_of("--project-dir")) ctx.options.project_dir = *v;
        else if (auto v2 = value_of("--env-file")) ctx.options.env_file = *v2;
        else if (auto v3 = value_of("--stack")) ctx.options.stack_file = *v3;
        else if (auto v4 = value_of("--profile")) ctx.options.profile = *v4;
    }
}

// The stack in effect: the built-in one, or as the --stack file (relative to the current folder, as main() takes
// it) extends or replaces it. Only the stack: completing needs no settings file and no secret.
CompletionLookup stack_lookup(const Context& ctx) {
    auto stack = std::make_shared<std::optional<descriptors::Stack>>();
    auto load = [stack, file = ctx.options.stack_file]() -> const descriptors::Stack& {
        if (!*stack) {
            std::optional<std::filesystem::path> path;
            if (file) path = std::filesystem::absolute(*file).lexically_normal();
            *stack = descriptors::load_stack(path);
        }
        return **stack;
    };
    // A stack file that does not load completes nothing: never an error in the middle of a command line.
    auto guarded = [](auto fn) {
        return [fn]() -> std::vector<std::string> {
            try {
                return fn();
            } catch (const std::exception&) {
                return {};
            }
        };
    };
    return {guarded([load] {
                std::vector<std::string> names;
                for (const auto& s : load().services) names.push_back(s.name);
                return names;
            }),
            guarded([load] {
                std::vector<std::string> names = {"full"};
                for (const auto& [name, _] : load().profiles)
                    if (name != "full") names.push_back(name);
                return names;
            })};
}

}  // namespace

void register_completion(CLI::App& app, Context& ctx) {
    auto shell = std::make_shared<std::string>();
    auto* sub = app.add_subcommand("completion", "Print the shell completion script (bash, zsh or fish); see README");
    sub->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
    sub->callback([&ctx, shell] {
        ctx.action = [shell] {
            print_stdout(completion_script(*shell));
            return ExitCode::ok;
        };
    });

    auto words = std::make_shared<std::vector<std::string>>();
    auto* hidden = app.add_subcommand(kHidden, "");
    hidden->group("");  // not in --help
    hidden->add_option("words", *words, "The words after envctl; the last one is being typed");
    hidden->callback([&app, &ctx, words] {
        ctx.action = [&app, &ctx, words] {
            std::vector<std::string> before(words->begin(), words->empty() ? words->end() : words->end() - 1);
            const std::string current = words->empty() ? "" : words->back();
            take_globals(ctx, before);
            std::string out;
            for (const auto& c : complete(model_of(app), before, current, stack_lookup(ctx))) out += c + "\n";
            print_stdout(out);
            return ExitCode::ok;
        };
    });
}

}  // namespace envctl::cli
