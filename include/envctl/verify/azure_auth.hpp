#pragma once
// The Azure emulators' request signatures, HMAC-SHA256 through OpenSSL (util/hash.hpp):
// - Azure Storage Shared Key (Blob, Queue and File services, version 2009-09-19 and later): the string-to-sign of
//   https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key, signed with the Base64-decoded
//   account key; `Authorization: SharedKey <account>:<Base64 signature>`.
// - Azure Cosmos DB master key token (https://learn.microsoft.com/rest/api/cosmos-db/access-control-on-cosmosdb-resources):
//   HMAC over "verb\nresourcetype\nresourcelink\ndate\n\n" (verb, type and date lower-case), sent URL-encoded as
//   `type=master&ver=1.0&sig=<Base64 signature>`.
// Both throw std::runtime_error when the key is not Base64 (the message never contains the key).

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace envctl::verify::azure {

// RFC 1123 date in GMT, as x-ms-date wants it: "Fri, 27 Nov 2026 21:50:00 GMT".
std::string http_date(std::chrono::system_clock::time_point at);

struct SharedKeyRequest {
    std::string method;   // GET, PUT, DELETE, ...
    std::string account;  // devstoreaccount1
    // The URL's path as sent (percent-encoded). Path-style URLs (the emulator's http://host:port/<account>/...)
    // keep the account in the path, so it appears twice in the canonicalized resource.
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;    // decoded name and value
    std::vector<std::pair<std::string, std::string>> headers;  // every header sent (Content-Length, x-ms-*, ...)
};

std::string shared_key_string_to_sign(const SharedKeyRequest& request);
// "SharedKey <account>:<signature>".
std::string shared_key_authorization(const SharedKeyRequest& request, const std::string& key_base64);

// The Authorization header's value, URL-encoded: "type%3Dmaster%26ver%3D1.0%26sig%3D...".
std::string cosmos_master_token(const std::string& verb, const std::string& resource_type,
                                const std::string& resource_link, const std::string& date, const std::string& key_base64);

}  // namespace envctl::verify::azure
