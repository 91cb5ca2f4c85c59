#pragma once
// Role passwords reach the server as SCRAM-SHA-256 verifiers computed by libpq (PQencryptPasswordConn), never as
// plain text: a statement holding the password would show in pg_stat_activity and in statement logs.

#include <string>

#include "envctl/db/connection.hpp"

namespace envctl::db {

// The verifier ("SCRAM-SHA-256$4096:salt$stored:server") of `password`, computed by libpq on a connection of its
// own made with `info` (so a server's own iteration count applies). Throws ConnectionError naming info.describe()
// when that connection cannot be made, envctl::Error(internal) when libpq cannot compute it.
std::string scram_verifier(const ConnectionInfo& info, const std::string& password);

}  // namespace envctl::db
