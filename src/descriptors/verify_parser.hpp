#pragma once
// Private to the stack parser: a service's `verify:` checks (verify_step.hpp), with every error naming the file, the
// line and the key ("services.redis-dapr.verify[0].steps[1].expect_reply").

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "envctl/descriptors/service.hpp"
#include "envctl/descriptors/verify_step.hpp"
#include "yaml_reader.hpp"

namespace envctl::descriptors::detail {

// `problem` not empty: fail at `node` with it.
void check(const Reader& r, const YAML::Node& node, const std::string& path, const std::string& problem);
// Every ${NAME} in `text` names a variable.
void check_references(const Reader& r, const YAML::Node& node, const std::string& path, const std::string& text);
// The fields of an azure_blob or cosmos step (verify_parser_azure.cpp).
void parse_azure_step(const Reader& r, const YAML::Node& n, const std::string& at, VerifyStep& s);

std::vector<VerifyCheck> parse_verify(const Reader& reader, const YAML::Node& node, const std::string& path,
                                      const std::vector<Port>& ports);

}  // namespace envctl::descriptors::detail
