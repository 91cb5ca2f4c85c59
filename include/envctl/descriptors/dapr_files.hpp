#pragma once
// The Dapr files of the project (dapr/: components and configuration for the application sidecars) read against
// the stack: each parses as YAML, is a Dapr resource (apiVersion dapr.io/..., kind, metadata.name), and every
// "host:port" it names is a service of the stack (the port is not checked: descriptors know only published ports,
// and tempo:4317 is not published).

#include <filesystem>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"

namespace envctl::descriptors {

struct DaprFiles {
    std::vector<std::string> files;     // relative to the folder, sorted
    std::vector<std::string> targets;   // every "service:port" named
    std::vector<std::string> problems;  // "<file>:<line>: ..." each
};

DaprFiles check_dapr_files(const std::filesystem::path& dir, const Stack& stack);

}  // namespace envctl::descriptors
