#pragma once
// A blocking-with-deadlines TCP client to 127.0.0.1, for talking to services in containers from the host
// (RESP PING, HTTP requests) and for holding a connection open while a container stops.

#include <chrono>
#include <optional>
#include <string>

namespace envctl::test {

class TcpClient {
public:
    // Connects within `timeout`; throws std::runtime_error with the reason otherwise.
    TcpClient(int port, std::chrono::milliseconds timeout);
    ~TcpClient();
    TcpClient(const TcpClient&) = delete;
    TcpClient& operator=(const TcpClient&) = delete;

    void send(const std::string& bytes);
    // Reads until `marker` has arrived, the peer closes, or `timeout` passes; returns everything received.
    std::string receive_until(const std::string& marker, std::chrono::milliseconds timeout);

private:
    int fd_ = -1;
};

// Connects, sends `request` and reads until `marker`, retrying until `budget` passes; the first response that
// contains `marker`, or nullopt (with the last error or response in *last).
std::optional<std::string> exchange_until(int port, const std::string& request, const std::string& marker,
                                          std::chrono::milliseconds budget, std::string* last = nullptr);

}  // namespace envctl::test
