#pragma once
// The built-in stack's declared verify checks (descriptor `verify:`), by service and check name, for the tests that
// run them against test servers.

#include <string>

#include "envctl/descriptors/verify_step.hpp"

namespace envctl::test {

// Throws std::runtime_error naming service/name when the built-in stack declares no such check.
const descriptors::VerifyCheck& builtin_check(const std::string& service, const std::string& name);

}  // namespace envctl::test
