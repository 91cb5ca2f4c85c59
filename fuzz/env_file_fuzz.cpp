// libFuzzer: the env-file parser. Bad input may only ever be envctl::Error (usage), never a crash, a hang, a leak
// or another exception; what it accepts must be keys it would accept again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "envctl/core/error.hpp"
#include "envctl/settings/env_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto file = envctl::settings::parse_env_file(text, "fuzz.env");
        for (const auto& e : file.entries) {
            if (e.key.empty() || e.line < 1) __builtin_trap();
        }
    } catch (const envctl::Error&) {
    }
    return 0;
}
