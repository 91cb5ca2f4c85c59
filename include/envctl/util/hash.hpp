#pragma once
// SHA-256, HMAC-SHA256 and Base64 (OpenSSL's libcrypto behind this one module).

#include <optional>
#include <string>
#include <string_view>

namespace envctl::hash {

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);
// The raw 32-byte HMAC-SHA256 of `data` under `key` (RFC 2104).
std::string hmac_sha256(std::string_view key, std::string_view data);
// Base64 (RFC 4648, with padding, no line breaks).
std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not Base64 (a bad character or length).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace envctl::hash
