// The live view on a fake terminal (tests/support/fake_terminal.hpp): lines cut to the width, a block never taller
// than the terminal, notes above the block, every service exactly once at the end; plain mode without escapes.
#include "envctl/ui/progress.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "envctl/ui/text_width.hpp"
#include "envctl/util/log.hpp"
#include "support/fake_terminal.hpp"

using envctl::test::FakeTerminal;
using namespace envctl::ui;

namespace {

struct Screen {
    FakeTerminal terminal;
    std::string bytes;
    Geometry geometry;
    bool resized = false;

    Screen(std::size_t columns, std::size_t rows) : terminal(columns, rows), geometry{columns, rows} {}

    Progress::Output output() {
        return {[this](std::string_view text) {
                    bytes.append(text);
                    terminal.write(text);
                },
                [this] { return geometry; }, [this] { return std::exchange(resized, false); }};
    }
};

std::size_t count_lines_with(const std::vector<std::string>& lines, const std::string& what) {
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const std::string& l) {
        return l.find(what) != std::string::npos;
    }));
}

const std::vector<std::string> kCore = {"postgresql", "redis-dapr", "azurite"};

// What `up` of the core profile reports, the long probe targets included, with notes in between.
void play_core_up(Progress& p) {
    p.set_services(kCore);
    p.note("creating 3 containers (podman)");
    for (const auto& s : kCore) p.service(s, "starting");
    p.service("postgresql", "probing postgres://postgres@127.0.0.1:5432/international_center");
    p.service("redis-dapr", "probing tcp://127.0.0.1:6380");
    p.service("azurite", "probing tcp://127.0.0.1:10000");
    p.note("migrating services_db (3 files)");
    p.service("redis-dapr", "ready (988ms)", true);
    p.service("azurite", "ready (1.4s)", true);
    p.service("postgresql", "migrating");
    p.note("migrated content_db to version 4");
    p.service("postgresql", "ready, migrated (3.1s)", true);
}

}  // namespace

TEST(LiveView, EveryLineFitsAndEachServiceEndsOnScreenOnce) {
    for (auto [columns, rows] : {std::pair<std::size_t, std::size_t>{60, 20}, {40, 8}, {20, 6}, {12, 5}}) {
        Screen screen(columns, rows);
        {
            Progress p(Mode::live, screen.output(), true);
            play_core_up(p);
            p.finish();
        }
        auto lines = screen.terminal.lines();
        for (const auto& s : kCore) EXPECT_EQ(count_lines_with(lines, "  " + s.substr(0, std::min<std::size_t>(s.size(), columns - 4))), 1u)
            << columns << "x" << rows << " " << s << "\n" << ::testing::PrintToString(lines);
        // Block lines (notes above may wrap as ordinary lines do).
        for (const auto& l : lines)
            if (l.rfind("  ", 0) == 0) {
                EXPECT_LE(display_width(l), columns - 1) << l;
            }
        if (columns >= 40) {
            EXPECT_NE(screen.bytes.find("\x1b[32m"), std::string::npos);  // ready in green
        }
    }
}

TEST(LiveView, NothingStaleReachesTheScrollback) {
    // From the top of an empty screen (tmux copies a screen cleared from its top-left corner to its scrollback).
    Screen screen(40, 8);
    {
        Progress p(Mode::live, screen.output(), false);
        play_core_up(p);
        p.finish();
    }
    auto all = screen.terminal.history();
    for (const auto& l : screen.terminal.lines()) all.push_back(l);
    for (const auto& s : kCore) EXPECT_EQ(count_lines_with(all, "  " + s + " "), 1u) << s << ::testing::PrintToString(all);
}

TEST(LiveView, NotesGoAboveTheBlock) {
    Screen screen(60, 20);
    Progress p(Mode::live, screen.output(), false);
    play_core_up(p);
    auto lines = screen.terminal.lines();
    ASSERT_EQ(lines.size(), 6u) << ::testing::PrintToString(lines);  // three notes, then the block
    EXPECT_EQ(lines[0], "envctl: creating 3 containers (podman)");
    EXPECT_EQ(lines[2], "envctl: migrated content_db to version 4");
    EXPECT_EQ(lines[3], "  postgresql  ready, migrated (3.1s)");
    EXPECT_EQ(lines[4], "  redis-dapr  ready (988ms)");
    EXPECT_EQ(lines[5], "  azurite     ready (1.4s)");
    for (const char* sgr : {"\x1b[32m", "\x1b[31m", "\x1b[0m"})
        EXPECT_EQ(screen.bytes.find(sgr), std::string::npos);  // no colour asked, none given
    p.print_line("a line printed as it is");
    lines = screen.terminal.lines();
    EXPECT_EQ(lines[3], "a line printed as it is");
    EXPECT_EQ(lines.back(), "  azurite     ready (1.4s)");
}

