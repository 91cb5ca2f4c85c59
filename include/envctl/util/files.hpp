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
// 0700, files 0600. make_private_dir creates what is missing of `dir` (new folders 0700) and, when `dir` lies inside
// a `.envctl` folder, tightens every existing folder from `.envctl` down to `dir` to 0700 (one that is a symbolic
// link is refused). Folders above `.envctl`, or any existing folder when there is none, are left as they are.
// Throws Error(internal) naming the folder.
void make_private_dir(const std::filesystem::path& dir);
// As write_atomic, but the file is 0600 and its folders private (make_private_dir).
void write_private(const std::filesystem::path& path, std::string_view content);

}  // namespace envctl::files
