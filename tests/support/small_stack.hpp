#pragma once
// The small hand-written stack of tests/data/compose/small_stack.yaml, parsed once: the renderings' golden tests.

#include <filesystem>

#include "envctl/descriptors/stack_parser.hpp"
#include "envctl/util/files.hpp"
#include "support/test_paths.hpp"

namespace envctl::test {

inline const descriptors::Stack& small_stack() {
    static const auto stack = descriptors::parse_stack(
        files::read(std::filesystem::path(ENVCTL_TEST_DATA) / "compose" / "small_stack.yaml"), "small_stack.yaml");
    return stack;
}

}  // namespace envctl::test