TEST(LiveView, TheBlockIsNeverTallerThanTheTerminal) {
    Screen screen(40, 8);
    std::vector<std::string> services;
    for (int i = 0; i < 12; ++i) services.push_back("service-" + std::to_string(i));
    Progress p(Mode::live, screen.output(), false);
    p.set_services(services);
    for (std::size_t i = 0; i < services.size(); ++i) {
        p.service(services[i], "starting");
        p.note("note " + std::to_string(i));
        // The block is at the bottom, so the note just printed must still be on screen above it.
        auto lines = screen.terminal.lines();
        EXPECT_EQ(count_lines_with(lines, "envctl: note " + std::to_string(i)), 1u) << ::testing::PrintToString(lines);
        EXPECT_NE(lines.back().find("+ "), std::string::npos) << ::testing::PrintToString(lines);
    }
    for (const auto& s : services) p.service(s, "ready (1s)", true);
    p.finish();
    // The final state of all twelve: the last rows of the screen and what scrolled off, each once.
    auto all = screen.terminal.history();
    for (const auto& l : screen.terminal.lines()) all.push_back(l);
    for (const auto& s : services) EXPECT_EQ(count_lines_with(all, "  " + s + " "), 1u) << s << ::testing::PrintToString(all);
    EXPECT_EQ(count_lines_with(all, "+ "), 0u) << ::testing::PrintToString(all);
}

TEST(LiveView, AResizeIsHonouredAtTheNextRedraw) {
    Screen screen(60, 20);
    Progress p(Mode::live, screen.output(), false);
    p.set_services(kCore);
    p.service("postgresql", "probing postgres://postgres@127.0.0.1:5432/international_center");
    EXPECT_NE(screen.terminal.lines()[0].find("5432"), std::string::npos);
    screen.geometry = {30, 20};
    screen.resized = true;
    screen.bytes.clear();
    p.service("azurite", "starting");
    // The block drawn at 60 columns took 3 rows; re-wrapped at 30 the postgresql line takes 2: up 4.
    EXPECT_EQ(screen.bytes.rfind("\r\x1b[4A", 0), 0u) << screen.bytes;
    auto postgres_line = screen.bytes.substr(0, screen.bytes.find("redis-dapr"));
    EXPECT_NE(postgres_line.find("\xE2\x80\xA6"), std::string::npos);
    for (const auto& l : screen.terminal.screen()) EXPECT_LE(display_width(l), 29u);
}

TEST(PlainProgress, OneLinePerEventAndNoEscapeSequence) {
    Screen screen(40, 8);
    {
        Progress p(Mode::plain, screen.output(), false);
        play_core_up(p);
        p.finish();
    }
    EXPECT_EQ(screen.bytes.find('\x1b'), std::string::npos) << screen.bytes;
    EXPECT_NE(screen.bytes.find("envctl: postgresql: probing postgres://postgres@127.0.0.1:5432/international_center\n"), std::string::npos);
    EXPECT_NE(screen.bytes.find("envctl: redis-dapr: ready (988ms)\n"), std::string::npos);
    EXPECT_NE(screen.bytes.find("envctl: migrated content_db to version 4\n"), std::string::npos);
}

// An image pull's ticks (bytes so far) show in the live block only; plain output has its start and end.
TEST(PlainProgress, TicksAreLeftOutOfPlainOutputAndShownLive) {
    const std::string image = "docker.io/library/postgres:15.4-bookworm";
    auto play = [&](Progress& p) {
        p.set_services({image});
        p.service(image, "pulling");
        p.tick(image, "pulling 1/3 blobs, 12.0 MB of 30.0 MB");
        p.service(image, "pulled 31.2 MB in 2.1s", true);
        p.finish();
    };
    Screen plain(40, 8);
    {
        Progress p(Mode::plain, plain.output(), false);
        play(p);
    }
    EXPECT_EQ(plain.bytes, "envctl: " + image + ": pulling\nenvctl: " + image + ": pulled 31.2 MB in 2.1s\n");
    Screen live(100, 8);
    {
        Progress p(Mode::live, live.output(), false);
        play(p);
    }
    EXPECT_NE(live.bytes.find("pulling 1/3 blobs, 12.0 MB of 30.0 MB"), std::string::npos) << live.bytes;
    EXPECT_EQ(count_lines_with(live.terminal.lines(), image), 1u);
    for (const auto& l : live.terminal.lines()) EXPECT_LT(display_width(l), 100u) << l;
}

TEST(QuietProgress, PrintsNothing) {
    Screen screen(40, 8);
    Progress p(Mode::quiet, screen.output(), false);
    play_core_up(p);
    p.finish();
    EXPECT_EQ(screen.bytes, "");
}

TEST(LogLineWriter, TheLoggersLinesGoToTheWriterWhileOneIsSet) {
    std::vector<std::string> got;
    envctl::log::set_line_writer([&](std::string_view line) { got.emplace_back(line); });
    envctl::log::info("migrating {}", "services_db");
    envctl::log::warn("slow");
    envctl::log::set_line_writer({});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0], "envctl: migrating services_db");
    EXPECT_EQ(got[1], "envctl: warning: slow");
}
