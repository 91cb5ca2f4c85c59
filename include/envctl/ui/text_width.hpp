#pragma once
// How many terminal columns text takes, and text cut to a number of columns. Pure functions on UTF-8 (bytes that
// are not well-formed UTF-8 count as U+FFFD): combining marks and controls take no column, East Asian wide
// characters and emoji take two, everything else one. A character is never split.

#include <cstddef>
#include <string>
#include <string_view>

namespace envctl::ui {

// Columns one code point takes (0, 1 or 2).
std::size_t char_width(char32_t code);

// Columns `text` takes on one line.
std::size_t display_width(std::string_view text);

// `text` (made valid UTF-8) when it fits in `columns`; otherwise its longest prefix that fits in `columns - 1`
// followed by "…", so the result never takes more than `columns` columns. Empty when columns is 0.
std::string elide(std::string_view text, std::size_t columns);

}  // namespace envctl::ui
