#include "envctl/core/byte_size.hpp"

#include <gtest/gtest.h>

namespace envctl {
namespace {

TEST(ByteSize, ReadAsPodmanReadsThem) {
    EXPECT_EQ(parse_byte_size("1024"), 1024);
    EXPECT_EQ(parse_byte_size("512b"), 512);
    EXPECT_EQ(parse_byte_size("4k"), 4096);
    EXPECT_EQ(parse_byte_size("64m"), 64LL << 20);
    EXPECT_EQ(parse_byte_size("64M"), 64LL << 20);
    EXPECT_EQ(parse_byte_size("64MB"), 64LL << 20);
    EXPECT_EQ(parse_byte_size("256mb"), 256LL << 20);
    EXPECT_EQ(parse_byte_size("2g"), 2LL << 30);
    for (const char* bad : {"", "m", "64x", "1.5g", "-1m", "99999999999999999999g", "64mbb"}) {
        EXPECT_FALSE(parse_byte_size(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace envctl
