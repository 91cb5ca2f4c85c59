#include "support/redis_test_server.hpp"

#include <csignal>
#include <thread>

#include "envctl/util/subprocess.hpp"
#include "support/daemon_files.hpp"
#include "support/pg_cluster.hpp"

namespace envctl::test {

std::unique_ptr<RedisTestServer> RedisTestServer::start(std::string& why_not, int port) {
    if (!subprocess::find_program("redis-server")) {
        why_not = "the redis-server binary (apt-get install redis-server)";
        return nullptr;
    }
    std::unique_ptr<RedisTestServer> server(new RedisTestServer());
    server->port_ = port != 0 ? port : free_port();
    auto pidfile = server->dir_ / "redis.pid";
    auto logfile = server->dir_ / "redis.log";
    subprocess::Spec spec;
    spec.argv = {"redis-server", "--port", std::to_string(server->port_), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--daemonize", "yes", "--pidfile", pidfile.string(), "--logfile",
                 logfile.string(), "--dir", server->dir_.path().string()};
    spec.timeout = std::chrono::seconds(10);
    subprocess::Result r = subprocess::run(spec);
    if (!r.ok()) {
        why_not = "redis-server did not start: " + r.describe() + " " + r.err + r.out;
        return nullptr;
    }
    for (int i = 0; i < 250; ++i) {  // up to 5 s
        std::string log = read_daemon_file(logfile);
        if (server->pid_ == 0) {
            std::string pid = read_daemon_file(pidfile);
            if (!pid.empty()) server->pid_ = std::stoi(pid);
        }
        if (server->pid_ != 0 && log.find("Ready to accept connections") != std::string::npos) return server;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    why_not = "redis-server did not become ready within 5s: " + read_daemon_file(logfile);
    return nullptr;  // the destructor stops it if it started after all
}

void RedisTestServer::stop() {
    if (pid_ == 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 250 && process_alive(pid_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (process_alive(pid_)) ::kill(pid_, SIGKILL);
    pid_ = 0;
}

RedisTestServer::~RedisTestServer() {
    if (pid_ == 0) {  // started but the pid was never read: try the pid file once more
        std::string pid = read_daemon_file(dir_ / "redis.pid");
        if (!pid.empty()) pid_ = std::stoi(pid);
    }
    stop();
}

}  // namespace envctl::test
