// libFuzzer: the stack-file parser (YAML -> descriptors, with every check). Bad input may only ever be
// envctl::Error (usage) naming where; never a crash, a hang, a leak or another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "envctl/core/error.hpp"
#include "envctl/descriptors/stack_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto stack = envctl::descriptors::parse_stack(text, "fuzz.yaml");
        for (const auto& [profile, services] : stack.profiles) (void)stack.with_dependencies(services);
    } catch (const envctl::Error&) {
    }
    return 0;
}
