#pragma once
// Mount sources are resolved first (every symlink followed), then required inside the project: a committed
// symlink must not mount a host path (read-write, for a root podman). Lexical checks (value_rules) come first.

#include <filesystem>

#include "envctl/descriptors/stack.hpp"

namespace envctl::descriptors {

// Throws Error(usage) naming the service, the mount and where it leads when a mount source of any service of
// `stack`, resolved, lies outside `project_dir` (itself resolved). A source that does not exist yet is resolved
// as far as it exists (its absence is reported when a container is made).
void check_mounts_inside(const Stack& stack, const std::filesystem::path& project_dir);

}  // namespace envctl::descriptors
