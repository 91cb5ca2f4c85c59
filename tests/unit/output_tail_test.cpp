#include "envctl/util/output_tail.hpp"

#include <gtest/gtest.h>

TEST(OutputTail, KeepsTheLastNonEmptyLinesWithoutPodmansSystemdNoise) {
    std::string text =
        "one\n\ntwo\r\n"
        "time=\"x\" level=warning msg=\"The cgroupv2 manager is set to systemd but there is no systemd user session\"\n"
        "time=\"x\" level=warning msg=\"Failed to open syslog\"\n"
        "Error: systemd unit failed\nthree\n";
    EXPECT_EQ(envctl::last_lines(text, 3), "two\nError: systemd unit failed\nthree");
    EXPECT_EQ(envctl::last_lines(text, 1), "three");
    EXPECT_EQ(envctl::last_lines("", 4), "");
}
