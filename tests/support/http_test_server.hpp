#pragma once
// A scripted HTTP or HTTPS server on 127.0.0.1 (an ephemeral port) for probe tests, built on cpp-httplib (only
// tests/support/ includes <httplib.h>). Each request gets the reply the script gives for its number.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace envctl::test {

struct ScriptedReply {
    int status = 200;
    std::string body = "ok";
    std::chrono::milliseconds delay{0};  // wait this long before answering (ends early when the server stops)
    bool drop = false;                   // send the status line and headers, then close without the body
};

// A request as the server received it (for asserting what envctl sends).
struct ReceivedRequest {
    std::string method;
    std::string path;  // with the query string, as sent
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string header(const std::string& name) const;  // "" when absent (names compared case-insensitively)
};

class HttpTestServer {
public:
    // Plain HTTP.
    HttpTestServer();
    // HTTPS with this certificate and key (PEM files).
    HttpTestServer(const std::filesystem::path& cert, const std::filesystem::path& key);
    ~HttpTestServer();
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    int port() const;
    // The reply to request number n (0-based, counting every path). Default: 200 "ok".
    void script(std::function<ScriptedReply(int n)> responder);
    // Request n gets replies[n], the last one repeating.
    void script(std::vector<ScriptedReply> replies);
    int requests() const;
    std::string last_path() const;
    // Every request so far (any method), in arrival order.
    std::vector<ReceivedRequest> received() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Writes a self-signed certificate for "localhost" (and its key) into `dir` with the openssl binary (run through
// envctl::subprocess). Returns false with the reason when openssl is missing or fails.
bool make_self_signed_certificate(const std::filesystem::path& dir, std::filesystem::path& cert,
                                  std::filesystem::path& key, std::string& why_not);

}  // namespace envctl::test
