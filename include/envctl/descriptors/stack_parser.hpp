#pragma once
// One parser and one validation path for the built-in stack (YAML compiled into the binary) and stack files
// (--stack FILE): `mode: extend|replace`, `services: {name: descriptor}`, `profiles: {name: [services]}`.
// Unknown keys and bad values throw envctl::Error(usage) naming the file, line and key.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "envctl/descriptors/stack.hpp"

namespace envctl::descriptors {

Stack parse_stack(std::string_view yaml, const std::string& source_name);
const Stack& builtin_stack();
// The built-in stack, extended or replaced by the stack file when one is given.
Stack load_stack(const std::optional<std::filesystem::path>& stack_file);

}  // namespace envctl::descriptors
