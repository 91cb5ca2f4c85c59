#include "envctl/settings/connect_host.hpp"

namespace envctl::settings {

std::string connect_host(const std::string& bind_address) {
    if (bind_address.empty() || bind_address == "0.0.0.0" || bind_address == "*") return "127.0.0.1";
    if (bind_address == "::" || bind_address == "[::]") return "::1";
    if (bind_address.size() > 2 && bind_address.front() == '[' && bind_address.back() == ']')
        return bind_address.substr(1, bind_address.size() - 2);
    return bind_address;
}

std::string host_port(const std::string& host, const std::string& port) {
    return (host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + port;
}

}  // namespace envctl::settings
