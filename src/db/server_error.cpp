// Locating a failed statement's error position from what libpq reports.
#include <regex>
#include <sstream>

#include "envctl/db/session.hpp"

namespace envctl::db {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

// Line and column (1-based) of the character at 1-based character `position` (the server counts characters).
std::pair<int, int> line_and_column(const std::string& text, int position) {
    int line = 1, column = 1, chars = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
        if (++chars == position) break;
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

// The column of the caret under libpq's excerpt "LINE n: [...]text[...]", found by looking the excerpt up in the
// statement's line n (libpq shortens long lines with "...").
std::optional<int> caret_column(const std::string& statement, int line, const std::string& excerpt, std::size_t caret) {
    std::string shown = excerpt;
    if (shown.rfind("...", 0) == 0) {
        shown.erase(0, 3);
        if (caret < 3) return std::nullopt;
        caret -= 3;
    }
    if (shown.size() >= 3 && shown.compare(shown.size() - 3, 3, "...") == 0) shown.resize(shown.size() - 3);
    auto lines = split_lines(statement);
    if (line < 1 || line > static_cast<int>(lines.size())) return std::nullopt;
    std::string actual = lines[static_cast<std::size_t>(line - 1)];
    for (auto& c : actual) {
        if (c == '\t') c = ' ';
    }
    auto at = shown.empty() ? std::string::npos : actual.find(shown);
    if (at == std::string::npos) return std::nullopt;
    return static_cast<int>(at + caret) + 1;
}

}  // namespace

ServerError parse_server_error(const std::string& what, const std::string& statement, const std::string& sqlstate,
                               int syntax_error_position) {
    static const std::regex line_marker(R"(^LINE (\d+): (.*)$)");
    ServerError error;
    error.sqlstate = sqlstate;

    auto lines = split_lines(what);
    std::string message;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::smatch m;
        if (std::regex_match(lines[i], m, line_marker)) {
            int line = std::stoi(m[1].str());
            error.line = line;
            if (i + 1 < lines.size()) {
                auto caret = lines[i + 1].find('^');
                auto prefix = lines[i].size() - m[2].length();
                if (caret != std::string::npos && caret >= prefix)
                    error.column = caret_column(statement, line, m[2].str(), caret - prefix);
                ++i;  // the caret line
            }
            continue;
        }
        if (!message.empty()) message += '\n';
        message += lines[i];
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    error.message = message;

    if (syntax_error_position > 0) {
        auto [line, column] = line_and_column(statement, syntax_error_position);
        error.line = line;
        error.column = column;
    }
    return error;
}

}  // namespace envctl::db
