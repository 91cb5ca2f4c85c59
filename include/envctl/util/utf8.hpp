#pragma once
// Text from outside (probe bodies, command output, container logs) made safe for JSON and terminals: valid UTF-8,
// and cut on character boundaries. nlohmann::json throws on invalid UTF-8 when it serializes, so every such text
// passes through here before it reaches state, reports or --json documents.

#include <cstddef>
#include <string>
#include <string_view>

namespace envctl::utf8 {

// `text` with every byte that does not belong to a well-formed UTF-8 sequence (stray continuation bytes,
// truncated or overlong sequences, surrogates, code points above U+10FFFF) replaced by U+FFFD.
std::string valid(std::string_view text);

// valid(text), cut to at most `max_bytes` bytes without splitting a character.
std::string truncate(std::string_view text, std::size_t max_bytes);

// The character at byte `i` of `text` (i < text.size()): its code point and its length in bytes. A byte that does
// not start a well-formed sequence is U+FFFD, 1 byte long (as valid() replaces it).
struct Char {
    char32_t code;
    std::size_t length;
};
Char next_char(std::string_view text, std::size_t i);

}  // namespace envctl::utf8
