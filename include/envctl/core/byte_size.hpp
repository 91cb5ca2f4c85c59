#pragma once
// Byte sizes as descriptors and compose files write them: "64m", "1g", "512k", "256mb", "1024" (bytes), units in
// powers of 1024 as podman reads them. One reader for the native engine's limits and doctor's memory check.

#include <cstdint>
#include <optional>
#include <string_view>

namespace envctl {

// nullopt when malformed or too large for 64 bits.
std::optional<std::int64_t> parse_byte_size(std::string_view text);

}  // namespace envctl
