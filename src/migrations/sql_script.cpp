#include "envctl/migrations/sql_script.hpp"

#include <cctype>

namespace envctl::migrations {

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// At `i` (a '$'), the dollar-quote tag "$tag$" if one starts here, else empty.
std::string_view dollar_tag(std::string_view s, std::size_t i) {
    if (i > 0 && ident_char(s[i - 1])) return {};  // part of an identifier like a$b
    std::size_t j = i + 1;
    if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) return {};  // $1: a parameter
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
    if (j < s.size() && s[j] == '$') return s.substr(i, j - i + 1);
    return {};
}

// Index just past the construct starting at `i` that hides semicolons (a string, quoted identifier, dollar quote
// or comment), or `i` when none starts there. An unterminated construct runs to the end.
std::size_t skip_hiding(std::string_view s, std::size_t i) {
    const char c = s[i];
    auto next = [&](std::size_t k) { return k + 1 < s.size() ? s[k + 1] : '\0'; };
    if (c == '-' && next(i) == '-') {
        auto end = s.find('\n', i);
        return end == std::string_view::npos ? s.size() : end;
    }
    if (c == '/' && next(i) == '*') {
        int depth = 0;
        std::size_t k = i;
        while (k < s.size()) {
            if (s[k] == '/' && next(k) == '*') { ++depth; k += 2; continue; }
            if (s[k] == '*' && next(k) == '/') { k += 2; if (--depth == 0) return k; continue; }
            ++k;
        }
        return s.size();
    }
    if (c == '\'' || c == '"') {
        const bool backslashes = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                                 (i < 2 || !ident_char(s[i - 2]));
        std::size_t k = i + 1;
        while (k < s.size()) {
            if (backslashes && s[k] == '\\') { k += 2; continue; }
            if (s[k] == c) {
                if (next(k) == c) { k += 2; continue; }  // '' or "" inside
                return k + 1;
            }
            ++k;
        }
        return s.size();
    }
    if (c == '$') {
        auto tag = dollar_tag(s, i);
        if (tag.empty()) return i;
        auto end = s.find(tag, i + tag.size());
        return end == std::string_view::npos ? s.size() : end + tag.size();
    }
    return i;
}

bool is_comment_start(std::string_view s, std::size_t i) {
    return i + 1 < s.size() && ((s[i] == '-' && s[i + 1] == '-') || (s[i] == '/' && s[i + 1] == '*'));
}

}  // namespace

std::vector<Statement> split_statements(std::string_view script) {
    std::vector<Statement> statements;
    int line = 1, column = 1;
    std::size_t i = 0;
    auto advance_to = [&](std::size_t target) {
        for (; i < target && i < script.size(); ++i) {
            if (script[i] == '\n') { ++line; column = 1; } else { ++column; }
        }
    };

    while (i < script.size()) {
        // Skip whitespace and comments before the statement's first token.
        if (std::isspace(static_cast<unsigned char>(script[i]))) { advance_to(i + 1); continue; }
        if (is_comment_start(script, i)) { advance_to(skip_hiding(script, i)); continue; }
        if (script[i] == ';') { advance_to(i + 1); continue; }  // empty statement

        Statement statement;
        statement.line = line;
        statement.column = column;
        const std::size_t start = i;
        while (i < script.size() && script[i] != ';') {
            auto past = skip_hiding(script, i);
            advance_to(past > i ? past : i + 1);
        }
        std::size_t end = i;
        while (end > start && std::isspace(static_cast<unsigned char>(script[end - 1]))) --end;
        statement.text = std::string(script.substr(start, end - start));
        statements.push_back(std::move(statement));
        if (i < script.size()) advance_to(i + 1);  // the ';'
    }
    return statements;
}

std::string first_word(const Statement& statement) {
    std::string word;
    for (char c : statement.text) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return word;
}

}  // namespace envctl::migrations
