#pragma once
// Precedence is process environment > env file > default for every variable, including those only the stack
// references (a stack file's own ports and tokens): load() looks up the variables the defaults and the env file
// know; this looks up the rest, once the stack is loaded.

#include <string>
#include <vector>

#include "envctl/settings/settings.hpp"

namespace envctl::settings {

// Each of `names` that the settings do not know yet and the process environment (settings.base_environment) sets
// is taken from there (origin: process environment); a *_PORT one must be a port (usage error naming it).
void take_from_environment(Settings& settings, const std::vector<std::string>& names);

// From now on children (podman, podman-compose) see, besides the process environment, only `names` (the variables
// the stack references) and envctl's own ENVCTL_* settings: an env-file key the stack does not use stays in envctl.
void limit_children_to(Settings& settings, const std::vector<std::string>& names);

}  // namespace envctl::settings
