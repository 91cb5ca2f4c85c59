// The statement splitter and the error-position parser: what lets a failed migration name its statement and position.
#include <gtest/gtest.h>

#include "envctl/db/session.hpp"
#include "envctl/migrations/sql_script.hpp"

using envctl::migrations::first_word;
using envctl::migrations::split_statements;

namespace {

std::vector<std::string> texts(const std::string& script) {
    std::vector<std::string> out;
    for (const auto& s : split_statements(script)) out.push_back(s.text);
    return out;
}

}  // namespace

TEST(SqlScript, SplitsAtSemicolonsAndRecordsWhereEachStatementStarts) {
    auto statements = split_statements("-- header; not a statement\nCREATE TABLE a (x int);\n\n  INSERT INTO a VALUES (1); SELECT 2\n");
    ASSERT_EQ(statements.size(), 3u);
    EXPECT_EQ(statements[0].text, "CREATE TABLE a (x int)");
    EXPECT_EQ(statements[0].line, 2);
    EXPECT_EQ(statements[0].column, 1);
    EXPECT_EQ(statements[1].text, "INSERT INTO a VALUES (1)");
    EXPECT_EQ(statements[1].line, 4);
    EXPECT_EQ(statements[1].column, 3);
    EXPECT_EQ(statements[2].text, "SELECT 2");  // no final semicolon
    EXPECT_EQ(statements[2].line, 4);
    EXPECT_EQ(statements[2].column, 29);
}

TEST(SqlScript, SemicolonsInsideQuotesCommentsAndDollarQuotesDoNotSplit) {
    EXPECT_EQ(texts("SELECT 'a;b', 'it''s;'; SELECT 2"), (std::vector<std::string>{"SELECT 'a;b', 'it''s;'", "SELECT 2"}));
    EXPECT_EQ(texts("SELECT E'\\';x'; SELECT 2"), (std::vector<std::string>{"SELECT E'\\';x'", "SELECT 2"}));
    EXPECT_EQ(texts("CREATE TABLE \"we;ird\"\"x\" (a int); SELECT 2"),
              (std::vector<std::string>{"CREATE TABLE \"we;ird\"\"x\" (a int)", "SELECT 2"}));
    EXPECT_EQ(texts("SELECT 1 /* a; /* nested; */ still; */ + 1; SELECT 2"),
              (std::vector<std::string>{"SELECT 1 /* a; /* nested; */ still; */ + 1", "SELECT 2"}));
    EXPECT_EQ(texts("SELECT 1 -- trailing; comment\n + 1; SELECT 2"),
              (std::vector<std::string>{"SELECT 1 -- trailing; comment\n + 1", "SELECT 2"}));
    const std::string function = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  PERFORM 1; "
                                 "RETURN $$;$$::text::int;\nEND;\n$body$";
    EXPECT_EQ(texts(function + ";\nSELECT f()"), (std::vector<std::string>{function, "SELECT f()"}));
    EXPECT_EQ(texts("SELECT $$a;b$$; SELECT 2"), (std::vector<std::string>{"SELECT $$a;b$$", "SELECT 2"}));
}

TEST(SqlScript, ParametersAndIdentifiersWithDollarsAreNotQuotes) {
    EXPECT_EQ(texts("PREPARE p AS SELECT $1; SELECT a$b$ FROM t; SELECT 3"),
              (std::vector<std::string>{"PREPARE p AS SELECT $1", "SELECT a$b$ FROM t", "SELECT 3"}));
}

TEST(SqlScript, EmptyStatementsAndCommentOnlyScriptsYieldNothing) {
    EXPECT_TRUE(split_statements("").empty());
    EXPECT_TRUE(split_statements(" ;; -- nothing\n/* at all */\n;").empty());
}

TEST(SqlScript, FirstWordIsLowerCase) {
    EXPECT_EQ(first_word({"BEGIN", 1, 1}), "begin");
    EXPECT_EQ(first_word({"Commit;", 1, 1}), "commit");
    EXPECT_EQ(first_word({"create table x()", 1, 1}), "create");
}

TEST(ServerError, PositionFromLibpqLineAndCaret) {
    const std::string statement = "SELECT 1,\n  2\nFROM nothere";
    auto e = envctl::db::parse_server_error(
        "ERROR:  relation \"nothere\" does not exist\nLINE 3: FROM nothere\n" + std::string(13, ' ') + "^\n", statement, "42P01", -1);
    EXPECT_EQ(e.message, "ERROR:  relation \"nothere\" does not exist");
    EXPECT_EQ(e.sqlstate, "42P01");
    EXPECT_EQ(e.line, 3);
    EXPECT_EQ(e.column, 6);
}

TEST(ServerError, PositionInAShortenedLine) {
    const std::string statement = "SELECT " + std::string(80, 'a') + " FROM nothere";
    // libpq shows long lines shortened, prefixed with "...".
    auto e = envctl::db::parse_server_error(
        "ERROR:  boom\nLINE 1: ...aaaaaaaaaa FROM nothere\n" + std::string(27, ' ') + "^\nHINT:  h\n", statement, "XX000", -1);
    EXPECT_EQ(e.message, "ERROR:  boom\nHINT:  h");
    EXPECT_EQ(e.line, 1);
    EXPECT_EQ(e.column, 94);  // "nothere" starts at column 94
}

TEST(ServerError, SyntaxErrorPositionCountsCharacters) {
    auto e = envctl::db::parse_server_error("ERROR:  syntax error at or near \"SELEC\"\n", "SELECT 1;\nSELEC 2", "42601", 11);
    EXPECT_EQ(e.line, 2);
    EXPECT_EQ(e.column, 1);
}

TEST(ServerError, NoPositionWithoutLineOrOffset) {
    auto e = envctl::db::parse_server_error("ERROR:  division by zero\n", "SELECT 1/0", "22012", -1);
    EXPECT_EQ(e.message, "ERROR:  division by zero");
    EXPECT_FALSE(e.line);
    EXPECT_FALSE(e.column);
}
