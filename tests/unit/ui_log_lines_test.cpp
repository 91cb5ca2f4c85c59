// Log lines of several services: prefixes and the merge in time order (envctl/ui/log_lines.hpp).
#include "envctl/ui/log_lines.hpp"

#include <gtest/gtest.h>

using namespace envctl::ui;

TEST(LogLines, PrefixPadsTheNameAndColoursItOnlyWhenAsked) {
    EXPECT_EQ(log_prefix("redis", 10, 0, false), "redis      | ");
    EXPECT_EQ(log_prefix("postgresql", 10, 1, false), "postgresql | ");
    EXPECT_EQ(log_prefix("redis", 5, 0, true), "\x1b[36mredis |\x1b[0m ");
    EXPECT_NE(log_prefix("a", 1, 0, true), log_prefix("a", 1, 1, true));
}

TEST(LogLines, SplitsPodmansTimestamp) {
    auto t = split_timestamp("2026-11-27T14:50:01.12345Z listening on 6379");
    EXPECT_EQ(t.stamp, "2026-11-27T14:50:01.12345Z");
    EXPECT_EQ(t.text, "listening on 6379");
    EXPECT_EQ(t.key, "2026-11-27T14:50:01.123450000");
    EXPECT_EQ(split_timestamp("2026-11-27T14:50:01+00:00 x").key, "2026-11-27T14:50:01.000000000");
    auto plain = split_timestamp("no time here");
    EXPECT_EQ(plain.key, "");
    EXPECT_EQ(plain.text, "no time here");
    EXPECT_EQ(split_timestamp("2026-11-27X14:50:01Z x").key, "");
}

TEST(LogLines, MergesServicesInTimeOrder) {
    ServiceLines a{"a", {split_timestamp("2026-11-27T14:50:01.5Z a1"), split_timestamp("a1 continued"),
                         split_timestamp("2026-11-27T14:50:03Z a2")}};
    ServiceLines b{"b", {split_timestamp("2026-11-27T14:50:01.25Z b1"), split_timestamp("2026-11-27T14:50:02.999Z b2")}};
    std::vector<std::string> order;
    for (const auto& [i, line] : merge_by_time({a, b})) order.push_back(std::to_string(i) + ":" + line.text);
    EXPECT_EQ(order, (std::vector<std::string>{"1:b1", "0:a1", "0:a1 continued", "1:b2", "0:a2"}));
}
