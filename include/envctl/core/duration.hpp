#pragma once
// Durations as the contract writes them everywhere: "500ms", "30s", "2m", "1h" (a bare number is seconds).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace envctl {

using Duration = std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// Parses "500ms", "30s", "2m", "1h", "1m30s" or a bare number of seconds; nullopt when malformed.
std::optional<Duration> parse_duration(std::string_view text);

// "500ms", "30s", "2m", "1m30s": the shortest form parse_duration reads back.
std::string format_duration(Duration d);

inline Duration remaining(Deadline deadline) {
    auto left = std::chrono::duration_cast<Duration>(deadline - Clock::now());
    return left.count() > 0 ? left : Duration{0};
}

}  // namespace envctl
