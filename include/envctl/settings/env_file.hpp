#pragma once
// The settings file: one KEY=VALUE a line, '#' comments, blank lines, optional double quotes around the value
// (with \" and \\ escapes inside them). An optional leading "export " is accepted.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace envctl::settings {

struct EnvEntry {
    std::string key;
    std::string value;
    int line = 0;
};

struct EnvFile {
    std::filesystem::path path;
    std::vector<EnvEntry> entries;  // in file order; a repeated key is an error
};

// Throws envctl::Error(usage) naming "<file>:<line>" and what is expected, for a malformed line.
EnvFile parse_env_file(std::string_view content, const std::filesystem::path& path_for_messages);
EnvFile load_env_file(const std::filesystem::path& path);

}  // namespace envctl::settings
