#include "envctl/engine/interpolate.hpp"

#include "envctl/core/references.hpp"

namespace envctl::engine {

std::string interpolate(std::string_view text, const VariableLookup& lookup, const std::string& context) {
    return references::substitute(text, lookup, context);
}

}  // namespace envctl::engine
