// The one rule for reaching what the stack publishes on ENVCTL_BIND_ADDRESS (prober, migrator, status endpoints).

#include <gtest/gtest.h>

#include "envctl/settings/connect_host.hpp"

using envctl::settings::connect_host;
using envctl::settings::host_port;

TEST(ConnectHost, WildcardsAreReachedOnLoopback) {
    EXPECT_EQ(connect_host(""), "127.0.0.1");
    EXPECT_EQ(connect_host("0.0.0.0"), "127.0.0.1");
    EXPECT_EQ(connect_host("*"), "127.0.0.1");
    EXPECT_EQ(connect_host("::"), "::1");
    EXPECT_EQ(connect_host("[::]"), "::1");
}

TEST(ConnectHost, ASpecificAddressIsUsedAsItIs) {
    EXPECT_EQ(connect_host("127.0.0.1"), "127.0.0.1");
    EXPECT_EQ(connect_host("127.0.0.2"), "127.0.0.2");
    EXPECT_EQ(connect_host("192.168.1.5"), "192.168.1.5");
    EXPECT_EQ(connect_host("[::1]"), "::1");
    EXPECT_EQ(connect_host("fd00::5"), "fd00::5");
}

TEST(ConnectHost, EndpointsBracketIpv6Hosts) {
    EXPECT_EQ(host_port("127.0.0.1", "5432"), "127.0.0.1:5432");
    EXPECT_EQ(host_port("::1", "5432"), "[::1]:5432");
}
