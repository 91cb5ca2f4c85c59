#pragma once
// A canonical, line-oriented text of a descriptor: every field, in a fixed order, escaped. Two descriptors are
// equal exactly when their canonical texts are. Hashed into the compose file's header (descriptors-sha256).

#include <string>

#include "envctl/descriptors/service.hpp"

namespace envctl::descriptors {

std::string canonical_text(const ServiceDescriptor& service);

}  // namespace envctl::descriptors
