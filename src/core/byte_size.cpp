#include "envctl/core/byte_size.hpp"

#include <cctype>
#include <cstdint>

namespace envctl {

std::optional<std::int64_t> parse_byte_size(std::string_view text) {
    std::size_t i = 0;
    std::int64_t value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
        if (value > (INT64_MAX - 9) / 10) return std::nullopt;
        value = value * 10 + (text[i] - '0');
        ++i;
    }
    if (i == 0) return std::nullopt;
    std::string_view unit = text.substr(i);
    if (unit.size() == 2 && (unit.back() == 'b' || unit.back() == 'B')) unit.remove_suffix(1);  // "mb" -> "m"
    int shift = 0;
    if (unit.size() > 1) return std::nullopt;
    switch (unit.empty() ? 'b' : std::tolower(static_cast<unsigned char>(unit.front()))) {
    case 'b': shift = 0; break;
    case 'k': shift = 10; break;
    case 'm': shift = 20; break;
    case 'g': shift = 30; break;
    default: return std::nullopt;
    }
    if (value > (INT64_MAX >> shift)) return std::nullopt;
    return value << shift;
}

}  // namespace envctl
