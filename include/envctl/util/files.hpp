#pragma once
// Small file helpers with clear errors.

#include <filesystem>
#include <string>
#include <string_view>

namespace envctl::files {

// Whole file; throws envctl::Error(usage) naming the path when it cannot be read.
std::string read(const std::filesystem::path& path);
// Writes through a temporary file in the same folder and renames it into place, so readers never see half a file.
void write_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace envctl::files
