#pragma once
// Private: the last lines of a program's output, for one-paragraph error messages.

#include <string>

namespace envctl::images {

// The last `max_lines` non-empty lines of `text` (podman's complaints about a missing systemd left out),
// joined with newlines and redacted.
std::string last_lines(const std::string& text, std::size_t max_lines = 8);

}  // namespace envctl::images
