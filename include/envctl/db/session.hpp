#pragma once
// One PostgreSQL connection (libpqxx stays behind this header). Every statement runs under a client-side guard: when
// the session's deadline passes, or envctl is interrupted, the running statement is cancelled on the server.

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/db/connection.hpp"

namespace envctl::db {

using Row = std::vector<std::optional<std::string>>;  // nullopt = SQL NULL
using Rows = std::vector<Row>;

// What the server said about a failed statement.
struct ServerError {
    std::string message;   // libpq's text: "ERROR:  ..." with DETAIL/HINT/CONTEXT lines, without the LINE/caret lines
    std::string sqlstate;  // "42601", or empty when unknown
    // Where in the statement's text the error is, 1-based, when the server gave a position.
    std::optional<int> line;
    std::optional<int> column;
};

class SqlError : public std::runtime_error {
public:
    SqlError(ServerError error, std::string statement);
    const ServerError& error() const { return error_; }
    const std::string& statement() const { return statement_; }
    bool cancelled() const { return error_.sqlstate == "57014"; }  // statement_timeout or our cancel

private:
    ServerError error_;
    std::string statement_;
};

// The connection could not be opened or broke. The message names describe(), never the password.
class ConnectionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Session {
public:
    explicit Session(const ConnectionInfo& info);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Runs one statement (or several, separated by ';') and returns the rows of the last one.
    Rows query(const std::string& sql);
    // Runs one statement with $1..$n bound to the given texts.
    Rows query(const std::string& sql, const std::vector<std::string>& params);
    void exec(const std::string& sql) { query(sql); }

    // Client-side guard for every following statement; nullopt: none (the server's timeouts still apply).
    void set_deadline(std::optional<Deadline> deadline);
    std::optional<Deadline> deadline() const;

    std::string quote_name(const std::string& identifier) const;  // "services_db"
    std::string quote(const std::string& literal) const;          // 'text'
    int server_version() const;                                   // 150018
    const ConnectionInfo& info() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Turns libpq's error text into ServerError, locating the position from its "LINE n:" and caret lines within
// `statement` (exposed for tests).
ServerError parse_server_error(const std::string& what, const std::string& statement, const std::string& sqlstate,
                               int syntax_error_position);

}  // namespace envctl::db
