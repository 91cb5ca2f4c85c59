#include "envctl/migrations/migration_files.hpp"

#include <map>
#include <cctype>

#include "envctl/core/error.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/hash.hpp"

namespace envctl::migrations {

namespace {

// NNNN_name.sql: 4 digits, '_', then [a-z0-9_]+. Returns the version, or -1.
int version_of(const std::string& name) {
    if (name.size() < 10 || name.compare(name.size() - 4, 4, ".sql") != 0 || name[4] != '_') return -1;
    for (std::size_t i = 0; i < 4; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(name[i]))) return -1;
    }
    for (std::size_t i = 5; i + 4 < name.size(); ++i) {
        const char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return -1;
    }
    return std::stoi(name.substr(0, 4));
}

}  // namespace

std::vector<MigrationFile> load_migrations(const std::filesystem::path& dir) {
    std::vector<MigrationFile> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return files;

    // Names are checked and ordered first; the files are then read in version order (no sorting of contents).
    std::map<int, std::filesystem::path> by_version;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".sql") continue;
        const auto name = entry.path().filename().string();
        const int version = version_of(name);
        if (version < 0)
            throw usage_error(entry.path().string() +
                              ": a migration is named NNNN_name.sql (4 digits, then lower-case letters, digits and "
                              "'_'); rename it");
        if (version == 0) throw usage_error(entry.path().string() + ": migration numbers start at 0001; rename it");
        if (auto [other, added] = by_version.emplace(version, entry.path()); !added)
            throw usage_error(entry.path().string() + ": version " + name.substr(0, 4) + " is also used by " +
                              other->second.filename().string() + "; each file needs its own number");
    }
    files.reserve(by_version.size());
    for (auto& [version, path] : by_version) {
        MigrationFile& file = files.emplace_back();
        file.version = version;
        file.name = path.filename().string();
        file.content = files::read(path);
        file.checksum = hash::sha256_hex(file.content);
        file.path = std::move(path);
    }
    return files;
}

}  // namespace envctl::migrations
