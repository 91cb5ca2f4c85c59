#include "envctl/cli/connection_text.hpp"

#include <cctype>
#include <cstdio>

#include <fmt/format.h>

namespace envctl::cli {
namespace {

std::string percent_encoded(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

}  // namespace

std::string database_url(const db::ConnectionInfo& server, const std::string& user, const std::string* password,
                         const std::string& database) {
    const std::string host = server.host.find(':') != std::string::npos ? "[" + server.host + "]" : server.host;
    return "postgres://" + percent_encoded(user) + (password ? ":" + percent_encoded(*password) : "") + "@" + host +
           ":" + std::to_string(server.port) + "/" + database;
}

std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

void write_secret_output(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

}  // namespace envctl::cli
