#pragma once
// One HTTP request through libcurl, the one place envctl uses it: the http/https health probe, and podman's REST
// API on a unix socket (the native engine). Bounded in time and in the bytes it keeps; never throws for the
// transfer's own failures, which are in the Response.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::http {

struct Request {
    std::string method = "GET";
    std::string url;                   // http://host:port/path; with unix_socket the host is not used
    std::string unix_socket;           // connect to this socket instead of the URL's host and port
    std::string body;                  // sent (with content_type) unless empty
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;  // extra request headers (name, value)
    Duration timeout{std::chrono::seconds(5)};  // the whole transfer, connecting included
    bool verify_tls = true;            // false: self-signed certificates accepted (the emulators')
    std::string user_agent = "envctl";
    std::string basic_user;            // not empty: HTTP Basic authentication with basic_password
    std::string basic_password;
    std::size_t keep_bytes = 1024 * 1024;  // of the response body kept in Response::body
    std::size_t read_limit = 0;        // > 0: stop reading the body after this many bytes (the status is enough)
    std::function<bool()> cancelled;   // polled during the transfer; true aborts it
    // Called with each piece of the body as it arrives (a streamed answer: podman's pull progress), besides
    // keeping it (up to keep_bytes).
    std::function<void(std::string_view piece)> on_piece;
};

enum class Failure {
    none,
    timed_out,
    refused,             // nothing listens there (connection refused, or no such socket)
    connect_failed,      // any other failure to connect
    empty_reply,         // the connection closed before a response
    closed_mid_reply,
    reset,
    tls,
    cancelled,
    other,
};

struct Response {
    long status = 0;         // the HTTP status; 0 when the transfer got none
    std::string body;        // up to keep_bytes
    Failure failure = Failure::none;
    std::string error;       // why, on one line, when failure != none

    bool has_status() const { return status > 0 && failure == Failure::none; }
};

Response perform(const Request& request);

// Percent-encodes everything but RFC 3986's unreserved characters, for a query parameter's value.
std::string url_encode(std::string_view text);

}  // namespace envctl::http
