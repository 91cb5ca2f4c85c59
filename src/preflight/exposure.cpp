#include "envctl/preflight/exposure.hpp"

#include <arpa/inet.h>

#include <fmt/format.h>

#include "envctl/util/redactor.hpp"

namespace envctl::preflight {

bool is_loopback(const std::string& address) {
    in_addr v4{};
    if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, address.c_str(), &v6) != 1) return false;
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

std::optional<std::string> exposure_warning(const settings::Settings& settings, const descriptors::Stack& stack,
                                            const std::vector<std::string>& services) {
    if (is_loopback(settings.bind_address)) return std::nullopt;
    std::vector<std::string> open;
    std::vector<std::string> credentials;
    for (const auto& name : services) {
        const auto& service = stack.get(name);
        if (service.ports.empty()) continue;
        std::vector<std::string> ports;
        for (const auto& p : service.ports) ports.push_back(std::to_string(settings.vars.port(p.variable)));
        std::string secret;
        for (const auto& [key, value] : service.environment)
            if (Redactor::is_secret_name(key) && secret.empty()) secret = key;
        const std::string item = fmt::format("{} ({})", name, fmt::join(ports, ", "));
        if (secret.empty()) open.push_back(item);
        else credentials.push_back(fmt::format("{} ({}, {})", name, fmt::join(ports, ", "), secret));
    }
    if (open.empty() && credentials.empty()) return std::nullopt;
    std::string text = fmt::format("ENVCTL_BIND_ADDRESS={} publishes {} services to the network, not only to this machine.",
                                   settings.bind_address, open.size() + credentials.size());
    if (!open.empty()) text += fmt::format(" Without authentication, anyone who reaches it can use: {}.", fmt::join(open, "; "));
    if (!credentials.empty())
        text += fmt::format(" Protected only by the settings file's development credentials: {}.", fmt::join(credentials, "; "));
    return text + " Set ENVCTL_BIND_ADDRESS=127.0.0.1 unless this network is yours alone";
}

}  // namespace envctl::preflight
