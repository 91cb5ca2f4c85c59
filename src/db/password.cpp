#include "envctl/db/password.hpp"

#include <libpq-fe.h>

#include <memory>

#include "envctl/core/error.hpp"
#include "envctl/db/session.hpp"

namespace envctl::db {

std::string scram_verifier(const ConnectionInfo& info, const std::string& password) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(info.conninfo().c_str()), &PQfinish);
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
        std::string why = conn ? PQerrorMessage(conn.get()) : "out of memory";
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        throw ConnectionError("cannot connect to PostgreSQL as " + info.describe() + ": " + why);
    }
    // The role name only salts MD5; SCRAM ignores it.
    std::unique_ptr<char, decltype(&PQfreemem)> verifier(
        PQencryptPasswordConn(conn.get(), password.c_str(), info.user.c_str(), "scram-sha-256"), &PQfreemem);
    if (!verifier)
        throw Error(ExitCode::internal, std::string("libpq could not compute a SCRAM verifier: ") + PQerrorMessage(conn.get()));
    return verifier.get();
}

}  // namespace envctl::db
