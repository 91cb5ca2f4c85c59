#include "envctl/migrations/migration_files.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include "envctl/core/error.hpp"
#include "envctl/util/files.hpp"
#include "envctl/util/hash.hpp"

namespace envctl::migrations {

std::vector<MigrationFile> load_migrations(const std::filesystem::path& dir) {
    static const std::regex file_name(R"(^([0-9]{4})_([a-z0-9_]+)\.sql$)");
    std::vector<MigrationFile> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return files;

    std::map<int, std::string> seen;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const auto name = entry.path().filename().string();
        if (entry.path().extension() != ".sql") continue;
        std::smatch m;
        if (!std::regex_match(name, m, file_name))
            throw usage_error(entry.path().string() +
                              ": a migration is named NNNN_name.sql (4 digits, then lower-case letters, digits and "
                              "'_'); rename it");
        int version = std::stoi(m[1].str());
        if (version == 0) throw usage_error(entry.path().string() + ": migration numbers start at 0001; rename it");
        if (auto other = seen.find(version); other != seen.end())
            throw usage_error(entry.path().string() + ": version " + m[1].str() + " is also used by " + other->second +
                              "; each file needs its own number");
        seen[version] = name;
        MigrationFile file;
        file.version = version;
        file.name = name;
        file.path = entry.path();
        file.content = files::read(entry.path());
        file.checksum = hash::sha256_hex(file.content);
        files.push_back(std::move(file));
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return files;
}

}  // namespace envctl::migrations
