// The live view under a real terminal (issue 15 §1): `envctl --images local --profile core up` and `reset` in tmux
// panes of 60x20 and 40x8, the screen read back with `tmux capture-pane`: each service's final state exactly once,
// no block line wider than the pane, no two outputs glued together, the logger's lines (migrations) above the
// block. The same commands with CI=true, with piped output, with TERM=dumb: no escape sequence at all.
#include <gtest/gtest.h>

#include <algorithm>

#include "envctl/ui/text_width.hpp"
#include "support/busybox_image.hpp"
#include "support/core_project.hpp"
#include "support/engine_stack.hpp"
#include "support/envctl_project.hpp"
#include "support/prerequisite.hpp"
#include "support/tmux_session.hpp"

using envctl::test::CoreProject;
using envctl::test::EnvctlProject;
using envctl::test::TmuxSession;

namespace {

const std::vector<std::string> kServices = {"postgresql", "redis-dapr", "azurite"};

// The core project's variables: its name, and its three ports from `first_port`.
std::map<std::string, std::string> core_variables(const std::string& project, int first_port) {
    return {{"ENVCTL_PROJECT", project},
            {"POSTGRES_PORT", std::to_string(first_port)},
            {"REDIS_DAPR_PORT", std::to_string(first_port + 1)},
            {"AZURITE_BLOB_PORT", std::to_string(first_port + 2)}};
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

bool is_service_line(const std::string& line, const std::string& service) { return line.rfind("  " + service + " ", 0) == 0; }

std::size_t count_service_lines(const std::vector<std::string>& lines, const std::string& service) {
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const auto& l) { return is_service_line(l, service); }));
}

// The logger's lines printed while the block is shown: the migrator's (core profile).
bool is_migration_line(const std::string& line) {
    return line.find(": applying ") != std::string::npos || line.find(": creating the database") != std::string::npos;
}

// Everything the issue asks of the final screen of `up`/`reset` of `services` in a pane `columns` wide: at least
// `logger_lines_wanted` lines for which `is_logger_line` holds, all above the block. The visible screen holds every
// service's line unless the pane has fewer rows than the final lines (`rows`).
void expect_clean_screen(const TmuxSession& session, std::size_t columns, std::size_t rows,
                         const std::vector<std::string>& services, bool (*is_logger_line)(const std::string&),
                         std::size_t logger_lines_wanted) {
    const auto visible = session.screen();
    const auto all = session.screen(true, true);  // the scrollback too, wrapped rows joined into their line
    const std::string shown = "visible:\n" + joined(visible) + "all:\n" + joined(all);
    for (const auto& s : services) {
        if (rows > services.size() + 1) {
            EXPECT_EQ(count_service_lines(visible, s), 1u) << s << "\n" << shown;
        }
        EXPECT_EQ(count_service_lines(all, s), 1u) << "a stale line of " << s << " was left behind\n" << shown;
    }
    std::size_t first_service = all.size(), last_service = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& line = all[i];
        // No line was glued to another: a message starts its own line, a line names one service at most.
        auto prefix = line.find("envctl: ");
        EXPECT_TRUE(prefix == std::string::npos || prefix == 0) << "glued at line " << i << "\n" << shown;
        std::size_t names = 0;
        for (const auto& s : services) names += line.find("  " + s + " ") != std::string::npos;
        EXPECT_LE(names, 1u) << "glued at line " << i << "\n" << shown;
        for (const auto& s : services) {
            if (!is_service_line(line, s)) continue;
            first_service = std::min(first_service, i);
            last_service = std::max(last_service, i);
            // A block line was never wrapped: joined, it still fits the pane.
            EXPECT_LT(envctl::ui::display_width(line), columns) << line << "\n" << shown;
            EXPECT_NE(line.find("ready"), std::string::npos) << line;
        }
    }
    // The logger's lines printed while the block was shown are above it; the closing line below.
    std::size_t logger_lines = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!is_logger_line(all[i])) continue;
        ++logger_lines;
        EXPECT_LT(i, first_service) << "a logger line below the block\n" << shown;
    }
    EXPECT_GE(logger_lines, logger_lines_wanted) << shown;
    auto closing = std::find_if(all.begin(), all.end(), [](const auto& l) { return l.find("services ready in") != std::string::npos; });
    ASSERT_NE(closing, all.end()) << shown;
    EXPECT_GT(static_cast<std::size_t>(closing - all.begin()), last_service) << shown;
}

// The logger's debug lines (-v) the engine prints while the block is shown, between a service's start and ready.
bool is_engine_debug_line(const std::string& line) { return line.rfind("envctl: debug: listing the containers", 0) == 0; }

// Runs `command` on a pseudo-terminal (util-linux `script`) and returns everything it wrote there.
envctl::subprocess::Result on_a_pty(const CoreProject& core, const std::string& command,
                                    const std::map<std::string, std::string>& env) {
    std::string line;
    for (const auto& a : core.argv({command})) line += (line.empty() ? "" : " ") + envctl::test::shell_quote(a);
    envctl::subprocess::Spec spec;
    spec.argv = {"script", "-qefc", line, "/dev/null"};
    auto e = envctl::subprocess::current_environment();
    for (const auto& [k, v] : core.variables()) e[k] = v;
    for (const auto& [k, v] : env) e[k] = v;
    spec.env = e;
    spec.timeout = std::chrono::minutes(3);
    return envctl::subprocess::run(spec);
}

}  // namespace

