#pragma once
// The two Azure emulator clients verify's azure_blob and cosmos steps use (and the tests, to show the official
// SDKs read what they wrote): one signed REST request each, on http://host:port, never throwing for the service's
// answers (a transfer failure is in `error`). Signatures: azure_auth.hpp.

#include <string>
#include <utility>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::verify::azure {

struct Answer {
    long status = 0;    // 0: no HTTP answer (see error)
    std::string body;
    std::string error;  // the transfer's failure
    // "HTTP 403 AuthorizationFailure: <message>" / the transfer's error: for a step's detail.
    std::string describe() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// Azure Blob service, path-style as the emulator serves it: http://host:port/<account>/<path>.
struct BlobService {
    std::string host;
    int port = 0;
    std::string account = "devstoreaccount1";
    std::string key;  // Base64
};
// `path` after the account ("/container", "/container/blob"), `query` decoded (restype=container, ...).
Answer blob_request(const BlobService& service, const std::string& method, const std::string& path,
                    const Headers& query, const Headers& headers, const std::string& body, Deadline deadline);

// Azure Cosmos DB SQL API over http://host:port.
struct CosmosService {
    std::string host;
    int port = 0;
    std::string key;  // Base64
};
// `path` as sent ("/dbs", "/dbs/<db>/colls/<c>/docs"); resource type and link as the token signs them ("docs",
// "dbs/<db>/colls/<c>").
Answer cosmos_request(const CosmosService& service, const std::string& method, const std::string& path,
                      const std::string& resource_type, const std::string& resource_link, const Headers& headers,
                      const std::string& body, const std::string& content_type, Deadline deadline);

}  // namespace envctl::verify::azure
