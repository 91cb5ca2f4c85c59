#pragma once
// The last lines of a program's output, for one-paragraph error messages (the engine's and the image builder's).

#include <cstddef>
#include <string>

namespace envctl {

// The last `max_lines` non-empty lines of `text`, joined with newlines and redacted. podman's warnings about a
// missing systemd or syslog (printed on every call on machines without systemd) are left out: they are never the
// failure.
std::string last_lines(const std::string& text, std::size_t max_lines = 8);

}  // namespace envctl
