#include "envctl/settings/env_file.hpp"

#include <cctype>
#include <set>

#include "envctl/core/error.hpp"
#include "envctl/util/files.hpp"

namespace envctl::settings {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool valid_key(std::string_view key) {
    if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) return false;
    for (char c : key)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

[[noreturn]] void fail(const std::filesystem::path& path, int line, const std::string& what) {
    throw usage_error(path.string() + ":" + std::to_string(line) + ": " + what);
}

std::string parse_value(std::string_view raw, const std::filesystem::path& path, int line) {
    raw = trim(raw);
    if (raw.empty() || raw.front() != '"') {
        if (raw.find('"') != std::string_view::npos)
            fail(path, line, "a value with a double quote must be quoted whole: KEY=\"value\"");
        // An unquoted value may carry a trailing comment after whitespace: KEY=value  # note
        auto hash = raw.find(" #");
        if (hash != std::string_view::npos) raw = trim(raw.substr(0, hash));
        return std::string(raw);
    }
    std::string value;
    std::size_t i = 1;
    for (; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\\' && i + 1 < raw.size() && (raw[i + 1] == '"' || raw[i + 1] == '\\')) {
            value.push_back(raw[++i]);
        } else if (c == '"') {
            break;
        } else {
            value.push_back(c);
        }
    }
    if (i >= raw.size()) fail(path, line, "unterminated double quote: close the value with \"");
    auto rest = trim(raw.substr(i + 1));
    if (!rest.empty() && rest.front() != '#')
        fail(path, line, "unexpected text after the closing quote (only a # comment may follow)");
    return value;
}

}  // namespace

EnvFile parse_env_file(std::string_view content, const std::filesystem::path& path) {
    EnvFile file;
    file.path = path;
    std::set<std::string> seen;
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= content.size()) {
        std::size_t end = content.find('\n', pos);
        if (end == std::string_view::npos) end = content.size();
        std::string_view line = content.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        auto t = trim(line);
        if (t.empty() || t.front() == '#') {
            if (end == content.size()) break;
            continue;
        }
        if (t.substr(0, 7) == "export ") t = trim(t.substr(7));
        auto eq = t.find('=');
        if (eq == std::string_view::npos)
            fail(path, line_no, "expected KEY=VALUE (a variable name, '=', then the value)");
        auto key = trim(t.substr(0, eq));
        if (!valid_key(key))
            fail(path, line_no, "'" + std::string(key) + "' is not a variable name (letters, digits, _; not starting with a digit)");
        std::string k(key);
        if (!seen.insert(k).second) fail(path, line_no, k + " is set twice: keep one line");
        file.entries.push_back({k, parse_value(t.substr(eq + 1), path, line_no), line_no});
        if (end == content.size()) break;
    }
    return file;
}

EnvFile load_env_file(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path))
        throw usage_error(path.string() + ": settings file not found (give --env-file or --project-dir)");
    return parse_env_file(files::read(path), path);
}

}  // namespace envctl::settings
