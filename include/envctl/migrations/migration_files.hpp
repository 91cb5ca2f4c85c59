#pragma once
// The migration files of one database: <migrations dir>/<database>/NNNN_name.sql, forward-only.

#include <filesystem>
#include <string>
#include <vector>

namespace envctl::migrations {

struct MigrationFile {
    int version = 0;         // NNNN
    std::string name;        // "0001_services.sql"
    std::filesystem::path path;
    std::string content;
    std::string checksum;    // SHA-256, lower-case hex
};

// Every *.sql file of `dir`, sorted by version; other files are ignored; a missing folder has none. Throws
// envctl::Error(usage) naming the file when a .sql file is not named NNNN_name.sql (4 digits, then [a-z0-9_]+),
// its version is 0, or two files share a version.
std::vector<MigrationFile> load_migrations(const std::filesystem::path& dir);

}  // namespace envctl::migrations
