// Text from outside made valid UTF-8 and cut on character boundaries (envctl/util/utf8.hpp).
#include "envctl/util/utf8.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace envctl;

TEST(Utf8, ValidTextIsUnchanged) {
    const std::string text = "ready: h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x90\x98";
    EXPECT_EQ(utf8::valid(text), text);
    EXPECT_EQ(utf8::truncate(text, 1000), text);
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters) {
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(utf8::valid("a\xC3"), "a" + fffd);                 // a character cut in half
    EXPECT_EQ(utf8::valid("\xA9z"), fffd + "z");                 // a stray continuation byte
    EXPECT_EQ(utf8::valid("\xC0\xAF"), fffd + fffd);             // overlong '/'
    EXPECT_EQ(utf8::valid("\xED\xA0\x80"), fffd + fffd + fffd);  // a surrogate
    EXPECT_EQ(utf8::valid("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
    EXPECT_EQ(utf8::valid(std::string("\xFF\x00x", 3)), fffd + std::string("\0x", 2));
    EXPECT_NO_THROW((void)nlohmann::json(utf8::valid("\xE2\x82 \xFE")).dump());
}

TEST(Utf8, TruncateNeverSplitsACharacter) {
    const std::string text = std::string(119, 'x') + "\xC3\xA9" + "tail";  // é spans bytes 119 and 120
    EXPECT_EQ(utf8::truncate(text, 120), std::string(119, 'x'));
    EXPECT_EQ(utf8::truncate(text, 121), std::string(119, 'x') + "\xC3\xA9");
    EXPECT_EQ(utf8::truncate("\xF0\x9F\x90\x98", 3), "");
    EXPECT_EQ(utf8::truncate("abc", 0), "");
}
