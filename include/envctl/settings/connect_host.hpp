#pragma once
// Where envctl itself reaches what the stack publishes on ENVCTL_BIND_ADDRESS: the one rule used by the prober,
// the migrator and the endpoints `status` prints.

#include <string>

namespace envctl::settings {

// A wildcard bind address is reached on loopback: "", "0.0.0.0" and "*" give 127.0.0.1, "::" and "[::]" give ::1;
// a bracketed IPv6 address loses its brackets; any other address is used as it is.
std::string connect_host(const std::string& bind_address);

// "host:port", with an IPv6 host in brackets ("[::1]:5432").
std::string host_port(const std::string& host, const std::string& port);

}  // namespace envctl::settings
