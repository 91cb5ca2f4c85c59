#pragma once
// Variable references in compose values, resolved the way compose resolves them, so the native engine gives a
// container exactly what podman-compose gives it from the run file. The rules and the parser are
// core/references.hpp's (the one parser of ${...}); this is references::substitute under the engine's name.

#include <functional>
#include <string>
#include <string_view>

namespace envctl::engine {

// Returns the variable's value, or nullptr when it is unset.
using VariableLookup = std::function<const std::string*(const std::string& name)>;

// Throws envctl::Error(usage) for a ${VAR:?message} whose VAR is missing, naming VAR and `context`
// (e.g. "service postgresql, environment POSTGRES_PASSWORD").
std::string interpolate(std::string_view text, const VariableLookup& lookup, const std::string& context);

}  // namespace envctl::engine
