// Service Bus's shared access signature: HMAC-SHA256 (OpenSSL, behind envctl/util/hash) of the URL-encoded resource
// URI and the expiry, under the SAS key as given (its text's bytes, not Base64-decoded).
#include <fmt/format.h>

#include "envctl/util/hash.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/verify/amqp_client.hpp"

namespace envctl::verify::amqp {

std::string sas_token(const std::string& resource_uri, const std::string& key_name, const std::string& key, long long expiry) {
    const std::string resource = http::url_encode(resource_uri);
    const std::string signature = hash::base64_encode(hash::hmac_sha256(key, fmt::format("{}\n{}", resource, expiry)));
    return fmt::format("SharedAccessSignature sr={}&sig={}&se={}&skn={}", resource, http::url_encode(signature), expiry,
                       http::url_encode(key_name));
}

}  // namespace envctl::verify::amqp
