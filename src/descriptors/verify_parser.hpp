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

std::vector<VerifyCheck> parse_verify(const Reader& reader, const YAML::Node& node, const std::string& path,
                                      const std::vector<Port>& ports);

}  // namespace envctl::descriptors::detail
