#pragma once
// SHA-256 (OpenSSL's libcrypto behind this one module).

#include <string>
#include <string_view>

namespace envctl::hash {

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace envctl::hash
