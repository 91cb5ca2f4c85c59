// libFuzzer: the SQL script splitter. Any bytes split without a crash, a hang or a leak, and every statement it
// returns is non-empty and placed inside the script (1-based line and column).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "envctl/migrations/sql_script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t lines = 1;
    for (char c : text) lines += c == '\n';
    for (const auto& s : envctl::migrations::split_statements(text)) {
        if (s.text.empty() || s.text.size() > text.size()) __builtin_trap();
        if (s.line < 1 || static_cast<std::size_t>(s.line) > lines || s.column < 1) __builtin_trap();
        (void)envctl::migrations::first_word(s);
    }
    return 0;
}
