#include "envctl/settings/env_file.hpp"

#include <gtest/gtest.h>

#include "envctl/core/error.hpp"

using envctl::settings::parse_env_file;

namespace {

std::string error_of(const std::string& content) {
    try {
        parse_env_file(content, "/p/.env.development");
    } catch (const envctl::Error& e) {
        EXPECT_EQ(e.code(), envctl::ExitCode::usage);
        return e.what();
    }
    return "";
}

}  // namespace

TEST(EnvFile, ParsesKeysValuesCommentsAndQuotes) {
    auto f = parse_env_file("# comment\n\nA=1\nexport B = two words \nC=\"quoted # not a comment\"\nD=\"esc \\\" q\"\nE=\nF=x # note\r\n",
                            "f.env");
    ASSERT_EQ(f.entries.size(), 6u);
    EXPECT_EQ(f.entries[0].key, "A");
    EXPECT_EQ(f.entries[0].value, "1");
    EXPECT_EQ(f.entries[0].line, 3);
    EXPECT_EQ(f.entries[1].key, "B");
    EXPECT_EQ(f.entries[1].value, "two words");
    EXPECT_EQ(f.entries[2].value, "quoted # not a comment");
    EXPECT_EQ(f.entries[3].value, "esc \" q");
    EXPECT_EQ(f.entries[4].value, "");
    EXPECT_EQ(f.entries[5].value, "x");
}

TEST(EnvFile, MalformedLinesNameFileAndLine) {
    EXPECT_NE(error_of("A=1\njust words\n").find("/p/.env.development:2:"), std::string::npos);
    EXPECT_NE(error_of("1A=1\n").find(":1: '1A' is not a variable name"), std::string::npos);
    EXPECT_NE(error_of("A=1\nA=2\n").find(":2: A is set twice"), std::string::npos);
    EXPECT_NE(error_of("A=\"open\n").find(":1: unterminated double quote"), std::string::npos);
    EXPECT_NE(error_of("A=\"x\" y\n").find(":1: unexpected text after the closing quote"), std::string::npos);
    EXPECT_NE(error_of("A=x\"y\n").find(":1: a value with a double quote"), std::string::npos);
}

TEST(EnvFile, ErrorsNeverEchoTheValue) {
    auto message = error_of("PASSWORD_LINE_WITHOUT_EQUALS_s3cr3tvalue\n");
    EXPECT_EQ(message.find("s3cr3tvalue"), std::string::npos) << message;
}
