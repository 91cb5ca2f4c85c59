#include "envctl/descriptors/validate.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "envctl/core/error.hpp"
#include "envctl/core/references.hpp"

namespace envctl::descriptors {

namespace {

void scan(const std::string& text, std::vector<std::string>& out, bool with_defaults = false) {
    for (auto& name : references::names(text, with_defaults)) out.push_back(std::move(name));
}

std::vector<std::string> unique_in_order(std::vector<std::string> found) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (auto& name : found)
        if (seen.insert(name).second) out.push_back(std::move(name));
    return out;
}

}  // namespace

std::vector<std::string> required_references(const ServiceDescriptor& service) {
    std::vector<std::string> found;
    for (const auto& [name, value] : service.environment) scan(value, found);
    for (const auto& arg : service.entrypoint) scan(arg, found);
    for (const auto& arg : service.command) scan(arg, found);
    if (service.healthcheck) scan(*service.healthcheck, found);
    return unique_in_order(std::move(found));
}

std::vector<std::string> referenced_variables(const Stack& stack) {
    std::vector<std::string> found;
    auto text = [&found](const std::string& value) { scan(value, found, true); };
    auto texts = [&text](const std::vector<std::string>& values) {
        for (const auto& v : values) text(v);
    };
    for (const auto& s : stack.services) {
        text(s.image);
        if (s.local_image) text(*s.local_image);
        texts(s.entrypoint);
        texts(s.command);
        for (const auto& [name, value] : s.environment) text(value);
        for (const auto& p : s.ports) found.push_back(p.variable);
        if (s.healthcheck) text(*s.healthcheck);
        text(s.memory);
        texts(s.cap_add);
        for (const auto* v : {&s.shm_size, &s.user, &s.stop_signal})
            if (*v) text(**v);
        if (!s.probe.port_variable.empty()) found.push_back(s.probe.port_variable);
        if (s.probe.kind == ProbeKind::postgres) {
            for (const auto* v : {&s.probe.user_variable, &s.probe.password_variable, &s.probe.database_variable})
                found.push_back(*v);
        }
    }
    return unique_in_order(std::move(found));
}

void validate_selection(const Stack& stack, const std::vector<std::string>& services,
                        const settings::Variables& vars) {
    struct Owner {
        std::string service;
        std::string variable;
    };
    std::map<int, Owner> host_ports;
    for (const auto& name : services) {
        const ServiceDescriptor& service = stack.get(name);
        for (const auto& variable : required_references(service))
            if (!vars.has(variable))
                throw usage_error(fmt::format("{} is not set: service {} needs it (add it to the settings file)",
                                              variable, service.name));
        for (const auto& port : service.ports) {
            const int host = vars.port(port.variable);
            auto [it, inserted] = host_ports.emplace(host, Owner{service.name, port.variable});
            if (!inserted)
                throw usage_error(fmt::format(
                    "host port {} is claimed twice: service {} ({}) and service {} ({}); give one of the variables "
                    "another port",
                    host, it->second.service, vars.origin(it->second.variable).describe(it->second.variable),
                    service.name, vars.origin(port.variable).describe(port.variable)));
        }
    }
}

}  // namespace envctl::descriptors
