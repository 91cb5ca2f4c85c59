#pragma once
// A throwaway RabbitMQ node (Debian rabbitmq-server) with its AMQP 1.0 plugin (rabbitmq_amqp1_0), a real AMQP 1.0
// broker for verify's amqp step: its own node name, data folder, cookie (HOME), free ports (AMQP, distribution,
// epmd) on 127.0.0.1, one user with a password and SASL PLAIN. Started detached; the destructor stops the node
// (SIGTERM, then SIGKILL) and the epmd it started.

#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace envctl::test {

class RabbitMqBroker {
public:
    static constexpr const char* kUser = "envctl-verify-user";
    static constexpr const char* kPassword = "amqp-test-secret-4711";

    // nullptr with the reason in why_not when rabbitmq-server is missing or does not start within 40 s.
    static std::unique_ptr<RabbitMqBroker> start(std::string& why_not);
    ~RabbitMqBroker();
    int port() const { return port_; }
    // Messages ready plus unacknowledged in `queue` (rabbitmqctl list_queues, the broker's own count); -1 when the
    // queue does not exist. Throws when rabbitmqctl fails.
    int messages(const std::string& queue) const;

private:
    RabbitMqBroker() = default;
    std::string ctl(const std::vector<std::string>& args) const;
    TempDir dir_;
    std::string node_;
    int port_ = 0;
    int dist_port_ = 0;
    int epmd_port_ = 0;
    int pid_ = 0;
};

}  // namespace envctl::test
