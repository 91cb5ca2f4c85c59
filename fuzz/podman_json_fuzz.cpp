// libFuzzer: podman's JSON answers (`podman ps -a --format json`). Whatever podman prints, envctl either reads
// it or throws envctl::Error naming what is malformed; never a crash, a hang, a leak or another exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "envctl/core/error.hpp"
#include "envctl/engine/podman_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)envctl::engine::parse_state(text);
    try {
        for (const auto& c : envctl::engine::parse_ps_json(text)) (void)envctl::engine::to_string(c.state);
    } catch (const envctl::Error&) {
    }
    return 0;
}
