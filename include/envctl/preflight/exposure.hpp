#pragma once
// ENVCTL_BIND_ADDRESS other than loopback publishes the development stack to the network: `up` says so, at
// warning level, naming every published service and calling out those that answer anyone (no secret-named
// variable in their environment: Redis, OPA, Loki, the emulators with their well-known keys, ...), apart from
// those that hold only the settings file's development credentials (PostgreSQL, Vault's root token, Grafana).

#include <optional>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::preflight {

// 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104.
bool is_loopback(const std::string& address);

// The warning for `services` published on settings.bind_address; nullopt when that is loopback or nothing is
// published.
std::optional<std::string> exposure_warning(const settings::Settings& settings, const descriptors::Stack& stack,
                                            const std::vector<std::string>& services);

}  // namespace envctl::preflight
