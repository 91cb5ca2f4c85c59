// Azure Cosmos DB master key token: HMAC-SHA256 of verb, resource type, resource link and date under the key.
#include <stdexcept>

#include "envctl/util/hash.hpp"
#include "envctl/util/text.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/verify/azure_auth.hpp"

namespace envctl::verify::azure {

std::string cosmos_master_token(const std::string& verb, const std::string& resource_type,
                                const std::string& resource_link, const std::string& date, const std::string& key_base64) {
    const auto key = hash::base64_decode(key_base64);
    if (!key) throw std::runtime_error("the Cosmos DB key is not Base64");
    const std::string payload = text::ascii_lower(verb) + "\n" + text::ascii_lower(resource_type) + "\n" + resource_link + "\n" + text::ascii_lower(date) + "\n\n";
    return http::url_encode("type=master&ver=1.0&sig=" + hash::base64_encode(hash::hmac_sha256(*key, payload)));
}

}  // namespace envctl::verify::azure
