#pragma once
// A digest of what a path holds (a file, or a folder and everything under it), for the config hash: deterministic
// (entries sorted by relative path; symlinks inside a folder are described, never followed) and bounded (contents
// are read up to a byte budget; past it, a file counts by size and modification time; past an entry budget the
// walk stops and says so).

#include <cstdint>
#include <filesystem>
#include <string>

namespace envctl::tree_digest {

struct Limits {
    std::uintmax_t max_bytes = 64ull * 1024 * 1024;  // file contents read, in all
    std::size_t max_entries = 10000;                 // files, folders and links described
};

// Lower-case hex SHA-256 of the description of `path` ("missing" when it does not exist).
std::string of(const std::filesystem::path& path, const Limits& limits = {});

}  // namespace envctl::tree_digest
