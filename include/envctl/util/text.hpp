#pragma once
// Small text rules more than one module shares.

#include <string>
#include <string_view>

namespace envctl::text {

// Outer whitespace (space, tab, CR, LF) dropped, every inner run of it one space.
std::string squeeze_whitespace(std::string_view text);
// ASCII letters lower-cased, other bytes as they are.
std::string ascii_lower(std::string text);

}  // namespace envctl::text