TEST(LiveViewTmux, UpAndResetOfTheCoreProfileOnSmallTerminals) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::tmux_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::core_images_present(&why), why);
    CoreProject core(core_variables("livetmux", 28111));

    struct Case {
        std::size_t columns, rows;
        std::string command;
        bool migrates;
    };
    for (const auto& c : {Case{60, 20, "up", true}, Case{40, 8, "reset", true}, Case{40, 8, "up", false}}) {
        SCOPED_TRACE(std::to_string(c.columns) + "x" + std::to_string(c.rows) + " " + c.command);
        TmuxSession session(c.columns, c.rows, core.argv({c.command}), core.variables());
        int code = session.wait_exit(std::chrono::minutes(3));
        ASSERT_EQ(code, 0) << joined(session.screen(true, true));
        expect_clean_screen(session, c.columns, c.rows, kServices, is_migration_line, c.migrates ? 2 : 0);
    }
}

TEST(LiveViewTmux, NoEscapeSequenceWithCiOrDumbTermOrPipedOutput) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::core_images_present(&why), why);
    CoreProject core(core_variables("liveplain", 28114));

    // Piped output, CI=true: up then reset, one plain line per event.
    for (const char* command : {"up", "reset"}) {
        auto r = core.envctl({command}, {{"CI", "true"}, {"TERM", "xterm-256color"}});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << command << "\n" << r.err;
        EXPECT_NE(r.err.find("envctl: postgresql: ready"), std::string::npos) << r.err;
    }
    // Piped output without CI: still plain.
    auto piped = core.envctl({"up"}, {{"CI", "false"}, {"TERM", "xterm-256color"}});
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    EXPECT_EQ(piped.err.find('\x1b'), std::string::npos) << piped.err;

    // On a terminal: CI=true or TERM=dumb keep it plain; otherwise the live view moves the cursor.
    auto ci = on_a_pty(core, "up", {{"CI", "true"}, {"TERM", "xterm-256color"}});
    ASSERT_EQ(ci.exit_code, 0) << ci.out;
    EXPECT_EQ(ci.out.find('\x1b'), std::string::npos) << ci.out;
    EXPECT_NE(ci.out.find("envctl: redis-dapr: ready"), std::string::npos) << ci.out;
    auto dumb = on_a_pty(core, "up", {{"CI", "false"}, {"TERM", "dumb"}});
    ASSERT_EQ(dumb.exit_code, 0) << dumb.out;
    EXPECT_EQ(dumb.out.find('\x1b'), std::string::npos) << dumb.out;
    auto live = on_a_pty(core, "up", {{"CI", "false"}, {"TERM", "xterm-256color"}, {"NO_COLOR", ""}});
    ASSERT_EQ(live.exit_code, 0) << live.out;
    EXPECT_NE(live.out.find("\x1b[J"), std::string::npos) << live.out;
    EXPECT_NE(live.out.find("\x1b[32m"), std::string::npos) << live.out;  // green "ready"
    auto no_colour = on_a_pty(core, "up", {{"CI", "false"}, {"TERM", "xterm-256color"}, {"NO_COLOR", "1"}});
    ASSERT_EQ(no_colour.exit_code, 0) << no_colour.out;
    EXPECT_NE(no_colour.out.find("\x1b[J"), std::string::npos) << no_colour.out;
    for (const char* sgr : {"\x1b[32m", "\x1b[31m", "\x1b[0m"}) EXPECT_EQ(no_colour.out.find(sgr), std::string::npos) << no_colour.out;
}

// The e2e test stack (tests/data/e2e/stack.yaml): web, api (after web) and slow (ready after 4 s), with -v so that
// the logger's debug lines are printed while the block is shown. At 40x4 the block has room for one service: the
// summary line stands for the others while slow starts; the final screen still has each service once.
TEST(LiveViewTmux, UpAndResetOfTheE2eStackOnSmallTerminals) {
    std::string why;
    REQUIRE_PREREQUISITE(envctl::test::podman_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::tmux_usable(&why), why);
    REQUIRE_PREREQUISITE(envctl::test::ensure_busybox_image(&why), why);
    const std::vector<std::string> services = {"web", "api", "slow"};
    EnvctlProject project("livetmux-e2e", "e2e/stack.yaml",
                          {{"E2E_WEB_PORT", "28170"}, {"E2E_API_PORT", "28171"}, {"E2E_SICK_PORT", "28172"},
                           {"E2E_CRASH_PORT", "28173"}, {"E2E_SLOW_PORT", "28174"}});
    struct Case {
        std::size_t columns, rows;
        std::string command;
    };
    for (const auto& c : {Case{60, 20, "up"}, Case{40, 8, "reset"}, Case{40, 8, "up"}, Case{40, 4, "reset"}}) {
        SCOPED_TRACE(std::to_string(c.columns) + "x" + std::to_string(c.rows) + " " + c.command);
        std::vector<std::string> args = {"-v", c.command};
        args.insert(args.end(), services.begin(), services.end());
        TmuxSession session(c.columns, c.rows, project.argv(args), project.variables());
        if (c.rows == 4) {
            // One service line and the summary of the other two: slow starts while web (and api) are ready.
            EXPECT_TRUE(session.wait_for_text("+ 2 more: ", std::chrono::minutes(2))) << joined(session.screen());
        }
        int code = session.wait_exit(std::chrono::minutes(3));
        ASSERT_EQ(code, 0) << joined(session.screen(true, true));
        // `up` of a running stack starts nothing, so the debug lines while the block is shown come with the others.
        expect_clean_screen(session, c.columns, c.rows, services, is_engine_debug_line, c.command == "reset" || c.rows == 20 ? 2 : 0);
    }
}
