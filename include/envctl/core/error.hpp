#pragma once
// envctl's one exception type. Library code throws it with the exit code the failure maps to;
// main() catches it, prints the message and returns the code. Library code never calls exit().

#include <stdexcept>
#include <string>

#include "envctl/core/exit_code.hpp"

namespace envctl {

class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const noexcept { return code_; }

private:
    ExitCode code_;
};

// Bad input: names the file and line, or the variable, and what is expected. Exit code 2.
inline Error usage_error(const std::string& message) { return Error(ExitCode::usage, message); }

}  // namespace envctl
