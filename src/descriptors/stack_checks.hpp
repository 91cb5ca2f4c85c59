#pragma once
// Private to the stack parser: the checks that need the whole (merged) stack. They run on the built-in stack and
// on the built-in stack merged with a stack file alike, and name the file and line the offending entry came from.

#include "envctl/descriptors/stack.hpp"
#include "yaml_reader.hpp"

namespace envctl::descriptors::detail {

// Unknown dependency, dependency cycle, a profile naming an unknown service (or twice), a volume two services
// share. Throws envctl::Error(usage).
void check_stack(const Stack& stack, const SourceMap& sources);

}  // namespace envctl::descriptors::detail
