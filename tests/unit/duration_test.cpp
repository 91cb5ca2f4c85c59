#include "envctl/core/duration.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using envctl::format_duration;
using envctl::parse_duration;

TEST(Duration, ParsesTheContractForms) {
    EXPECT_EQ(parse_duration("500ms"), 500ms);
    EXPECT_EQ(parse_duration("30s"), 30s);
    EXPECT_EQ(parse_duration("2m"), 2min);
    EXPECT_EQ(parse_duration("1h"), 1h);
    EXPECT_EQ(parse_duration("1m30s"), 90s);
    EXPECT_EQ(parse_duration("45"), 45s);
    EXPECT_EQ(parse_duration("0s"), 0s);
}

TEST(Duration, RejectsMalformedText) {
    for (const char* bad : {"", "s", "30x", "-5s", "1.5s", "30 s", "m30", "5s5", "99999999999s"})
        EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
}

TEST(Duration, FormatsShortestReadableForm) {
    EXPECT_EQ(format_duration(500ms), "500ms");
    EXPECT_EQ(format_duration(30s), "30s");
    EXPECT_EQ(format_duration(120s), "2m");
    EXPECT_EQ(format_duration(90s), "1m30s");
    EXPECT_EQ(format_duration(1500ms), "1500ms");
    for (envctl::Duration d : {envctl::Duration(250ms), envctl::Duration(1s), envctl::Duration(61s), envctl::Duration(3600s), envctl::Duration(7200s)}) EXPECT_EQ(parse_duration(format_duration(d)), d);
}
