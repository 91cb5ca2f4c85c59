#pragma once
// Checks a selection of services against the resolved settings, before anything is started or written.

#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::descriptors {

// Throws envctl::Error(usage) when, for the selected services:
//  - a port variable is unset or not a port 1..65535 (named with where its value came from);
//  - two ports resolve to the same host port (naming both services and both variables);
//  - a ${VAR} the environment or command references (without a default) is not set.
void validate_selection(const Stack& stack, const std::vector<std::string>& services,
                        const settings::Variables& vars);

// The variables a descriptor's text references as ${VAR} or ${VAR:?message} (not ${VAR:-default}), in order.
std::vector<std::string> required_references(const ServiceDescriptor& service);

// Every variable the stack's descriptors name: port and probe variables, and every ${VAR} (defaults included) in
// any value the engines interpolate. Settings look each of them up in the process environment.
std::vector<std::string> referenced_variables(const Stack& stack);

}  // namespace envctl::descriptors
