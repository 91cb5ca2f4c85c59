#pragma once
// Splitting a migration file into its statements, so each runs on its own and a failure names its statement.
// Lexical only (like psql): it knows quotes, E'' strings, quoted identifiers, dollar quotes and comments, and cuts at
// the semicolons outside them. It does not parse SQL.

#include <string>
#include <string_view>
#include <vector>

namespace envctl::migrations {

struct Statement {
    std::string text;  // from its first token to before its ';', comments inside kept
    int line = 1;      // 1-based line of its first token in the file
    int column = 1;    // 1-based column of its first token
};

// Statements holding nothing but comments and whitespace are left out.
std::vector<Statement> split_statements(std::string_view script);

// The statement's first word, lower-case ("create", "begin").
std::string first_word(const Statement& statement);

}  // namespace envctl::migrations
