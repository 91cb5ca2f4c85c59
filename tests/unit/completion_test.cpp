// The completer behind `envctl __complete` (envctl/cli/completion.hpp), on a small model of the command line.
#include "envctl/cli/completion.hpp"

#include <gtest/gtest.h>

using namespace envctl::cli;

namespace {

CommandModel model() {
    CommandModel root;
    root.options = {{{"--stack"}, true, {}}, {{"--profile"}, true, {}}, {{"--images"}, true, {"upstream", "local"}},
                    {{"-v", "--verbose"}, false, {}}};
    CommandModel up{"up", {{{"--attempts"}, true, {}}, {{"--json"}, false, {}}}, {}, true, {}};
    CommandModel images{"images", {}, {CommandModel{"build", {}, {}, true, {}}, CommandModel{"list", {{{"--json"}, false, {}}}, {}, false, {}}}, false, {}};
    CommandModel completion{"completion", {}, {}, false, {"bash", "zsh", "fish"}};
    root.subcommands = {up, images, completion};
    return root;
}

CompletionLookup lookup() {
    return {[] { return std::vector<std::string>{"postgresql", "redis-dapr", "azurite"}; },
            [] { return std::vector<std::string>{"full", "core"}; }};
}

using V = std::vector<std::string>;

}  // namespace

TEST(Completion, Subcommands) {
    EXPECT_EQ(complete(model(), {}, "", lookup()), (V{"up", "images", "completion"}));
    EXPECT_EQ(complete(model(), {}, "im", lookup()), (V{"images"}));
    EXPECT_EQ(complete(model(), {"--stack", "up"}, "", lookup()), (V{"up", "images", "completion"}));  // "up" was the file
    EXPECT_EQ(complete(model(), {"images"}, "", lookup()), (V{"build", "list"}));
}

TEST(Completion, ServicesWhereASubcommandTakesThem) {
    EXPECT_EQ(complete(model(), {"up"}, "", lookup()), (V{"postgresql", "redis-dapr", "azurite"}));
    EXPECT_EQ(complete(model(), {"--stack", "my.yaml", "up"}, "r", lookup()), (V{"redis-dapr"}));
    EXPECT_EQ(complete(model(), {"up", "postgresql"}, "", lookup()), (V{"redis-dapr", "azurite"}));  // not twice
    EXPECT_EQ(complete(model(), {"up", "--attempts", "3"}, "", lookup()), (V{"postgresql", "redis-dapr", "azurite"}));
    EXPECT_EQ(complete(model(), {"images", "build"}, "a", lookup()), (V{"azurite"}));
    EXPECT_EQ(complete(model(), {"images", "list"}, "", lookup()), V{});
}

TEST(Completion, OptionsAndTheirValues) {
    EXPECT_EQ(complete(model(), {"up"}, "--", lookup()), (V{"--attempts", "--json", "--stack", "--profile", "--images", "--verbose"}));
    EXPECT_EQ(complete(model(), {}, "--p", lookup()), (V{"--profile"}));
    EXPECT_EQ(complete(model(), {"--profile"}, "", lookup()), (V{"full", "core"}));
    EXPECT_EQ(complete(model(), {"up", "--images"}, "l", lookup()), (V{"local"}));
    EXPECT_EQ(complete(model(), {"--stack"}, "", lookup()), V{});  // a file: the shell's own completion
    EXPECT_EQ(complete(model(), {"completion"}, "", lookup()), (V{"bash", "zsh", "fish"}));
    EXPECT_EQ(complete(model(), {"--images=local", "up"}, "p", lookup()), (V{"postgresql"}));
}

TEST(Completion, EveryShellHasAScript) {
    for (const char* shell : {"bash", "zsh", "fish"}) {
        auto script = completion_script(shell);
        EXPECT_NE(script.find("__complete --"), std::string::npos) << shell;
        EXPECT_NE(script.find("envctl completion " + std::string(shell)), std::string::npos) << shell;
    }
    EXPECT_THROW(completion_script("tcsh"), std::exception);
}
