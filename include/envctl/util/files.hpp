#pragma once
// Small file helpers with clear errors.

#include <filesystem>
#include <string>
#include <string_view>

namespace envctl::files {

// Whole file; throws envctl::Error(usage) naming the path when it cannot be read.
std::string read(const std::filesystem::path& path);
// Writes through a temporary file in the same folder and renames it into place, so readers never see half a file.
// The file is 0644 (committed files such as the generated compose file).
void write_atomic(const std::filesystem::path& path, std::string_view content);

// What envctl keeps for itself (.envctl/: state, reports, the run file, records, caches) is private: folders
// 0700, files 0600. make_private_dir creates `dir` and, when it lies inside a `.envctl` folder, every folder from
// `.envctl` down to it, each 0700; existing ones are tightened to 0700. Throws Error(internal) naming the folder.
void make_private_dir(const std::filesystem::path& dir);
// As write_atomic, but the file is 0600 and its folders private (make_private_dir).
void write_private(const std::filesystem::path& path, std::string_view content);

}  // namespace envctl::files
