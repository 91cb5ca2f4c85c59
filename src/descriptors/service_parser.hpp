#pragma once
// Private to the stack parser: one service descriptor from its YAML mapping, with every per-service check
// (unknown keys, bad values, duplicate port variables, the probe's port among the service's ports, pinned tags).
// Its `verify:` key is accepted here and read by parse_verify (verify_parser.hpp).

#include <string>

#include <yaml-cpp/yaml.h>

#include "envctl/descriptors/service.hpp"
#include "yaml_reader.hpp"

namespace envctl::descriptors::detail {

ServiceDescriptor parse_service(const Reader& reader, const std::string& name, const YAML::Node& node,
                                const std::string& path);

}  // namespace envctl::descriptors::detail
