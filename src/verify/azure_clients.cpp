// One signed REST request to Azurite's Blob service (Shared Key) or to the Cosmos DB SQL API (master key token).
#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "envctl/settings/connect_host.hpp"
#include "envctl/util/http_client.hpp"
#include "envctl/util/utf8.hpp"
#include "envctl/verify/azure_auth.hpp"
#include "envctl/verify/azure_clients.hpp"

namespace envctl::verify::azure {
namespace {

constexpr const char* kBlobVersion = "2021-12-02";    // Blob service REST version (Azurite 3.35 serves up to 2025-x)
constexpr const char* kCosmosVersion = "2018-12-31";  // Cosmos DB REST version

// The text between <tag> and </tag> in an XML error body, or "".
std::string xml_value(const std::string& body, const std::string& tag) {
    const auto start = body.find("<" + tag + ">");
    if (start == std::string::npos) return "";
    const auto from = start + tag.size() + 2;
    const auto end = body.find("</" + tag + ">", from);
    return end == std::string::npos ? "" : body.substr(from, end - from);
}

Answer perform(http::Request request, Deadline deadline) {
    request.timeout = std::max<Duration>(std::chrono::milliseconds(1), std::chrono::duration_cast<Duration>(remaining(deadline)));
    const auto response = http::perform(request);
    Answer answer;
    if (!response.has_status()) {
        answer.error = response.error;
        return answer;
    }
    answer.status = response.status;
    answer.body = response.body;
    return answer;
}

}  // namespace

std::string Answer::describe() const {
    if (status == 0) return error;
    std::string why = xml_value(body, "Code");
    if (why.empty()) {
        const auto doc = nlohmann::json::parse(body, nullptr, false);
        if (doc.is_object() && doc.contains("code") && doc["code"].is_string()) why = doc["code"].get<std::string>();
    }
    std::string message = xml_value(body, "Message");
    if (message.empty()) {
        const auto doc = nlohmann::json::parse(body, nullptr, false);
        if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) message = doc["message"].get<std::string>();
        else if (why.empty()) message = body;
    }
    std::replace(message.begin(), message.end(), '\n', ' ');
    return utf8::truncate(fmt::format("HTTP {}{}{}", status, why.empty() ? "" : " " + why, message.empty() ? "" : ": " + message), 240);
}

Answer blob_request(const BlobService& service, const std::string& method, const std::string& path,
                    const Headers& query, const Headers& headers, const std::string& body, Deadline deadline) {
    SharedKeyRequest signing{method, service.account, "/" + service.account + path, query, headers};
    signing.headers.emplace_back("x-ms-date", http_date(std::chrono::system_clock::now()));
    signing.headers.emplace_back("x-ms-version", kBlobVersion);
    http::Request request;
    request.method = method;
    std::string url = fmt::format("http://{}{}", settings::host_port(service.host, std::to_string(service.port)), signing.path);
    for (std::size_t i = 0; i < query.size(); ++i)
        url += fmt::format("{}{}={}", i == 0 ? "?" : "&", http::url_encode(query[i].first), http::url_encode(query[i].second));
    request.url = url;
    request.body = body;
    request.content_type = "application/octet-stream";
    // What curl sends, signed as sent: Content-Length for a body, and its Content-Type.
    if (!body.empty()) {
        signing.headers.emplace_back("Content-Length", std::to_string(body.size()));
        signing.headers.emplace_back("Content-Type", request.content_type);
    }
    request.headers = signing.headers;
    std::erase_if(request.headers, [](const auto& h) { return h.first == "Content-Length" || h.first == "Content-Type"; });
    request.headers.emplace_back("Authorization", shared_key_authorization(signing, service.key));
    return perform(std::move(request), deadline);
}

Answer cosmos_request(const CosmosService& service, const std::string& method, const std::string& path,
                      const std::string& resource_type, const std::string& resource_link, const Headers& headers,
                      const std::string& body, const std::string& content_type, Deadline deadline) {
    const std::string date = http_date(std::chrono::system_clock::now());
    http::Request request;
    request.method = method;
    request.url = fmt::format("http://{}{}", settings::host_port(service.host, std::to_string(service.port)), path);
    request.body = body;
    request.content_type = content_type;
    request.headers = headers;
    request.headers.emplace_back("x-ms-date", date);
    request.headers.emplace_back("x-ms-version", kCosmosVersion);
    request.headers.emplace_back("Authorization", cosmos_master_token(method, resource_type, resource_link, date, service.key));
    return perform(std::move(request), deadline);
}

}  // namespace envctl::verify::azure
