#pragma once
// A raw TCP listener on 127.0.0.1 (an ephemeral port) for probe tests: accepts each connection, optionally
// writes `reply` (after reading whatever the client sent first, when `reply` is set), then closes it.
// With `silent`, it accepts and holds connections open without a word (a server that hangs).

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace envctl::test {

class TcpTestListener {
public:
    explicit TcpTestListener(std::string reply = "", bool silent = false);
    ~TcpTestListener();
    TcpTestListener(const TcpTestListener&) = delete;
    TcpTestListener& operator=(const TcpTestListener&) = delete;

    int port() const { return port_; }
    int accepted() const { return accepted_.load(); }
    // What the clients sent (the first read of each connection), for protocol checks.
    std::vector<std::string> received() const;

private:
    void run();

    std::string reply_;
    bool silent_ = false;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepted_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> received_;
    std::vector<int> held_;
    std::thread thread_;
};

}  // namespace envctl::test
