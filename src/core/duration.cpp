#include "envctl/core/duration.hpp"

#include <cctype>
#include <cstdint>
#include <limits>

namespace envctl {

std::optional<Duration> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t total_ms = 0;
    std::size_t i = 0;
    bool any = false;
    while (i < text.size()) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        std::int64_t number = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            number = number * 10 + (text[i] - '0');
            if (number > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
            ++i;
        }
        std::size_t unit_start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        std::string_view unit = text.substr(unit_start, i - unit_start);
        std::int64_t factor = 0;
        if (unit == "ms") factor = 1;
        else if (unit == "s" || (unit.empty() && !any && i == text.size())) factor = 1000;
        else if (unit == "m") factor = 60'000;
        else if (unit == "h") factor = 3'600'000;
        else return std::nullopt;
        total_ms += number * factor;
        any = true;
    }
    return Duration{total_ms};
}

std::string format_duration(Duration d) {
    auto ms = d.count();
    if (ms < 0) ms = 0;
    if (ms == 0) return "0s";
    if (ms % 1000 != 0) return std::to_string(ms) + "ms";
    auto s = ms / 1000;
    std::string out;
    if (s >= 3600 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
    if (s >= 60) {
        out = std::to_string(s / 60) + "m";
        s %= 60;
        if (s == 0) return out;
    }
    return out + std::to_string(s) + "s";
}

}  // namespace envctl
