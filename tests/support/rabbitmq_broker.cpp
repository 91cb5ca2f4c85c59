#include "support/rabbitmq_broker.hpp"

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "envctl/util/subprocess.hpp"
#include "support/daemon_files.hpp"
#include "support/pg_cluster.hpp"
#include "support/tcp_client.hpp"

namespace envctl::test {
namespace {

constexpr const char* kServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";
constexpr const char* kCtl = "/usr/lib/rabbitmq/bin/rabbitmqctl";

bool listening(int port) {
    try {
        TcpClient client(port, std::chrono::milliseconds(200));
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

std::unique_ptr<RabbitMqBroker> RabbitMqBroker::start(std::string& why_not) {
    if (!std::filesystem::exists(kServer)) {
        why_not = "rabbitmq-server (apt-get install rabbitmq-server; scripts/setup --tests installs it)";
        return nullptr;
    }
    std::unique_ptr<RabbitMqBroker> b(new RabbitMqBroker());
    b->port_ = free_port();
    b->dist_port_ = free_port();
    b->epmd_port_ = free_port();
    b->node_ = fmt::format("envctl-amqp-{}@localhost", ::getpid());
    b->dir_.write("enabled_plugins", "[rabbitmq_amqp1_0].\n");
    b->dir_.write("rabbitmq.conf", fmt::format("listeners.tcp.default = 127.0.0.1:{}\n"
                                               "default_user = {}\ndefault_pass = {}\n"
                                               "amqp1_0.default_user = none\n",
                                               b->port_, kUser, kPassword));
    subprocess::Spec spec;
    spec.argv = {kServer, "-detached"};
    spec.env = subprocess::current_environment();
    auto& env = *spec.env;
    // ctl() runs with the same environment (cookie, node name, epmd port).
    env["HOME"] = b->dir_.path().string();
    env["RABBITMQ_HOME"] = "/usr/lib/rabbitmq";
    env["RABBITMQ_NODENAME"] = b->node_;
    env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
    env["RABBITMQ_NODE_PORT"] = std::to_string(b->port_);
    env["RABBITMQ_DIST_PORT"] = std::to_string(b->dist_port_);
    env["ERL_EPMD_PORT"] = std::to_string(b->epmd_port_);
    env["RABBITMQ_MNESIA_BASE"] = (b->dir_ / "mnesia").string();
    env["RABBITMQ_LOG_BASE"] = (b->dir_ / "log").string();
    env["RABBITMQ_ENABLED_PLUGINS_FILE"] = (b->dir_ / "enabled_plugins").string();
    env["RABBITMQ_CONFIG_FILE"] = (b->dir_ / "rabbitmq").string();
    env["RABBITMQ_PID_FILE"] = (b->dir_ / "rabbitmq.pid").string();
    spec.timeout = std::chrono::seconds(30);
    const auto r = subprocess::run(spec);
    if (!r.ok()) {
        why_not = "rabbitmq-server -detached failed: " + r.describe() + " " + r.err + r.out;
        return nullptr;
    }
    for (int i = 0; i < 400; ++i) {  // up to 40 s (about 5 s on an idle machine)
        if (b->pid_ == 0) {
            const std::string pid = read_daemon_file(b->dir_ / "rabbitmq.pid");
            if (!pid.empty()) b->pid_ = std::stoi(pid);
        }
        if (b->pid_ != 0 && listening(b->port_)) return b;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    why_not = "rabbitmq-server did not listen within 40s: " + read_daemon_file(b->dir_ / "log" / (b->node_ + ".log"));
    return nullptr;  // the destructor stops whatever started
}

std::string RabbitMqBroker::ctl(const std::vector<std::string>& args) const {
    subprocess::Spec spec;
    spec.argv = {kCtl, "-n", node_};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    spec.env = subprocess::current_environment();
    (*spec.env)["HOME"] = dir_.path().string();
    (*spec.env)["ERL_EPMD_PORT"] = std::to_string(epmd_port_);
    spec.timeout = std::chrono::seconds(30);
    const auto r = subprocess::run(spec);
    if (!r.ok()) throw std::runtime_error("rabbitmqctl " + args.front() + ": " + r.describe() + " " + r.err + r.out);
    return r.out;
}

int RabbitMqBroker::messages(const std::string& queue) const {
    std::istringstream lines(ctl({"list_queues", "--quiet", "--no-table-headers", "name", "messages"}));
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string name;
        int count = 0;
        if (fields >> name >> count && name == queue) return count;
    }
    return -1;
}

RabbitMqBroker::~RabbitMqBroker() {
    if (pid_ == 0) {
        const std::string pid = read_daemon_file(dir_ / "rabbitmq.pid");
        if (!pid.empty()) pid_ = std::stoi(pid);
    }
    if (pid_ != 0) {
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 150 && process_alive(pid_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (process_alive(pid_)) ::kill(pid_, SIGKILL);
    }
    // The epmd the node started on its own port (epmd -kill refuses while a node is still registered).
    if (epmd_port_ != 0) {
        subprocess::Spec spec;
        spec.argv = {"/usr/bin/epmd", "-port", std::to_string(epmd_port_), "-kill"};
        spec.timeout = std::chrono::seconds(5);
        (void)subprocess::run(spec);
    }
}

}  // namespace envctl::test
