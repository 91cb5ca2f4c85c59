// --json on every exit path (issue 14, finding 11): the failure document, and which command a parse error belongs to.
#include "envctl/cli/json_failure.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace envctl;

TEST(JsonFailure, DocumentCarriesSchemaExitCodeAndMessage) {
    auto doc = nlohmann::json::parse(cli::json_failure_document("envctl.up/v1", ExitCode::preflight, "web needs E2E_WEB_PORT"));
    EXPECT_EQ(doc["schema"], "envctl.up/v1");
    EXPECT_EQ(doc["exit_code"], 7);
    EXPECT_EQ(doc["message"], "web needs E2E_WEB_PORT");
    EXPECT_EQ(doc["ready"], false);  // status-shaped documents keep their "ready"
    doc = nlohmann::json::parse(cli::json_failure_document("envctl.images-check/v1", ExitCode::usage, "bad \xC3"));
    EXPECT_FALSE(doc.contains("ready"));
    EXPECT_EQ(doc["exit_code"], 2);
}

namespace {

std::string schema_after(std::vector<const char*> argv) {
    CLI::App app{"test"};
    auto* images = app.add_subcommand("images");
    auto* check = images->add_subcommand("check");
    bool json = false;
    int attempts = 0;
    check->add_flag("--json", json);
    auto* up = app.add_subcommand("up");
    up->add_flag("--json", json);
    up->add_option("--attempts", attempts)->check(CLI::Range(1, 20));
    app.add_subcommand("down");
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError&) {
        return cli::json_schema_after_parse_error(app, static_cast<int>(argv.size()), argv.data());
    }
    return "(parsed)";
}

}  // namespace

TEST(JsonFailure, AParseErrorBelongsToTheSubcommandParsedSoFar) {
    EXPECT_EQ(schema_after({"envctl", "up", "--json", "--attempts", "99"}), "envctl.up/v1");
    EXPECT_EQ(schema_after({"envctl", "images", "check", "--json", "--nope"}), "envctl.images-check/v1");
    EXPECT_EQ(schema_after({"envctl", "up", "--attempts", "99"}), "");        // no --json asked for
    EXPECT_EQ(schema_after({"envctl", "down", "--json"}), "");                // a command without --json
}
