// libpqxx lives in src/db/ only.
#include "envctl/db/connection.hpp"

#include <pqxx/pqxx>

namespace envctl::db {
namespace {

// libpq connection-string value: single-quoted, with \ and ' escaped.
std::string quote(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

std::string first_line(std::string text) {
    auto nl = text.find('\n');
    if (nl != std::string::npos) text.resize(nl);
    return text;
}

}  // namespace

std::string ConnectionInfo::conninfo() const {
    auto seconds = std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(connect_timeout).count());
    return "host=" + quote(host) + " port=" + std::to_string(port) + " user=" + quote(user) +
           " password=" + quote(password) + " dbname=" + quote(database) +
           " connect_timeout=" + std::to_string(seconds) + " application_name='envctl'";
}

std::string ConnectionInfo::describe() const {
    return user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

PingResult ping(const ConnectionInfo& info) {
    try {
        pqxx::connection conn(info.conninfo());
        pqxx::nontransaction tx(conn);
        auto row = tx.exec1("SELECT 1");
        if (row[0].as<int>() != 1) return {false, "SELECT 1 returned an unexpected value"};
        return {true, "SELECT 1 ok"};
    } catch (const std::exception& e) {
        return {false, first_line(e.what())};
    }
}

}  // namespace envctl::db
