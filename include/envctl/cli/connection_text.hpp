#pragma once
// How connection details are written for jobs: PostgreSQL URLs and shell-quoted values (db lease, env).

#include <string>

#include "envctl/db/connection.hpp"

namespace envctl::cli {

// postgres://user[:password]@host:port/database (user and password percent-encoded; an IPv6 host in brackets).
std::string database_url(const db::ConnectionInfo& server, const std::string& user, const std::string* password,
                         const std::string& database);

// 'text' for sh, with ' written as '\''.
std::string shell_quoted(const std::string& text);

// Written as it is, not through the redactor: the outputs that carry a password on purpose (db lease --format
// env, env --format sh|dotenv), meant to be eval'ed or written to a 0600 file.
void write_secret_output(const std::string& text);

}  // namespace envctl::cli
