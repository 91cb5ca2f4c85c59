// The live block's geometry as pure functions, with fake terminal sizes (envctl/ui/block_layout.hpp).
#include "envctl/ui/block_layout.hpp"

#include <gtest/gtest.h>

#include "envctl/ui/text_width.hpp"

using namespace envctl::ui;

namespace {

std::vector<Entry> core_entries() {
    return {{"postgresql", "probing postgres://postgres@127.0.0.1:5432/international_center", Tone::neutral},
            {"redis-dapr", "ready (988ms)", Tone::ok},
            {"azurite", "probing tcp://127.0.0.1:10000", Tone::neutral}};
}

std::vector<Entry> many(std::size_t n) {
    std::vector<Entry> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back({"service-" + std::to_string(i), i % 3 == 0 ? "starting" : "ready (1.2s)", i % 3 == 0 ? Tone::neutral : Tone::ok});
    return out;
}

}  // namespace

TEST(BlockLayout, EveryLineFitsEveryWidth) {
    for (std::size_t columns = 1; columns <= 100; ++columns) {
        auto lines = layout_block(core_entries(), {columns, 20});
        ASSERT_EQ(lines.size(), 3u);
        for (const auto& line : lines) {
            EXPECT_LE(display_width(line.text), columns > 1 ? columns - 1 : 1) << columns << ": " << line.text;
            EXPECT_LE(line.status_at, line.text.size());
        }
    }
    auto wide = layout_block(core_entries(), {200, 20});
    EXPECT_EQ(wide[1].text, "  redis-dapr  ready (988ms)");
    EXPECT_EQ(wide[1].text.substr(wide[1].status_at), "ready (988ms)");
    EXPECT_EQ(wide[1].tone, Tone::ok);
}

TEST(BlockLayout, ACutInsideTheNameLeavesNothingToColour) {
    auto line = entry_line({"postgresql", "ready", Tone::ok}, 10, 6);
    EXPECT_EQ(line.text, "  pos\xE2\x80\xA6");
    EXPECT_EQ(line.status_at, line.text.size());
}

TEST(BlockLayout, NeverTallerThanTheTerminal) {
    for (std::size_t rows = 1; rows <= 30; ++rows) {
        auto lines = layout_block(many(12), {60, rows});
        EXPECT_LE(lines.size(), rows > 2 ? rows - 2 : 1) << rows;
        EXPECT_GE(lines.size(), 1u);
    }
    EXPECT_EQ(layout_block(many(12), {60, 14}).size(), 12u);  // 12 entries fit in 12 lines: no summary
    EXPECT_EQ(layout_block(many(12), {60, 14}).back().text.find("+ "), std::string::npos);
    EXPECT_EQ(layout_block(many(12), {60, 13}).size(), 11u);
}

TEST(BlockLayout, TheSummaryCountsWhatIsHiddenByState) {
    // 12 entries on 8 rows: 6 lines (a row for the cursor, one for the latest message), 5 entries and "+ 7 more:
    // ...". The 4 still starting are shown first.
    auto lines = layout_block(many(12), {60, 8});
    ASSERT_EQ(lines.size(), 6u);
    EXPECT_EQ(lines.back().text, "+ 7 more: 7 ready");
    std::size_t starting = 0;
    for (const auto& l : lines) starting += l.text.find("starting") != std::string::npos;
    EXPECT_EQ(starting, 4u);
    // The shown ones keep the stack's order.
    EXPECT_NE(lines[0].text.find("service-0 "), std::string::npos);
    EXPECT_NE(lines[1].text.find("service-1 "), std::string::npos);
    EXPECT_NE(lines[2].text.find("service-3 "), std::string::npos);
    EXPECT_NE(lines[3].text.find("service-6 "), std::string::npos);
    EXPECT_EQ(summary_line({{"a", "ready (1s)", Tone::ok}, {"b", "starting", Tone::neutral}, {"c", "ready, migrated (2s)", Tone::ok},
                            {"d", "unhealthy: connection refused", Tone::bad}}),
              "+ 4 more: 2 ready, 1 starting, 1 unhealthy");
    // One row: only the summary.
    auto one = layout_block(many(3), {60, 1});
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].text, "+ 3 more: 1 starting, 2 ready");
}

TEST(BlockLayout, StatusCategoryIsTheFirstWord) {
    EXPECT_EQ(status_category("ready (988ms)"), "ready");
    EXPECT_EQ(status_category("ready, migrated (2s)"), "ready");
    EXPECT_EQ(status_category("failed: exit 1"), "failed");
    EXPECT_EQ(status_category("probing tcp://127.0.0.1:10000"), "probing");
    EXPECT_EQ(status_category(""), "waiting");
}

TEST(BlockLayout, FinalLinesKeepEveryEntry) {
    auto lines = final_lines(many(12), {30, 4});
    ASSERT_EQ(lines.size(), 12u);
    for (const auto& l : lines) EXPECT_LE(display_width(l.text), 29u);
}

TEST(BlockLayout, RowsTakenAfterAResize) {
    EXPECT_EQ(rows_taken({}, 40), 0u);
    EXPECT_EQ(rows_taken({59, 30, 0}, 60), 3u);
    EXPECT_EQ(rows_taken({59, 30, 0}, 40), 4u);   // the 59-column line now takes two rows
    EXPECT_EQ(rows_taken({59, 30, 0}, 20), 6u);   // 3 + 2 + 1
    EXPECT_EQ(rows_taken({5}, 0), 5u);
}
