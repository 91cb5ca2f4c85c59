// OpenSSL's libcrypto is the one SHA-256 implementation here: a hand-written one would be more code to trust.
#include "envctl/util/hash.hpp"

#include <openssl/evp.h>

#include <array>

#include "envctl/core/error.hpp"

namespace envctl::hash {

namespace {

// Fetched once: OpenSSL 3 otherwise looks the algorithm up (under a lock) on every digest.
const EVP_MD* sha256() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md ? md : EVP_sha256();
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256(), nullptr) != 1)
        throw Error(ExitCode::internal, "SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xF]);
    }
    return out;
}

}  // namespace envctl::hash
