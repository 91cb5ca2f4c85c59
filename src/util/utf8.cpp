#include "envctl/util/utf8.hpp"

#include <algorithm>

namespace envctl::utf8 {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed sequence starting at text[i], or 0 when the byte there does not start one.
std::size_t sequence_length(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b = byte(i);
    if (b < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte (RFC 3629's table)
    if (b >= 0xC2 && b <= 0xDF) n = 2;
    else if (b == 0xE0) n = 3, lo = 0xA0;
    else if (b == 0xED) n = 3, hi = 0x9F;  // no surrogates
    else if (b >= 0xE1 && b <= 0xEF) n = 3;
    else if (b == 0xF0) n = 4, lo = 0x90;
    else if (b == 0xF4) n = 4, hi = 0x8F;  // nothing above U+10FFFF
    else if (b >= 0xF1 && b <= 0xF3) n = 4;
    else return 0;
    if (i + n > text.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

}  // namespace

std::string valid(std::string_view text) { return truncate(text, text.size() * kReplacement.size()); }

std::string truncate(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = sequence_length(text, i);
        std::string_view piece = n == 0 ? kReplacement : text.substr(i, n);
        if (out.size() + piece.size() > max_bytes) break;
        out.append(piece);
        i += n == 0 ? 1 : n;
    }
    return out;
}

Char next_char(std::string_view text, std::size_t i) {
    const std::size_t n = sequence_length(text, i);
    if (n == 0) return {U'\uFFFD', 1};
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    if (n == 1) return {byte(0), 1};
    char32_t code = byte(0) & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) code = (code << 6) | (byte(k) & 0x3F);
    return {code, n};
}

}  // namespace envctl::utf8
