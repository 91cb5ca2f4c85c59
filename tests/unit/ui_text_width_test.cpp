// Display columns and elision of UTF-8 text (envctl/ui/text_width.hpp).
#include "envctl/ui/text_width.hpp"

#include <gtest/gtest.h>

using namespace envctl::ui;

namespace {
const std::string kE = "\xC3\xA9";             // é, one column
const std::string kHan = "\xE6\xBC\xA2";       // 漢, two columns
const std::string kAcute = "\xCC\x81";         // combining acute accent, no column
const std::string kElephant = "\xF0\x9F\x90\x98";  // 🐘, two columns
const std::string kEllipsis = "\xE2\x80\xA6";
}  // namespace

TEST(TextWidth, CountsColumnsNotBytes) {
    EXPECT_EQ(display_width(""), 0u);
    EXPECT_EQ(display_width("redis-dapr"), 10u);
    EXPECT_EQ(display_width("caf" + kE), 4u);
    EXPECT_EQ(display_width(kHan + kHan), 4u);
    EXPECT_EQ(display_width("e" + kAcute), 1u);
    EXPECT_EQ(display_width(kElephant + "x"), 3u);
    EXPECT_EQ(display_width("a\tb"), 2u);  // a control takes no column
    EXPECT_EQ(display_width("\xFF"), 1u);  // an invalid byte is drawn as U+FFFD
}

TEST(TextWidth, TextThatFitsIsKept) {
    EXPECT_EQ(elide("postgresql  ready", 17), "postgresql  ready");
    EXPECT_EQ(elide(kHan + kHan, 4), kHan + kHan);
}

TEST(TextWidth, LongTextIsCutWithAnEllipsis) {
    EXPECT_EQ(elide("postgres://127.0.0.1:5432/international_center", 12), "postgres://" + kEllipsis);
    EXPECT_EQ(display_width(elide("postgres://127.0.0.1:5432/international_center", 12)), 12u);
    EXPECT_EQ(elide("abc", 1), kEllipsis);
    EXPECT_EQ(elide("abc", 0), "");
}

TEST(TextWidth, ACutNeverSplitsACharacterNorExceedsTheWidth) {
    const std::string text = "x" + kHan + kE + kElephant + "e" + kAcute + kHan + "tail" + kHan;
    for (std::size_t columns = 1; columns <= display_width(text) + 1; ++columns) {
        auto cut = elide(text, columns);
        EXPECT_LE(display_width(cut), columns) << columns;
        if (cut == text) {
            EXPECT_GE(columns, display_width(text));
            continue;
        }
        // Otherwise: whole characters of the text, then the ellipsis.
        ASSERT_GE(cut.size(), kEllipsis.size()) << columns;
        EXPECT_EQ(cut.substr(cut.size() - kEllipsis.size()), kEllipsis) << columns;
        std::string prefix = cut.substr(0, cut.size() - kEllipsis.size());
        EXPECT_EQ(text.compare(0, prefix.size(), prefix), 0) << columns << ": " << cut;
        EXPECT_GE(display_width(prefix) + 2, columns) << "cut too short at " << columns << ": " << cut;
    }
    // A wide character that does not fit in the last column before the ellipsis is left out whole.
    EXPECT_EQ(elide("x" + kHan + "yz", 3), "x" + kEllipsis);
}

TEST(TextWidth, InvalidBytesBecomeReplacementCharacters) {
    EXPECT_EQ(elide("a\xC3", 5), "a\xEF\xBF\xBD");
    EXPECT_EQ(elide("\xFF\xFF\xFF\xFF", 3), "\xEF\xBF\xBD\xEF\xBF\xBD" + kEllipsis);
}
