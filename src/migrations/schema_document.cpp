#include "envctl/migrations/schema_document.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace envctl::migrations {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// A fence line ("```sql", "~~~"), up to 3 spaces of indentation: its marker ("```") and info string.
bool fence(const std::string& line, std::string& marker, std::string& info) {
    std::size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ') ++i;
    if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return false;
    std::size_t j = i;
    while (j < line.size() && line[j] == line[i]) ++j;
    if (j - i < 3) return false;
    marker = line.substr(i, j - i);
    info = line.substr(j);
    info.erase(0, info.find_first_not_of(" \t"));
    auto end = info.find_first_of(" \t{");
    if (end != std::string::npos) info.resize(end);
    while (!info.empty() && std::isspace(static_cast<unsigned char>(info.back()))) info.pop_back();
    return true;
}

}  // namespace

std::vector<SqlBlock> sql_blocks(std::string_view markdown) {
    std::vector<SqlBlock> blocks;
    std::istringstream in{std::string(markdown)};
    std::string line, open_marker;
    bool inside = false, is_sql = false;
    SqlBlock current;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::string marker, info;
        if (!inside) {
            if (fence(line, marker, info)) {
                inside = true;
                open_marker = marker;
                is_sql = lower(info) == "sql";
                current = SqlBlock{"", number + 1};
            }
            continue;
        }
        if (fence(line, marker, info) && info.empty() && marker[0] == open_marker[0] &&
            marker.size() >= open_marker.size()) {
            inside = false;
            if (is_sql) blocks.push_back(current);
            continue;
        }
        if (is_sql) current.sql += line + "\n";
    }
    if (inside && is_sql) blocks.push_back(current);  // unterminated: runs to the end, as in CommonMark
    return blocks;
}

std::filesystem::path schema_document_for(const std::filesystem::path& dir, const std::string& database) {
    std::string stem = database;
    if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, "_db") == 0) stem.resize(stem.size() - 3);
    std::transform(stem.begin(), stem.end(), stem.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return dir / (stem + "-SCHEMA.md");
}

}  // namespace envctl::migrations
