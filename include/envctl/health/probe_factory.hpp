#pragma once
// Builds a service's Probe from its descriptor and the resolved settings: host = settings::connect_host of
// ENVCTL_BIND_ADDRESS, port = the value of the probe's port_variable.

#include <string>

#include "envctl/descriptors/service.hpp"
#include "envctl/health/probes.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::health {

// Throws envctl::Error(usage) when a variable the probe needs is missing or invalid (naming it), and
// Error(internal) for a command probe without an exec function.
Probe make_probe(const descriptors::ServiceDescriptor& service, const settings::Settings& settings,
                 const ExecFunction& exec = {});

// The service's readiness budget: its own, else ENVCTL_READY_BUDGET.
Duration ready_budget(const descriptors::ServiceDescriptor& service, const settings::Settings& settings);

}  // namespace envctl::health
