#pragma once
// A throwaway redis-server for tests: started daemonized on a free 127.0.0.1 port with no persistence
// (--save '' --appendonly no) through envctl::subprocess, stopped (SIGTERM, then SIGKILL) by the destructor.

#include <memory>
#include <string>

#include "support/temp_dir.hpp"

namespace envctl::test {

class RedisTestServer {
public:
    // nullptr with the reason in why_not when redis-server is missing or does not answer. port 0: a free one.
    static std::unique_ptr<RedisTestServer> start(std::string& why_not, int port = 0);
    ~RedisTestServer();
    int port() const { return port_; }
    // Stops it now (the port then refuses connections).
    void stop();

private:
    RedisTestServer() = default;
    TempDir dir_;
    int port_ = 0;
    int pid_ = 0;
};

}  // namespace envctl::test
